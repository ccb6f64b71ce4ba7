%% System flags about the schedulers, held by processes:
%% system_flag(scheduler_wall_time, Bool) with statistics(scheduler_wall_time
%% | scheduler_wall_time_all) (one entry per normal and dirty CPU
%% scheduler, dirty I/O too for _all; active time within total time; BEAM
%% lists them in no fixed order), system_flag(multi_scheduling, ...) with
%% its blockers (counted per process, dropped when the process dies), and
%% the CPU topology (system_info and the deprecated system_flag with
%% undefined).
-module(run_sched_flags).
-export([main/0]).

t(F) -> try F() of V -> V catch C:R -> {C, R} end.

shape(undefined) -> undefined;
shape(L) -> lists:sort([{I, is_integer(A), is_integer(T), 0 =< A, A =< T} || {I, A, T} <- L]).

burn(0) -> ok;
burn(N) -> burn(N - 1).

main() ->
    Normal = erlang:system_info(schedulers) + erlang:system_info(dirty_cpu_schedulers),
    All = Normal + erlang:system_info(dirty_io_schedulers),
    io:format("off ~p ~p~n", [erlang:statistics(scheduler_wall_time),
                              erlang:statistics(scheduler_wall_time_all)]),
    io:format("on ~p~n", [erlang:system_flag(scheduler_wall_time, true)]),
    io:format("on again ~p~n", [erlang:system_flag(scheduler_wall_time, true)]),
    burn(100000),
    S = erlang:statistics(scheduler_wall_time),
    SA = erlang:statistics(scheduler_wall_time_all),
    io:format("~p ~p~n", [length(S) == Normal, length(SA) == All]),
    io:format("~p~n~p~n", [shape(S) == [{I, true, true, true, true} || I <- lists:seq(1, Normal)],
                           shape(SA) == [{I, true, true, true, true} || I <- lists:seq(1, All)]]),
    io:format("off once ~p ~p~n", [erlang:system_flag(scheduler_wall_time, false),
                                   is_list(erlang:statistics(scheduler_wall_time))]),
    io:format("off twice ~p ~p~n", [erlang:system_flag(scheduler_wall_time, false),
                                    erlang:statistics(scheduler_wall_time)]),
    io:format("off thrice ~p~n", [erlang:system_flag(scheduler_wall_time, false)]),
    Me = self(),
    H = spawn(fun() -> Me ! {held, erlang:system_flag(scheduler_wall_time, true)},
                       receive stop -> ok end end),
    receive {held, Was} -> io:format("held by another ~p ~p~n",
                                     [Was, is_list(erlang:statistics(scheduler_wall_time))]) end,
    Ref = monitor(process, H),
    exit(H, kill),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    %% BEAM drops a dead process's request and block after its DOWN
    %% message can arrive: wait for that.
    io:format("holder died ~p~n",
              [settled(fun() -> erlang:statistics(scheduler_wall_time) end, undefined)]),
    io:format("~p~n", [t(fun() -> erlang:system_flag(scheduler_wall_time, yes) end)]),

    io:format("ms ~p ~p ~p~n", [erlang:system_info(multi_scheduling),
                                erlang:system_info(multi_scheduling_blockers),
                                erlang:system_info(normal_multi_scheduling_blockers)]),
    io:format("block ~p~n", [erlang:system_flag(multi_scheduling, block)]),
    io:format("~p ~p~n", [erlang:system_info(multi_scheduling),
                          erlang:system_info(multi_scheduling_blockers) == [self()]]),
    io:format("block ~p~n", [erlang:system_flag(multi_scheduling, block)]),
    io:format("unblock ~p~n", [erlang:system_flag(multi_scheduling, unblock)]),
    io:format("unblock ~p~n", [erlang:system_flag(multi_scheduling, unblock)]),
    io:format("unblock ~p ~p~n", [erlang:system_flag(multi_scheduling, unblock),
                                  erlang:system_info(multi_scheduling_blockers)]),
    io:format("block_normal ~p~n", [erlang:system_flag(multi_scheduling, block_normal)]),
    io:format("~p ~p ~p~n", [erlang:system_info(multi_scheduling),
                             erlang:system_info(normal_multi_scheduling_blockers) == [self()],
                             erlang:system_info(multi_scheduling_blockers)]),
    io:format("unblock_normal ~p~n", [erlang:system_flag(multi_scheduling, unblock_normal)]),
    io:format("~p~n", [t(fun() -> erlang:system_flag(multi_scheduling, sideways) end)]),
    B = spawn(fun() -> Me ! {blocked, erlang:system_flag(multi_scheduling, block)},
                       receive stop -> ok end end),
    receive {blocked, St} -> io:format("blocked by another ~p ~p ~p~n",
                                       [St, erlang:system_info(multi_scheduling),
                                        erlang:system_info(multi_scheduling_blockers) == [B]]) end,
    BRef = monitor(process, B),
    exit(B, kill),
    receive {'DOWN', BRef, _, _, _} -> ok end,
    Blockers = settled(fun() -> erlang:system_info(multi_scheduling_blockers) end, []),
    io:format("blocker died ~p ~p~n", [erlang:system_info(multi_scheduling), Blockers]),

    Topology = erlang:system_info(cpu_topology),
    io:format("~p~n", [Topology]),
    io:format("~p~n", [[erlang:system_info({cpu_topology, K}) || K <- [defined, detected, used]]]),
    io:format("~p ~p~n", [erlang:system_flag(cpu_topology, undefined) == Topology,
                          t(fun() -> erlang:system_flag(cpu_topology, sideways) end)]),
    io:format("~p ~p~n", [erlang:system_info(update_cpu_info), erlang:system_info(scheduler_bindings)]).

%% F() once it gives Want, polled for 60 s at most (then what it gives).
settled(F, Want) -> settled(F, Want, 6000).

settled(F, _, 0) -> F();
settled(F, Want, N) ->
    case F() of
        Want -> Want;
        _ -> timer:sleep(10), settled(F, Want, N - 1)
    end.
