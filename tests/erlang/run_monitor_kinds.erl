%% monitor(time_offset, clock_service): a monitor that never fires while
%% time does not warp (BEAM's default mode), listed by process_info and
%% removed by demonitor; anything else than clock_service is badarg.
-module(run_monitor_kinds).
-export([main/0]).

main() ->
    R = monitor(time_offset, clock_service),
    io:format("~p~n", [is_reference(R)]),
    io:format("~p~n", [process_info(self(), monitors)]),
    io:format("~p~n", [demonitor(R, [info])]),
    io:format("~p~n", [demonitor(R, [info])]),
    io:format("~p~n", [process_info(self(), monitors)]),
    [io:format("~p~n", [try monitor(time_offset, Bad) catch C:E:S -> {C, E, hd(S)} end])
     || Bad <- [bad, 17, {clock_service, node()}]],
    R2 = erlang:monitor(time_offset, clock_service, [{tag, t}]),
    io:format("~p~n", [is_reference(R2)]),
    R3 = erlang:monitor(time_offset, clock_service, [{alias, demonitor}]),
    self() ! {R3, via_alias},
    io:format("~p~n", [demonitor(R3, [flush, info])]),
    io:format("~p~n", [demonitor(R2)]),
    receive M -> io:format("~p~n", [element(2, M)]) after 0 -> io:format("none~n") end,
    %% A process ending with such a monitor: nothing left behind.
    {P, PR} = spawn_monitor(fun() -> monitor(time_offset, clock_service), exit(bye) end),
    receive {'DOWN', PR, process, P, Why} -> io:format("~p~n", [Why]) end,
    io:format("~p~n", [receive X -> X after 50 -> none end]),
    ok.
