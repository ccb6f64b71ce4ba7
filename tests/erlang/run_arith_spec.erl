%% The loader's operator specialisations on X registers: `A + B` and
%% `A - B` (AddXX) and `A band Imm` (BandXI), at the edges of the small
%% integers (where the result becomes a bignum), with bignums, floats and
%% non-numbers (badarith, also caught in a guard).
-module(run_arith_spec).
-export([main/0]).

main() ->
    Max = 1 bsl 59 - 1,
    Min = -(1 bsl 59),
    Vals = [0, 1, -1, 7, -16, Max, Min, Max - 1, Min + 1, 1 bsl 60, -(1 bsl 64),
            1.5, -0.0, 3.0e10],
    [io:format("~w ~w: ~w ~w~n", [A, B, add(A, B), sub(A, B)]) || A <- Vals, B <- Vals],
    [io:format("~w: ~w ~w ~w ~w~n", [A, band_ff(A), band_neg(A), band_big(A), sum_loop(A, 10, 0)])
     || A <- Vals, is_integer(A)],
    io:format("~w~n", [[catch_arith(fun() -> add(id(a), 1) end),
                        catch_arith(fun() -> sub(1, id("x")) end),
                        catch_arith(fun() -> band_ff(id(1.0)) end),
                        catch_arith(fun() -> band_ff(id(b)) end)]]),
    io:format("~w~n", [[guarded(X, Y) || X <- [1, a, 2.5, Max], Y <- [1, b, Max]]]),
    ok.

add(A, B) -> A + B.
sub(A, B) -> A - B.
band_ff(A) -> A band 16#FF.
band_neg(A) -> A band -256.
band_big(A) -> A band 16#7FFFFFFFFFFFFFF.

%% A loop whose sum and mask stay in registers.
sum_loop(_, 0, Acc) -> Acc;
sum_loop(A, N, Acc) -> sum_loop(A, N - 1, (Acc + A) band 16#FFFFFFFFFFFF).

guarded(X, Y) when X + Y > 2; X - Y < 0 -> yes;
guarded(_, _) -> no.

catch_arith(F) -> try F() catch error:R -> R end.

id(X) -> X.
