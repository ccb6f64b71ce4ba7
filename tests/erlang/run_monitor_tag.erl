%% The monitor option `{tag, Tag}` (OTP 24+): the monitor's `'DOWN'`
%% message starts with `Tag`, from `monitor/3`, `spawn_opt`'s
%% `{monitor, Opts}` and `spawn_request`'s; with an alias too; a tagged
%% `noproc` message; `demonitor(R, [flush])` takes a tagged message out.
-module(run_monitor_tag).
-export([main/0, idle/0]).

main() ->
    P1 = spawn(fun() -> receive stop -> ok end end),
    R1 = erlang:monitor(process, P1, [{tag, mytag}]),
    P1 ! stop,
    io:format("monitor/3: ~p~n", [receive {mytag, R1, process, P1, Why} -> Why end]),
    %% Processes that should be alive when monitored exit only when told
    %% (on another scheduler one could otherwise be gone first: noproc).
    P2 = spawn(fun() -> receive go -> exit(boom) end end),
    R2 = erlang:monitor(process, P2, [{tag, {compound, [tag]}}]),
    P2 ! go,
    io:format("compound: ~p~n",
              [receive {{compound, [tag]}, R2, process, P2, W2} -> W2 end]),
    Dead = spawn(fun() -> ok end),
    wait_dead(Dead),
    R3 = erlang:monitor(process, Dead, [{tag, gone}]),
    io:format("noproc: ~p~n", [receive {gone, R3, process, Dead, W3} -> W3 end]),
    R4 = erlang:monitor(process, nobody_here, [{tag, named}]),
    io:format("name: ~p~n",
              [receive {named, R4, process, {nobody_here, N}, W4} -> {N, W4} end]),
    {P5, R5} = spawn_opt(fun() -> exit(spawned) end, [{monitor, [{tag, sp}]}]),
    io:format("spawn_opt: ~p~n", [receive {sp, R5, process, P5, W5} -> W5 end]),
    R6 = spawn_request(fun() -> exit(requested) end, [{monitor, [{tag, tg}]}]),
    P6 = receive {spawn_reply, R6, ok, P} -> P end,
    io:format("spawn_request: ~p~n", [receive {tg, R6, process, P6, W6} -> W6 end]),
    R7 = spawn_request(?MODULE, idle, [], [{monitor, [{tag, tg2}]}, {reply_tag, rt}]),
    P7 = receive {rt, R7, ok, P77} -> P77 end,
    exit(P7, kill),
    io:format("spawn_request/4: ~p~n", [receive {tg2, R7, process, P7, W7} -> W7 end]),
    %% An alias and a tag together: the reference takes a reply too.
    P8 = spawn(fun() -> receive {From, A} -> From ! {A, reply}, exit(done) end end),
    R8 = erlang:monitor(process, P8, [{alias, demonitor}, {tag, both}]),
    P8 ! {self(), R8},
    io:format("alias reply: ~p~n", [receive {R8, reply} -> ok end]),
    io:format("alias down: ~p~n", [receive {both, R8, process, P8, W8} -> W8 end]),
    %% Flush removes a tagged message.
    P9 = spawn(fun() -> receive go -> ok end end),
    R9 = erlang:monitor(process, P9, [{tag, flushed}]),
    P9 ! go,
    wait_queued(R9),
    io:format("flush: ~p~n", [erlang:demonitor(R9, [flush, info])]),
    io:format("left: ~p~n", [receive M -> M after 0 -> none end]),
    %% Bad options.
    io:format("bad: ~p~n",
              [[element(1, element(2, catch erlang:monitor(process, self(), O)))
                || O <- [[tag], [{tag}], [{tag, a, b}], [{bad, x}], {tag, x}]]]),
    io:format("bad spawn_opt: ~p~n",
              [element(1, catch spawn_opt(fun() -> ok end, [{monitor, [{nope, 1}]}]))]),
    %% Untagged monitors are unchanged.
    P10 = spawn(fun() -> receive go -> ok end end),
    R10 = erlang:monitor(process, P10, []),
    P10 ! go,
    io:format("plain: ~p~n", [receive {'DOWN', R10, process, P10, W10} -> W10 end]).

idle() ->
    receive after infinity -> ok end.

%% Waits until P has exited (however long that takes on a loaded machine).
wait_dead(P) ->
    R = erlang:monitor(process, P),
    receive {'DOWN', R, process, P, _} -> ok end.

%% Waits until the tagged message of monitor R is in the queue, without
%% taking it out.
wait_queued(R) ->
    {messages, Ms} = process_info(self(), messages),
    case [x || {flushed, R1, process, _, _} <- Ms, R1 =:= R] of
        [] -> receive after 1 -> wait_queued(R) end;
        _ -> ok
    end.
