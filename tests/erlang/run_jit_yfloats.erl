%% Loops shaped as bench_nbody's pull/4: floats kept in Y registers
%% across a call of math:sqrt/1 and read back several times (the trace
%% reads them from the registers they were stored from, not from the
%% frame), with every later guard failing on purpose: an element that is
%% an integer or no number after the call, a square root of a negative
%% number, a division by zero, a product going infinite, a list that
%% ends improperly, and yields in several processes. Each exit must leave
%% the frame and the X registers with BEAM's values.
-module(run_jit_yfloats).
-export([main/0]).

main() ->
    Ps = [{float(I), I / 7, 1.0 / I, float(I rem 13), 1.0} || I <- lists:seq(1, 3000)],
    io:format("~p~n", [pull(Ps, 0.5, [])]),
    %% An integer mass now and then: its unboxing after the call fails,
    %% the other clause's side trace goes on.
    Ints = [case I rem 9 of 0 -> {X, Y, Z, I, S}; _ -> P end
            || {I, {X, Y, Z, _, S} = P} <- lists:zip(lists:seq(1, 3000), Ps)],
    io:format("~p~n", [pull(Ints, 0.5, [])]),
    io:format("~p~n", [catching(fun() -> pull(Ps ++ [{1.0, 2.0, 3.0, x, 1.0}] ++ Ps, 0.5, []) end)]),
    %% The sum of squares is negative: math:sqrt/1 raises.
    io:format("~p~n", [catching(fun() -> pull(Ps ++ [{1.0, 2.0, 3.0, 1.0, -1.0}], 0.5, []) end)]),
    %% All differences zero: a division by zero after the call.
    io:format("~p~n", [catching(fun() -> pull(Ps ++ [{0.5, 0.5, 0.5, 1.0, 1.0}], 0.5, []) end)]),
    %% A huge mass: the products after the call go infinite.
    io:format("~p~n", [catching(fun() -> pull(Ps ++ [{9.0, 9.0, 9.0, 1.0e308, 1.0}] ++ Ps, 0.5, []) end)]),
    io:format("~p~n", [catching(fun() -> pull(Ps ++ improper, 0.5, []) end)]),
    io:format("~p~n", [spawned(Ps)]).

%% Dx, Dy, Dz and D2 live in Y registers across math:sqrt/1 and are read
%% three times each after it; M is unboxed from the tuple after the call
%% (an integer takes `*`'s other path); a sign of -1.0 makes the square
%% root's argument negative.
pull([], _, Acc) -> lists:sum([A + B + C || {A, B, C} <- Acc]);
pull([{X, Y, Z, M, S} | T], D, Acc) ->
    Dx = X - D, Dy = Y - D, Dz = Z - D,
    D2 = Dx * Dx + Dy * Dy + Dz * Dz,
    Mag = 0.01 / (D2 * math:sqrt(D2 * S)),
    pull(T, D, [{Dx * M * Mag, Dy * M * Mag + D2, Dz * M * Mag - Dx * Dy} | Acc]).

catching(F) ->
    try F() catch C:R -> {C, R} end.

spawned(Ps) ->
    Self = self(),
    Long = lists:append(lists:duplicate(5, Ps)),
    Pids = [spawn(fun() -> Self ! {self(), pull(Long, float(K) / 4, [])} end) || K <- [1, 2, 3]],
    [receive {P, R} -> R end || P <- Pids].
