%% div and rem in compiled loops: negative operands (truncation toward
%% zero, the remainder's sign), a divisor that becomes zero halfway
%% (badarith from inside the trace), and the smallest small integer
%% divided by -1 (a bignum).
-module(run_jit_divrem).
-export([main/0]).

main() ->
    io:format("~p~n", [digits(1 bsl 55, 0)]),
    io:format("~p~n", [mixed(-3000, 0, 0)]),
    io:format("~p~n", [catch_error(fun() -> by(1000, 600, 0) end)]),
    Min = -(1 bsl 59),
    io:format("~p~n", [neg(2000, Min, 0)]),
    io:format("~p~n", [[gcd(A, B) || A <- lists:seq(1, 200, 13), B <- [12, 35, 1000]]]),
    ok.

digits(0, S) -> S;
digits(N, S) -> digits(N div 10, S + N rem 10).

mixed(3000, Q, R) -> {Q, R};
mixed(N, Q, R) -> mixed(N + 1, Q + N div 7, R + N rem -7).

by(0, _, Acc) -> Acc;
by(N, D, Acc) -> by(N - 1, D - 1, Acc + N div D + N rem D).

%% The divisor is 1 except at N = 1000, where it is -1.
neg(0, _, Acc) -> Acc;
neg(N, X, Acc) ->
    D = if N =:= 1000 -> -1; true -> 1 end,
    neg(N - 1, X, Acc + X div D - X).

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

catch_error(F) ->
    try F() catch C:R -> {C, R} end.
