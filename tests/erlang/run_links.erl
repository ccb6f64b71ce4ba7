-module(run_links).
-export([main/0, chain/2, idle/0, wake/1]).

%% Links and exit signals: propagation through chains, trap_exit
%% conversion, kill versus killed, normal exits, exit/2, link/unlink.

main() ->
    %% BEAM's logger prints crash reports of spawned processes on standard
    %% output, with a time stamp and at a moment of its choosing: silence
    %% it (Enigma has no logger; the call fails there and is caught).
    _ = (catch logger:set_primary_config(level, none)),
    process_flag(trap_exit, false),
    io:format("~p~n", [process_flag(trap_exit, true)]),
    chain_abnormal(),
    chain_normal(),
    chain_trap_middle(),
    kill_vs_killed(),
    exit2_cases(),
    link_dead(),
    unlink_case(),
    spawn_variants(),
    crash_reasons(),
    hibernate_case(),
    ordering(),
    group_leaders(),
    ok.

%% A chain of N linked processes; the last one's pid goes back to Parent.
chain(0, Parent) ->
    Parent ! {bottom, self()},
    idle();
chain(N, Parent) ->
    spawn_link(?MODULE, chain, [N - 1, Parent]),
    idle().

idle() ->
    receive stop -> ok after infinity -> ok end.

start_chain(N) ->
    Top = spawn(?MODULE, chain, [N, self()]),
    Bottom = receive {bottom, B} -> B end,
    {Top, Bottom}.

chain_abnormal() ->
    {Top, Bottom} = start_chain(50),
    R = monitor(process, Top),
    exit(Bottom, boom),
    receive {'DOWN', R, process, Top, Why} -> io:format("chain top: ~p~n", [Why]) end.

chain_normal() ->
    {Top, Bottom} = start_chain(10),
    R = monitor(process, Bottom),
    Bottom ! stop,
    receive {'DOWN', R, process, Bottom, Why} -> io:format("bottom: ~p~n", [Why]) end,
    io:format("top alive after normal exit: ~p~n", [is_process_alive(Top)]),
    exit(Top, kill).

chain_trap_middle() ->
    Self = self(),
    Middle = spawn(fun() ->
        process_flag(trap_exit, true),
        Child = spawn_link(fun() -> receive go -> exit(child_failed) end end),
        Self ! {child, Child},
        receive {'EXIT', Child, Why} -> Self ! {middle_got, Why} end,
        receive never -> ok after 20 -> ok end,
        Self ! {middle_alive, is_process_alive(self())}
    end),
    Child = receive {child, C} -> C end,
    Child ! go,
    receive {middle_got, W} -> io:format("middle got: ~p~n", [W]) end,
    receive {middle_alive, A} -> io:format("middle alive: ~p~n", [A]) end,
    _ = Middle.

kill_vs_killed() ->
    Self = self(),
    Trapper = spawn(fun() ->
        process_flag(trap_exit, true),
        Victim = spawn_link(fun idle/0),
        Self ! {victim, Victim},
        receive {'EXIT', Victim, Why} -> Self ! {trapper_got, Why} end,
        Suicide = spawn_link(fun() -> exit(kill) end),
        receive {'EXIT', Suicide, Why2} -> Self ! {trapper_got, Why2} end,
        idle()
    end),
    Victim = receive {victim, V} -> V end,
    exit(Victim, kill),
    receive {trapper_got, W1} -> io:format("linked to killed: ~p~n", [W1]) end,
    receive {trapper_got, W2} -> io:format("linked to exit(kill): ~p~n", [W2]) end,
    R = monitor(process, Trapper),
    exit(Trapper, kill),
    receive {'DOWN', R, process, Trapper, W3} -> io:format("trapper: ~p~n", [W3]) end.

exit2_cases() ->
    P = spawn(fun idle/0),
    R = monitor(process, P),
    io:format("exit normal: ~p~n", [exit(P, normal)]),
    receive {'DOWN', R, _, _, _} -> io:format("died~n") after 20 -> io:format("ignored~n") end,
    exit(P, {custom, [1, 2]}),
    receive {'DOWN', R, _, _, W} -> io:format("reason: ~p~n", [W]) end,
    io:format("exit dead: ~p~n", [exit(P, kill)]),
    io:format("exit badarg: ~p~n", [catch_error(fun() -> exit(foo, kill) end)]),
    exit(self(), normal),
    receive M -> io:format("self normal: ~p~n", [M =:= {'EXIT', self(), normal}]) end,
    exit(self(), reason),
    receive M2 -> io:format("self reason: ~p~n", [M2 =:= {'EXIT', self(), reason}]) end,
    {Q, RQ} = spawn_monitor(fun() -> exit(self(), normal), io:format("not reached~n") end),
    receive {'DOWN', RQ, process, Q, WQ} -> io:format("own exit normal: ~p~n", [WQ]) end,
    {Q2, RQ2} = spawn_monitor(fun() -> catch exit(self(), kill), io:format("not reached~n") end),
    receive {'DOWN', RQ2, process, Q2, WQ2} -> io:format("own kill: ~p~n", [WQ2]) end.

link_dead() ->
    D = spawn(fun() -> ok end),
    R = monitor(process, D),
    receive {'DOWN', R, _, _, _} -> ok end,
    io:format("link dead trapping: ~p~n", [link(D)]),
    receive {'EXIT', D, Why} -> io:format("got ~p~n", [Why]) end,
    Self = self(),
    spawn(fun() -> Self ! {nontrap, catch_error(fun() -> link(D) end)} end),
    receive {nontrap, E} -> io:format("link dead: ~p~n", [E]) end.

unlink_case() ->
    P = spawn_link(fun idle/0),
    {links, L} = process_info(self(), links),
    io:format("linked: ~p~n", [lists:member(P, L)]),
    io:format("unlink: ~p~n", [unlink(P)]),
    {links, L2} = process_info(self(), links),
    io:format("still linked: ~p~n", [lists:member(P, L2)]),
    exit(P, kill),
    receive M -> io:format("unexpected ~p~n", [M]) after 20 -> io:format("no exit message~n") end,
    io:format("unlink badarg: ~p~n", [catch_error(fun() -> unlink(foo) end)]).

spawn_variants() ->
    P1 = spawn_link(fun() -> exit(one) end),
    receive {'EXIT', P1, W1} -> io:format("spawn_link/1: ~p~n", [W1]) end,
    P2 = spawn_link(erlang, exit, [two]),
    receive {'EXIT', P2, W2} -> io:format("spawn_link/3: ~p~n", [W2]) end,
    {P3, R3} = spawn_monitor(fun() -> exit(three) end),
    receive {'DOWN', R3, process, P3, W3} -> io:format("spawn_monitor/1: ~p~n", [W3]) end,
    {P4, R4} = spawn_monitor(erlang, exit, [four]),
    receive {'DOWN', R4, process, P4, W4} -> io:format("spawn_monitor/3: ~p~n", [W4]) end,
    {P5, R5} = spawn_opt(fun() -> exit(five) end,
                         [link, monitor, {priority, high}, {min_heap_size, 1000},
                          {fullsweep_after, 10}]),
    receive {'DOWN', R5, process, P5, W5} -> io:format("spawn_opt down: ~p~n", [W5]) end,
    receive {'EXIT', P5, W6} -> io:format("spawn_opt exit: ~p~n", [W6]) end,
    Node = node(),
    P7 = spawn(Node, fun() -> exit(seven) end),
    io:format("spawn/2: ~p~n", [is_pid(P7)]),
    P8 = spawn_link(Node, fun() -> exit(eight) end),
    receive {'EXIT', P8, W8} -> io:format("spawn_link/2: ~p~n", [W8]) end,
    P9 = spawn_link(Node, erlang, exit, [nine]),
    receive {'EXIT', P9, W9} -> io:format("spawn_link/4: ~p~n", [W9]) end,
    {P10, R10} = spawn_monitor(Node, erlang, exit, [ten]),
    receive {'DOWN', R10, process, P10, W10} -> io:format("spawn_monitor/4: ~p~n", [W10]) end,
    {P11, R11} = spawn_opt(Node, fun() -> exit(eleven) end, [monitor]),
    receive {'DOWN', R11, process, P11, W11} -> io:format("spawn_opt/3: ~p~n", [W11]) end,
    P12 = spawn_opt(Node, erlang, exit, [twelve], [link]),
    receive {'EXIT', P12, W12} -> io:format("spawn_opt/5: ~p~n", [W12]) end,
    P13 = spawn(Node, erlang, exit, [thirteen]),
    io:format("spawn/4: ~p~n", [is_pid(P13)]),
    P6 = spawn_opt(?MODULE, idle, [], [{priority, low}]),
    io:format("priority: ~p~n", [process_info(P6, priority)]),
    exit(P6, kill),
    io:format("bad option: ~p~n", [catch_error(fun() -> spawn_opt(fun idle/0, [bogus]) end)]),
    io:format("spawn badarg: ~p~n", [catch_error(fun() -> spawn_link(1, 2, 3) end)]).

crash_reasons() ->
    P1 = spawn_link(fun() -> error(oops) end),
    receive {'EXIT', P1, {oops, [_ | _]}} -> io:format("error reason has a stack~n") end,
    P2 = spawn_link(fun() -> throw(ball) end),
    receive {'EXIT', P2, {{nocatch, ball}, [_ | _]}} -> io:format("throw becomes nocatch~n") end,
    P3 = spawn_link(fun() -> exit({shutdown, x}) end),
    receive {'EXIT', P3, R3} -> io:format("exit: ~p~n", [R3]) end,
    P4 = spawn_link(fun() -> ok end),
    receive {'EXIT', P4, R4} -> io:format("return: ~p~n", [R4]) end,
    P5 = spawn_link(fun() -> must_be_one(2) end),
    receive {'EXIT', P5, {R5, _}} -> io:format("badmatch: ~p~n", [R5]) end.

must_be_one(X) -> 1 = X.

wake(Tag) ->
    receive M -> exit({Tag, M}) end.

hibernate_case() ->
    {P, R} = spawn_monitor(fun() -> erlang:hibernate(?MODULE, wake, [woke]) end),
    io:format("hibernating status: ~p~n", [settled_status(P, 60000)]),
    P ! hello,
    receive {'DOWN', R, process, P, W} -> io:format("after hibernate: ~p~n", [W]) end,
    io:format("yield: ~p~n", [erlang:yield()]).

%% Signals from one process to another arrive in the order sent: messages
%% before an exit signal are received first, by a trapping process.
ordering() ->
    Self = self(),
    P = spawn(fun() ->
        process_flag(trap_exit, true),
        Self ! ready,
        receive go -> ok end,
        Self ! {got, [receive M -> M end || _ <- lists:seq(1, 5)]}
    end),
    receive ready -> ok end,
    P ! m1, P ! m2,
    exit(P, sig1),
    P ! m3,
    exit(P, normal),
    P ! go,
    receive {got, Ms} -> io:format("order: ~p~n", [[strip(M, P) || M <- Ms]]) end,
    %% Without trapping, an exit signal sent after messages still kills.
    Q = spawn(fun() -> receive go -> ok end, receive after infinity -> ok end end),
    R = monitor(process, Q),
    Q ! go,
    exit(Q, stop_now),
    receive {'DOWN', R, process, Q, W} -> io:format("after message: ~p~n", [W]) end.

strip({'EXIT', _, Why}, _) -> {exit, Why};
strip(M, _) -> M.

group_leaders() ->
    P = spawn(fun idle/0),
    io:format("set other: ~p~n", [group_leader(self(), P)]),
    {group_leader, G} = process_info(P, group_leader),
    io:format("is set: ~p~n", [G =:= self()]),
    R = monitor(process, P),
    exit(P, kill),
    receive {'DOWN', R, process, P, _} -> ok end,
    io:format("dead: ~p~n", [catch_error(fun() -> group_leader(self(), P) end)]),
    io:format("bad: ~p~n", [catch_error(fun() -> group_leader(foo, self()) end)]).

%% P's status once it has run up to where it waits (a new process may
%% not have run yet on a loaded machine: runnable), polled at most Tries
%% times.
settled_status(P, Tries) ->
    case process_info(P, status) of
        {status, S} when (S =:= runnable orelse S =:= running
                          orelse S =:= garbage_collecting), Tries > 0 ->
            receive after 1 -> settled_status(P, Tries - 1) end;
        Status -> Status
    end.

catch_error(F) ->
    try F() of V -> {ok, V} catch C:E -> {C, E} end.
