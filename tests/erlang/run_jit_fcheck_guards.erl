%% Float loops over lists of tuples whose runs of arithmetic hold type
%% guards (a field's unboxing) and end in one check of several values:
%% the guards exit through the run's first operation, so a field that
%% is not a float right after a value went infinite must still raise
%% `badarith` where BEAM does (not hand the infinity on), and the one
%% check of three values must catch each of them alone.
-module(run_jit_fcheck_guards).
-export([main/0]).

main() ->
    Bs = [{1.0, I / 7, 1.0 + I / 1000} || I <- lists:seq(1, 1500)],
    io:format("~p~n", [step(Bs, 10.0, 0.0, 0.0)]),
    %% Y not a float: the interpreter adds it as an integer.
    io:format("~p~n", [step(Bs ++ [{1.0, 2, 3.0}] ++ Bs, 10.0, 0.0, 0.0)]),
    %% A * X is infinite and then Y is not a float (its guard fails
    %% after the operation that raises).
    [io:format("~p~n", [try step(Bs ++ [E] ++ Bs, 10.0, 0.0, 0.0) catch error:R -> R end])
     || E <- [{1.0e308, 2, 3.0}, {1.0e308, 2.0, 3}, {1.0e308, 2.0, 3.0},
              {1.0, 2.0, a}, {1.0, 2.0}, {1.0e308, 2.0}, not_a_tuple]],
    %% The list ends in something else, after a value went infinite.
    io:format("~p~n", [try step(Bs ++ [{1.0e308, 1.0, 1.0} | x], 10.0, 0.0, 0.0)
                       catch error:R1 -> R1 end]),
    io:format("~p~n", [try step(Bs ++ [{1.0, 1.0, 1.0} | x], 10.0, 0.0, 0.0)
                       catch error:R2 -> R2 end]),
    Ts = [{float(I), I / 3, 2.5 - I / 100} || I <- lists:seq(1, 1500)],
    io:format("~p~n", [scale(Ts, 1.5, none)]),
    %% Each of the three products alone is infinite, then two at once.
    [io:format("~p~n", [try scale(Ts ++ [E] ++ Ts, 1.5, none) catch error:R3 -> {R3, E} end])
     || E <- [{1.7e308, 1.0, 1.0}, {1.0, 1.7e308, 1.0}, {1.0, 1.0, -1.7e308},
              {1.7e308, -1.7e308, 1.0}, {1.0, 2, 1.7e308}, {1, 1.7e308, 1.0}]],
    io:format("~p~n", [spawned()]).

%% A * X first, then Y's and Z's unboxing in the same run.
step([], A, B, C) -> {A, B, C};
step([{X, Y, Z} | T], A, B, C) ->
    A1 = A * X,
    B1 = B + Y,
    C1 = C - Z * B1,
    step(T, A1, B1 * 0.5, C1 * 0.5).

%% Three values no later operation of the run reads: one check of all
%% three before the tuple is built.
scale([], _, Last) -> Last;
scale([{X, Y, Z} | T], K, _) ->
    P = X * K,
    Q = Y * K,
    R = Z * K,
    scale(T, K, {P, Q, R}).

%% The loops in several processes at once, yielding mid-list.
spawned() ->
    Self = self(),
    Bs = [{1.0, I / 5, 1.0 + I / 999} || I <- lists:seq(1, 20000)],
    Ps = [spawn(fun() -> Self ! {self(), step(Bs, 10.0, float(K), 0.0)} end)
          || K <- lists:seq(1, 4)],
    [receive {P, R} -> R end || P <- Ps].
