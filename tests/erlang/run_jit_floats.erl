%% Float loops the JIT compiles with floats unboxed in machine registers,
%% whose guards fail on purpose: the exits must box what the interpreter
%% would hold and resume exactly where it would be.
-module(run_jit_floats).
-export([main/0]).

main() ->
    %% The midpoint rule (fconv, fsub, fmul, fdiv, fadd, loop-carried
    %% floats).
    io:format("~.10f~n", [integrate(3000)]),
    %% The mandelbrot kernel (gc_bif arithmetic and a comparison on
    %% floats), escaping at different iteration counts.
    io:format("~p~n", [[point(X / 20, Y / 20, 0.0, 0.0, 300) || X <- lists:seq(-40, 10, 7), Y <- lists:seq(-20, 20, 9)]]),
    %% An integer loop variable turns into a float halfway, and a float one
    %% into an integer.
    io:format("~p~n", [to_float(1000, 0)]),
    io:format("~p~n", [to_int(1000, 0.0)]),
    %% Growth to infinity: badarith from inside the trace, at the
    %% iteration the interpreter raises it.
    io:format("~p~n", [catch_error(fun() -> grow(5000, 1.5, 0) end)]),
    io:format("~p~n", [catch_error(fun() -> fgrow(5000, 1.5) end)]),
    %% Division by zero halfway (0.0 after 500 iterations).
    io:format("~p~n", [catch_error(fun() -> divide(1000, 1.0) end)]),
    %% Negation, mixed integer/float operands, comparisons both ways.
    io:format("~p~n", [neg(2000, 1.0, 0)]),
    io:format("~p~n", [mix(3000, 0, 0.25)]),
    %% A loop-carried float that becomes an atom: badarith.
    io:format("~p~n", [catch_error(fun() -> poison(1000, 1.0) end)]),
    %% -0.0 and 0.0 compare equal.
    io:format("~p~n", [zeros(1000, 0.0, 0)]),
    ok.

integrate(Steps) ->
    H = 1.0 / Steps,
    iloop(Steps, H, 0.0) * H.

iloop(0, _, Acc) -> Acc;
iloop(I, H, Acc) ->
    X = (I - 0.5) * H,
    iloop(I - 1, H, Acc + 4.0 / (1.0 + X * X)).

point(_, _, Zr, Zi, K) when Zr * Zr + Zi * Zi > 4.0 -> K;
point(_, _, _, _, 0) -> 0;
point(Cr, Ci, Zr, Zi, K) ->
    point(Cr, Ci, Zr * Zr - Zi * Zi + Cr, 2.0 * Zr * Zi + Ci, K - 1).

to_float(0, Acc) -> Acc;
to_float(N, Acc) when N =:= 500 -> to_float(N - 1, Acc * 1.0);
to_float(N, Acc) -> to_float(N - 1, Acc + N).

to_int(0, Acc) -> Acc;
to_int(N, Acc) when N =:= 500 -> to_int(N - 1, trunc(Acc));
to_int(N, Acc) -> to_int(N - 1, Acc + N).

grow(0, X, C) -> {X, C};
grow(N, X, C) -> grow(N - 1, X * X + 1.0, C + 1).

fgrow(0, X) -> X;
fgrow(N, X) ->
    Y = X * 1.5,
    fgrow(N - 1, Y + Y).

divide(0, X) -> X;
divide(N, X) when N =:= 500 -> divide(N - 1, X / 0.0);
divide(N, X) -> divide(N - 1, X / 1.0001).

neg(0, X, C) -> {X, C};
neg(N, X, C) when -X < 0.0 -> neg(N - 1, -X * 1.001, C + 1);
neg(N, X, C) -> neg(N - 1, -X, C).

mix(0, I, F) -> {I, F};
mix(N, I, F) when F >= 100.0 -> mix(N - 1, I + 1, F - 100);
mix(N, I, F) -> mix(N - 1, I, F + N * 0.01 + 1).

poison(0, X) -> X;
poison(N, _) when N =:= 300 -> poison(N - 1, zero);
poison(N, X) -> poison(N - 1, X + 1.0).

zeros(0, _, C) -> C;
zeros(N, Z, C) when Z == 0.0 -> zeros(N - 1, -Z, C + 1);
zeros(N, Z, C) -> zeros(N - 1, Z, C).

catch_error(F) ->
    try F() catch C:R -> {C, R} end.
