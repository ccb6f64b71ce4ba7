%% An ending process sends its link exit signals before its monitors'
%% DOWN messages, as BEAM does: a trapping parent that both links to and
%% monitors a child gets {'EXIT', ...} before {'DOWN', ...}, whichever of
%% the two it set up first. Signals from one process keep their order, so
%% a message the child sent before it ended comes first.
-module(run_signal_order).
-export([main/0]).

main() ->
    process_flag(trap_exit, true),
    Self = self(),
    P = spawn_link(fun() -> receive go -> Self ! msg, exit(done) end end),
    R = monitor(process, P),
    P ! go,
    io:format("~p~n", [collect(P, R, 3)]),
    Q = spawn(fun() -> receive go -> exit(done2) end end),
    R2 = monitor(process, Q),
    link(Q),
    Q ! go,
    io:format("~p~n", [collect(Q, R2, 2)]),
    %% Killed from outside: the same order, reason killed.
    K = spawn_link(fun() -> receive never -> ok end end),
    R3 = monitor(process, K),
    exit(K, kill),
    io:format("~p~n", [collect(K, R3, 2)]),
    %% A chain: A links to B, the parent links to and monitors both.
    B = spawn_link(fun() -> receive never -> ok end end),
    RB = monitor(process, B),
    A = spawn_link(fun() -> link(B), Self ! linked, receive go -> exit(chain) end end),
    RA = monitor(process, A),
    receive linked -> ok end,
    A ! go,
    io:format("~p~n", [collect(A, RA, 2)]),
    io:format("~p~n", [collect(B, RB, 2)]),
    ok.

%% The next N messages from or about Pid, in arrival order (waits for all).
collect(_, _, 0) -> [];
collect(Pid, Ref, N) ->
    receive
        {'EXIT', Pid, W} -> [{'EXIT', W} | collect(Pid, Ref, N - 1)];
        {'DOWN', Ref, process, Pid, W} -> [{'DOWN', W} | collect(Pid, Ref, N - 1)];
        msg -> [msg | collect(Pid, Ref, N - 1)]
    end.
