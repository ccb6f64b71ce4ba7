%% Operations whose value nobody reads but which can raise: erlc keeps
%% them for their exception only (`_ = 7 div B`, and `0 * (7 div B)`,
%% which it reduces to the same), and a trace must keep their exits. Each
%% loop runs 1000 times; its divisor (or operand) goes bad at iteration
%% 501 (300 for the shapes), after the loop is compiled.
-module(run_jit_deadops).
-export([main/0]).

-define(INT(F, E), F(0, _, A) -> A; F(N, B, A) -> F(N - 1, B - 1, A + (E))).
-define(LIST(F, E), F([], _, A) -> A; F([_ | T], B, A) -> F(T, B - 1, A + (E))).
-define(FLOAT(F, E), F(0, _, A) -> A; F(N, B, A) -> F(N - 1, B - 1.0, A + (E))).

main() ->
    L = lists:seq(1, 1000),
    Ints = [
        fun i1/3, fun i2/3, fun i3/3, fun i4/3, fun i5/3, fun i6/3, fun i7/3,
        fun i8/3, fun i9/3, fun i10/3, fun i11/3, fun i12/3, fun i13/3,
        fun i14/3, fun i15/3, fun i16/3, fun i17/3, fun i18/3, fun i19/3,
        fun i20/3, fun i21/3
    ],
    [show(F, 1000, 500) || F <- Ints],
    Lists = [fun l1/3, fun l2/3, fun l3/3, fun l4/3, fun l5/3, fun l6/3],
    show(fun i22/3, 1000, 1000),
    [show(fun inv/3, 1000, K) || K <- [3, 0, -1, 0]],
    [show(F, L, 500) || F <- Lists],
    Floats = [fun f1/3, fun f2/3, fun f3/3, fun f4/3, fun f5/3],
    [show(F, 1000, 500.0) || F <- Floats],
    show(fun fo/3, 1000, 0.0),
    show(fun fo2/3, 1000, 0.0),
    %% Entered with B = 1 from inside a fun, 0 from the second iteration.
    show(fun() -> rem_zero([1, 2, 3], -3, 1) end),
    [show(F, 1000, 0) || F <- [fun s1/3, fun s2/3, fun s3/3, fun s4/3, fun s5/3, fun s6/3,
                                fun s7/3, fun s8/3, fun s9/3, fun s10/3]],
    [show(F, 1000, 0) || F <- [fun o1/3, fun o2/3, fun o3/3, fun o4/3]],
    ok.

show(F, N, B) -> show(fun() -> F(N, B, 0) end).

show(F) ->
    io:format("~p~n", [try F() of V -> {ok, V} catch C:E -> {C, E} end]).

%% Integer division and remainder by a counter that reaches 0.
?INT(i1, begin _ = 7 div B, 0 end).
?INT(i2, begin _ = 7 rem B, 0 end).
?INT(i3, 0 * (7 div B)).
?INT(i4, (7 rem B) * 0).
?INT(i5, 0 * element(1, {7 rem B})).
?INT(i6, element(1, {0, 7 div B})).
?INT(i7, case 7 div B of X when is_integer(X) -> 0 end).
?INT(i8, hd([0, 7 rem B])).
?INT(i9, (7 div B) - (7 div B)).
?INT(i10, (7 rem B) band 0).
?INT(i11, (7 div B) bsr 70).
?INT(i12, min(0, 0 * (7 div B))).
?INT(i13, begin _ = B div B, 0 end).
?INT(i14, begin _ = (B - 1) rem B, 0 end).
?INT(i15, begin _ = 7 div (B + 0), 0 end).
?INT(i16, begin _ = 7 div B, _ = 7 rem B, 0 end).
%% Constant divisors: nothing to raise, and the smallest small integer
%% divided by -1 makes a bignum nobody reads.
?INT(i17, begin _ = B div 3, _ = B rem -7, 0 end).
?INT(i18, begin _ = (B - (1 bsl 59) - 500) div -1, 0 end).
%% The division's value is used on some iterations only.
?INT(i19, if B rem 3 =:= 0 -> 7 div B; true -> begin _ = 7 rem B, 1 end end).
?INT(i20, begin _ = 0 div B, 0 end).
?INT(i21, begin _ = 0 rem B, 0 end).
%% A divisor that does not change in the loop: 3 in a first call (which
%% compiles the loop), 0 in the next one.
?INT(i22, begin _ = 7 rem B, 0 end).
inv(0, _, A) -> A;
inv(N, K, A) -> inv(N - 1, K, A + begin _ = 7 div K, 1 end).

?LIST(l1, 0 * (7 div B)).
?LIST(l2, begin _ = 7 rem B, 0 end).
?LIST(l3, element(1, {0, 7 div B})).
?LIST(l4, hd([0, 7 rem B])).
?LIST(l5, (7 div B) * 0).
?LIST(l6, case 7 rem B of X when is_integer(X) -> 0 end).

%% Float division by a float counter that reaches 0.0, and by an integer.
?FLOAT(f1, begin _ = 7.0 / B, 0 end).
?FLOAT(f2, 0 * (7.0 / B)).
?FLOAT(f3, begin _ = 7 / trunc(B), 0 end).
?FLOAT(f4, element(1, {0, 7.0 / B})).
?FLOAT(f5, begin _ = B * B / B, 0 end).

%% Float overflow of a value nobody reads: F reaches 1.0e100 * 564,
%% whose cube is not finite.
fo(0, _, A) -> A;
fo(N, F, A) -> fo(N - 1, F + 1.0e100, A + begin _ = F * F * F, 0 end).
fo2(0, _, A) -> A;
fo2(N, F, A) -> fo2(N - 1, F + 1.0e100, A + begin _ = F * F * F - F, 1 end).

rem_zero([], A, B) -> {A, B};
rem_zero([_ | T], _, B) when is_number(B) -> rem_zero(T, -5, 0 rem B);
rem_zero([_ | T], A, B) -> rem_zero(T, A, B).

%% Operands that go bad at iteration 300: a tuple of another size, an
%% empty list, an atom.
s1(0, _, A) -> A;
s1(N, B, A) -> s1(N - 1, B, A + begin _ = element(2, shape(N)), 0 end).
s2(0, _, A) -> A;
s2(N, B, A) -> s2(N - 1, B, A + begin _ = hd(list(N)), 0 end).
s3(0, _, A) -> A;
s3(N, B, A) -> s3(N - 1, B, A + begin _ = tl(list(N)), 0 end).
s4(0, _, A) -> A;
s4(N, B, A) -> s4(N - 1, B, A + begin _ = num(N) + 1, 0 end).
s5(0, _, A) -> A;
s5(N, B, A) -> s5(N - 1, B, A + begin _ = num(N) * 2.0, 0 end).

s6(0, _, A) -> A;
s6(N, B, A) -> s6(N - 1, B, A + begin _ = abs(num(N)), 0 end).
s7(0, _, A) -> A;
s7(N, B, A) -> s7(N - 1, B, A + begin _ = num(N) band 1, 0 end).
s8(0, _, A) -> A;
s8(N, B, A) -> s8(N - 1, B, A + begin _ = -num(N), 0 end).
s9(0, _, A) -> A;
s9(N, B, A) -> s9(N - 1, B, A + begin _ = num(N) bsl 3, 0 end).
s10(0, _, A) -> A;
s10(N, B, A) -> s10(N - 1, B, A + begin _ = float(num(N)), 0 end).

shape(300) -> {1};
shape(_) -> {1, 2}.
list(300) -> [];
list(N) -> [N].
num(300) -> a;
num(N) -> N.

%% Overflows nobody reads: a bignum, no exception.
o1(0, _, A) -> A;
o1(N, B, A) -> o1(N - 1, B, A + begin X = N bsl 50, _ = X * X, 0 end).
o2(0, _, A) -> A;
o2(N, B, A) -> o2(N - 1, B, A + begin _ = (N bsl 50) bsl 20, 0 end).
o3(0, _, A) -> A;
o3(N, B, A) -> o3(N - 1, B, A + begin _ = (N bsl 58) + (1 bsl 59), 1 end).
%% Comparisons of mixed types are guards, and a float conversion of a
%% large integer.
o4(0, _, A) -> A;
o4(N, B, A) ->
    X = num(N),
    A1 = if X < 500 -> 1; X < 700.0 -> 2; true -> 3 end,
    o4(N - 1, B, A + A1 + begin _ = trunc(float(N) * 1.0e20), 0 end).
