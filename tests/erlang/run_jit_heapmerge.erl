%% A loop building two tuples of floats a pair of bodies, each under a
%% `test_heap` of its own with float unboxing guards between them (as
%% bench_nbody's `pull/4`): the trace checks the heap once for both, at
%% the first, and exits there when the second's room is missing.
%% Collections fall between the two, a guard between them fails on
%% purpose (an integer field), and `math:sqrt/1` raises between them.
-module(run_jit_heapmerge).
-export([main/0]).

main() ->
    Bs = [{float(I), float(I) * 0.5, 1.0 / I, float(I rem 7 + 1)} || I <- lists:seq(1, 3000)],
    B0 = {0.5, 0.25, 1.0, 2.0},
    {B, Out} = pull(B0, Bs, 0.01, 0.0, []),
    io:format("~p~n~p~n~p~n", [B, length(Out), lists:sublist(Out, 3)]),
    %% Many rounds: the heap fills up at every point of the iteration.
    io:format("~p~n", [rounds(60, B0, Bs, 0.0)]),
    %% An integer velocity halfway: the guard between the tuples fails.
    Mixed = lists:sublist(Bs, 1500) ++ [{1.5, 2.5, 3, 4.0}] ++ lists:nthtail(1500, Bs),
    {B2, Out2} = pull(B0, Mixed, 0.01, 0.0, []),
    io:format("~p~n~p~n", [B2, lists:sublist(Out2, 1499, 4)]),
    %% An integer mass: the guard fails before the first tuple.
    Mass = lists:sublist(Bs, 700) ++ [{1.5, 2.5, 3.0, 4}] ++ lists:nthtail(700, Bs),
    {B3, Out3} = pull(B0, Mass, 0.01, 0.0, []),
    io:format("~p~n~p~n", [B3, lists:sublist(Out3, 2299, 4)]),
    %% A square root of a negative number between the two tuples.
    io:format("~p~n", [negative(B0, Bs)]),
    %% Not a tuple, and an improper tail, halfway.
    io:format("~p~n", [catch_all(fun() -> pull(B0, lists:sublist(Bs, 900) ++ [x | Bs], 0.01, 0.0, []) end)]),
    io:format("~p~n", [catch_all(fun() -> pull(B0, lists:sublist(Bs, 900) ++ improper, 0.01, 0.0, []) end)]),
    ok.

pull(B, [], _, _, Acc) -> {B, Acc};
pull({X1, Y1, V1, M1}, [{X2, Y2, V2, M2} | T], K, Lim, Acc) ->
    Dx = X1 - X2,
    Dy = Y1 - Y2,
    D2 = Dx * Dx + Dy * Dy,
    Mag = K / (D2 * math:sqrt(D2 + 1.0 - Lim)),
    B1 = {X1, Y1, V1 - Dx * M2 * Mag, M1},
    O = {X2, Y2, V2 + Dy * M1 * Mag, M2},
    pull(B1, T, K, Lim, [O | Acc]).

rounds(0, _, _, S) -> S;
rounds(N, B, Bs, S) ->
    {{_, _, V, _}, [{_, _, W, _} | _]} = pull(B, Bs, 0.01 * N, 0.0, []),
    rounds(N - 1, B, Bs, S + V + W).

negative(B, Bs) ->
    %% From body 2,000 on the distance is above the limit no more.
    Far = [{X * 1.0e-3, Y * 1.0e-3, V, M} || {X, Y, V, M} <- Bs],
    catch_all(fun() -> pull(B, Far, 0.01, 4.0, []) end).

catch_all(F) ->
    try F() of
        {B, Acc} -> {ok, B, length(Acc)}
    catch
        C:R -> {C, R}
    end.
