%% monitor/2 of a process that is already dead, then demonitor/1,2: the
%% noproc DOWN is a signal the process has not handled yet, so demonitor
%% takes it back ([info] answers true, no DOWN is ever delivered); after a
%% receive (which handles signals) or a yield it is a message.
-module(run_demonitor_dead).
-export([main/0]).

main() ->
    {P, R} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', R, _, _, _} -> ok end,
    M1 = monitor(process, P), A = demonitor(M1),
    M2 = monitor(process, P), B = demonitor(M2, [info]),
    M3 = monitor(process, P), C = demonitor(M3, [flush, info]),
    io:format("before handling: ~p~n", [{A, B, C, length(msgs())}]),
    %% A receive handles the signal: the DOWN is a message then.
    M4 = monitor(process, P),
    D = receive {'DOWN', M4, process, P, Why} -> Why after 0 -> none end,
    io:format("receive after 0: ~p~n", [D]),
    M5 = monitor(process, P),
    receive nothing -> ok after 0 -> ok end,
    E = demonitor(M5, [info]),
    io:format("after a receive: ~p ~p~n", [E, length(msgs())]),
    M6 = monitor(process, P),
    erlang:yield(),
    F = demonitor(M6, [info]),
    io:format("after yield: ~p ~p~n", [F, length(msgs())]),
    %% Several pending at once, taken back out of order.
    Ms = [monitor(process, P) || _ <- lists:seq(1, 5)],
    G = [demonitor(M, [info]) || M <- lists:reverse(Ms)],
    io:format("several: ~p ~p~n", [G, length(msgs())]),
    %% A registered name that does not exist.
    M7 = monitor(process, no_such_name),
    H = demonitor(M7, [info]),
    M8 = monitor(process, no_such_name),
    I = receive {'DOWN', M8, process, Obj, Why2} -> {Obj, Why2} after 0 -> none end,
    io:format("names: ~p ~p~n", [H, I]),
    %% A message sent to itself before the monitor stays first.
    self() ! first,
    M9 = monitor(process, P),
    io:format("order: ~p~n", [msgs_tagged(M9)]),
    names(P).

%% Monitors of an unregistered name: a receive sees their DOWN at once.
names(P) ->
    M1 = monitor(process, nn), A = demonitor(M1, [info]), A2 = length(msgs()),
    M2 = monitor(process, nn), B = demonitor(M2), B2 = length(msgs()),
    M3 = monitor(process, nn),
    receive {'DOWN', M3, _, _, _} -> ok after 0 -> none end,
    C = demonitor(M3, [info]),
    M4 = monitor(process, nn), erlang:yield(),
    D = demonitor(M4, [info]), D2 = length(msgs()),
    M5 = monitor(process, {nn, node()}), E = demonitor(M5, [info]), E2 = length(msgs()),
    M6 = monitor(process, P), timer:sleep(10),
    F = demonitor(M6, [info]), F2 = length(msgs()),
    M7 = monitor(process, P),
    G = receive {'DOWN', M7, _, _, _} -> got after 50 -> none end,
    M8 = monitor(process, P), H = receive {'DOWN', M8, _, _, _} -> got end,
    M9 = monitor(process, P), self() ! x, I = receive x -> x end,
    I2 = demonitor(M9, [info]),
    io:format("~p~n", [[{A, A2}, {B, B2}, C, {D, D2}, {E, E2}, {F, F2}, G, H, {I, I2},
                        length(msgs())]]).

msgs() ->
    receive X -> [X | msgs()] after 0 -> [] end.

msgs_tagged(M) ->
    [case X of {'DOWN', M, _, _, _} -> down; _ -> X end || X <- msgs()].
