%% The mandelbrot kernel: a float loop per point of an N x N grid,
%% counting the points that stay bounded for 50 iterations.
-module(bench_mandel).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> rows(N - 1, N, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

rows(-1, _, Acc) -> Acc;
rows(Y, N, Acc) ->
    Ci = 2.0 * Y / N - 1.0,
    rows(Y - 1, N, cols(N - 1, N, Ci, Acc)).

cols(-1, _, _, Acc) -> Acc;
cols(X, N, Ci, Acc) ->
    Cr = 2.0 * X / N - 1.5,
    cols(X - 1, N, Ci, Acc + point(Cr, Ci, 0.0, 0.0, 50)).

point(_, _, Zr, Zi, _) when Zr * Zr + Zi * Zi > 4.0 -> 0;
point(_, _, _, _, 0) -> 1;
point(Cr, Ci, Zr, Zi, K) ->
    point(Cr, Ci, Zr * Zr - Zi * Zi + Cr, 2.0 * Zr * Zi + Ci, K - 1).
