%% Allocation beyond the last test_heap: a comprehension's return trace
%% boxes the floats its function trace kept raw in the frame (the
%% interpreter boxed them at the fmoves into Y registers, under an
%% earlier heap check), and a loop boxes a float argument it keeps
%% unboxed into a list cell. The heap check before the allocation is
%% widened to cover the boxes; its exit (a collection) comes at every
%% few steps. Guards fail on purpose inside: an element turning from
%% float to integer midway, a non-number raising badarith, bodies that
%% do not match, lists deeper than the frame buffer, and several
%% processes yielding mid-comprehension.
-module(run_jit_lc_floats).
-export([main/0]).

main() ->
    Bs = bodies(5),
    io:format("~p~n", [loop(300, Bs)]),
    io:format("~p~n", [loop(40, bodies(200))]),
    io:format("~p~n", [step(bodies(3) ++ [{1, 2, 3, 4, 5, 6, 7}] ++ bodies(3), 0.5)]),
    io:format("~p~n", [step(bodies(4) ++ [{1.0, 2.0, 3, 4.0, 5.0, 6.0, 7}], 0.25)]),
    io:format("~p~n", [step(bodies(3) ++ [not_a_body, {1.0}] ++ bodies(2), 0.125)]),
    io:format("~p~n", [[step(bodies(K), 1.5) || K <- lists:seq(0, 8)]]),
    show(badarith, fun() -> step(bodies(6) ++ [{a, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0}], 0.5) end),
    show(thrown, fun() -> catch [thrower(B) || B <- bodies(30)] end),
    io:format("~p~n", [[length(floats(F, N, [])) || {F, N} <- [{0.5, 10}, {1.0e300, 3000}]]]),
    io:format("~p~n", [lists:sum(floats(0.25, 5000, []))]),
    show(overflow, fun() -> floats(1.0e308, 400, []) end),
    io:format("~p~n", [mixed(lists:seq(1, 40) ++ [1.5, 2.5] ++ lists:seq(1, 30), [])]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), loop(200 + K, bodies(K))} end) || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(Tag, F) ->
    io:format("~p ~p~n", [Tag, try F() catch C:R -> {C, R} end]).

bodies(N) ->
    [{K * 1.5, K * 0.25, -K * 0.5, K * 0.01, -K * 0.02, K * 0.03, 1.0 + K}
     || K <- lists:seq(1, N)].

loop(0, Bs) -> Bs;
loop(N, Bs) -> loop(N - 1, step(Bs, 0.01)).

%% bench_nbody's advance/2 comprehension: the frame keeps three new floats
%% raw and four elements as terms across the recursive call.
step(Bs, Dt) ->
    [{X + Dt * Vx, Y + Dt * Vy, Z + Dt * Vz, Vx, Vy, Vz, M}
     || {X, Y, Z, Vx, Vy, Vz, M} <- Bs].

thrower({X, _, _, _, _, _, _}) when X > 40.0 -> throw({big, X});
thrower(B) -> B.

%% A float loop argument boxed into each cell (beyond the cell's test_heap).
floats(_, 0, Acc) -> Acc;
floats(F, N, Acc) -> floats(F * 1.0001, N - 1, [F | Acc]).

%% Elements turning from integers to floats and back.
mixed([], Acc) -> Acc;
mixed([H | T], Acc) -> mixed(T, [H * 2 | Acc]).
