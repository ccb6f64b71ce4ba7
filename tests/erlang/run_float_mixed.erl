%% Mixed integer/float `+`, `-`, `*` (the operators' float fast path):
%% small integers converted as BEAM does, signed zeros, results that
%% overflow (badarith), bignum operands, and the operators in guards.
-module(run_float_mixed).
-export([main/0]).

main() ->
    Vals = [0, 1, -1, 7, 9007199254740993, -(1 bsl 59), (1 bsl 59) - 1,
            1 bsl 70, 0.0, -0.0, 0.5, -2.5, 1.0e308, -1.0e308, 4.9e-324],
    Ops = [{'+', fun(A, B) -> A + B end},
           {'-', fun(A, B) -> A - B end},
           {'*', fun(A, B) -> A * B end}],
    [io:format("~w ~w ~w -> ~w~n", [A, Op, B, apply_op(F, A, B)])
     || {Op, F} <- Ops, A <- Vals, B <- Vals, is_float(A) orelse is_float(B)],
    [io:format("guard ~w ~w -> ~w~n", [A, B, guarded(A, B)])
     || A <- [1, 0.5, 1.0e308, a], B <- [2, -0.25, 1.0e308]],
    io:format("~w~n", [loop(10, 0.5, 0.0)]).

apply_op(F, A, B) ->
    try F(A, B) of
        R -> {ok, R}
    catch
        C:E -> {C, E}
    end.

guarded(A, B) when A * B + A - B > 1.0 -> big;
guarded(A, B) when is_number(A), A * B < 1 -> small;
guarded(_, _) -> other.

loop(0, _, Acc) -> Acc;
loop(I, H, Acc) ->
    X = (I - 0.5) * H,
    loop(I - 1, H, Acc + 4 * X - 1 * X + I).
