%% A process that fixed a hash table and died releases its fix, as on
%% BEAM: the table grows again (its traversal order shows it) and keys
%% deleted while it was fixed are gone.
-module(run_ets_fix_exit).
-export([main/0]).

p(X) -> io:format("~p~n", [X]).

main() ->
    T = ets:new(t, [public, set]),
    [ets:insert(T, {I, I}) || I <- lists:seq(1, 100)],
    Me = self(),
    {P, M} = spawn_monitor(fun() ->
                               ets:safe_fixtable(T, true),
                               ets:safe_fixtable(T, true),
                               Me ! fixed,
                               receive stop -> ok end
                           end),
    receive fixed -> ok end,
    p(ets:info(T, fixed)),
    [ets:delete(T, I) || I <- lists:seq(1, 50)],
    [ets:insert(T, {I, I}) || I <- lists:seq(200, 500)],
    P ! stop,
    receive {'DOWN', M, process, P, _} -> ok end,
    p({ets:info(T, fixed), ets:info(T, safe_fixed), ets:info(T, size)}),
    [ets:insert(T, {I, I}) || I <- lists:seq(501, 700)],
    p([K || {K, _} <- ets:tab2list(T)]),
    p(ets:first(T)),
    {Q, N} = spawn_monitor(fun() -> ets:safe_fixtable(T, true), exit(crash) end),
    receive {'DOWN', N, process, Q, R} -> p(R) end,
    p(ets:info(T, fixed)),
    ets:delete(T).
