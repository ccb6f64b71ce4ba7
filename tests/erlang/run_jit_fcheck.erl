%% Float loops whose arithmetic the JIT checks for a finite result once
%% per run of operations: each run is made to overflow on purpose at its
%% first, a middle and its last operation, and through a value that only
%% a later operation reads, so the exit (at the run's first operation)
%% must let the interpreter raise exactly where BEAM does.
-module(run_jit_fcheck).
-export([main/0]).

main() ->
    io:format("~p~n", [mandel(0.25, 0.5)]),
    io:format("~p~n", [[count(C, 0.0, 0.0, 0) || C <- [0.1, 0.3, -1.9, 0.26]]]),
    [io:format("~p~n", [try grow(1000, X, Y, K) catch error:R -> {R, X, Y, K} end])
     || {X, Y, K} <- [{1.0, 1.0, 1.5}, {1.0e300, 1.0, 2.0}, {1.0, 1.0e300, 1.0e10},
                      {1.0e150, 2.0, 1.0}, {-1.0e300, 1.0e300, 1.0e8}, {3.0, -2.0, 1.0e-3}]],
    io:format("~p~n", [try sweep(2000, 1.0, 0.0) catch error:R -> R end]),
    io:format("~p~n", [try neg(3000, 1.0, 1.0) catch error:R2 -> R2 end]),
    io:format("~p~n", [frame(2000, 1.0, 0.0)]),
    io:format("~p~n", [try frame(2000, 1.0e200, 0.0) catch error:R3 -> R3 end]),
    Ps = [{float(I), I / 7} || I <- lists:seq(1, 1500)],
    io:format("~p~n", [pairs(Ps, 0.0)]),
    io:format("~p~n", [pairs(Ps ++ [{2.0, 3}, {4.0, 0.5}], 0.0)]),
    io:format("~p~n", [try pairs(Ps ++ [{1.0, 2.0, 3.0}], 0.0) catch error:R4 -> R4 end]),
    io:format("~p~n", [try pairs(Ps ++ [{-1.0, 2.0}], 0.0) catch error:R5 -> R5 end]).

%% A grid of points, as bench_mandel.
mandel(Cr0, Ci0) ->
    lists:sum([count(Cr0 + X / 40, Ci0 + Y / 40, 0.0, 0.0, 0)
               || X <- lists:seq(-40, 40), Y <- lists:seq(-40, 40)]).

count(C, Zr, Zi, N) -> count(C, 0.0, Zr, Zi, N).

count(_, _, Zr, Zi, N) when Zr * Zr + Zi * Zi > 4.0; N >= 60 -> N;
count(Cr, Ci, Zr, Zi, N) ->
    count(Cr, Ci, Zr * Zr - Zi * Zi + Cr, 2.0 * Zr * Zi + Ci, N + 1).

%% Three products and sums per step: X * K overflows first, or Y * Y,
%% or only their sum.
grow(0, X, Y, _) -> {X, Y};
grow(N, X, Y, K) ->
    A = X * K,
    B = Y * Y,
    S = A + B - X,
    grow(N - 1, S / (S * S + 1.0) * 3.0, B / (B + 1.0) + X * 1.0e-3, K).

%% X grows until X * X is infinite; D = X * X - X * X is then NaN.
sweep(0, X, Acc) -> {X, Acc};
sweep(N, X, Acc) ->
    D = X * X - X * X,
    sweep(N - 1, X * 1.5, Acc + D).

%% A negation between the operations of a run.
neg(0, X, Y) -> {X, Y};
neg(N, X, Y) ->
    Z = -(X * Y),
    neg(N - 1, X * 1.01, -Z * 1.02 - Y).

%% A tuple kept in a Y register across a call to math:sqrt/1 and read
%% again after it (the load is forwarded, its guards go): other elements
%% and other tuples on purpose.
pairs([], Acc) -> Acc;
pairs([P | T], Acc) ->
    D = math:sqrt(element(1, P)),
    pairs(T, Acc + D * element(2, P) - element(1, P) / 3.0).

%% A run inside a stack frame (the call to math:sqrt/1 keeps values in Y
%% registers).
frame(0, X, Acc) -> {X, Acc};
frame(N, X, Acc) ->
    Q = X * X + 1.0,
    R = math:sqrt(Q),
    frame(N - 1, X * 1.001 + R * 1.0e-6, Acc + R * X - Q).
