-module(run_rand_arith).
-export([main/0]).

%% Randomized differential test of arithmetic: integer operators on
%% operands around the small/big boundaries (2^27, 2^59, 2^60, 2^63, 2^64)
%% and on bignums, float operators, the rounding BIFs, and conversions to
%% and from text in every base, with errors caught (class and reason).
%% Each batch prints a digest and its first case
%% (run_rand_terms:batches/5; -DVERBOSE there prints every case).

main() ->
    rand:seed(exsss, {1, 2, 3}),
    run_rand_terms:batches(int2, 20, 50, fun int2/1, fun() -> {gen_int(), gen_int()} end),
    run_rand_terms:batches(shift, 8, 50, fun shift/1, fun() -> {gen_int(), gen_shift()} end),
    run_rand_terms:batches(mixed, 10, 50, fun mixed/1, fun() -> {gen_num(), gen_num()} end),
    run_rand_terms:batches(round, 10, 50, fun rounding/1, fun gen_num/0),
    run_rand_terms:batches(text, 10, 40, fun text/1, fun() -> {gen_int(), 2 + rand:uniform(35) - 1} end),
    run_rand_terms:batches(ftext, 10, 40, fun ftext/1, fun gen_float/0),
    run_rand_terms:batches(parse, 10, 50, fun parse/1, fun gen_text/0),
    ok.

%% An operation's value, or its exception's class and reason.
t(F) ->
    try F() catch C:R -> {C, R} end.

%% Applied through a variable, so the compiler folds nothing.
op(Op, A, B) -> t(fun() -> erlang:Op(A, B) end).
op(Op, A) -> t(fun() -> erlang:Op(A) end).

int2({A, B}) ->
    {A, B,
     [op(Op, A, B) || Op <- ['+', '-', '*', 'div', 'rem', 'band', 'bor', 'bxor']],
     [op(Op, A) || Op <- ['-', 'abs', 'bnot', float, integer_to_list]],
     t(fun() -> A + B - B =:= A end),
     t(fun() -> (A div B) * B + A rem B =:= A end),
     t(fun() -> -A + A end),
     t(fun() -> A * A - B * B =:= (A + B) * (A - B) end),
     t(fun() -> (A band B) + (A bor B) =:= A + B end),
     t(fun() -> A bxor B bxor B =:= A end),
     A < B, A == B, A =:= B, max(A, B), min(A, B),
     guard(A, B)}.

%% The same operators inside guards (a failure is false, not an error).
guard(A, B) ->
    [if A + B > 0 -> pos; true -> nonpos end,
     if A * B > A -> gt; true -> le end,
     if A rem B =:= 0 -> divides; true -> nodiv end,
     if A band B =/= 0 -> some; true -> none end,
     if abs(A) >= abs(B) -> bigger; true -> smaller end,
     if is_integer(A div B) -> ok; true -> bad end].

shift({A, S}) ->
    {A, S, op('bsl', A, S), op('bsr', A, S), op('bsl', A, -S), op('bsr', A, -S),
     t(fun() -> (A bsl S) bsr S =:= A end),
     t(fun() -> A bsr S =:= A div (1 bsl S) end),
     t(fun() -> A band ((1 bsl S) - 1) end)}.

mixed({A, B}) ->
    {A, B,
     [op(Op, A, B) || Op <- ['+', '-', '*', '/', 'div', 'rem']],
     A < B, A == B, A =:= B, A >= B,
     t(fun() -> math:pow(A, 2) end), t(fun() -> math:sqrt(A) end),
     t(fun() -> math:log(A) end), t(fun() -> math:exp(B / 1.0e300) end),
     t(fun() -> math:fmod(A, B) end), t(fun() -> math:atan2(A, B) end),
     t(fun() -> float(A) end)}.

rounding(X) ->
    {X, [op(Op, X) || Op <- [trunc, round, ceil, floor, abs, float, '-']],
     t(fun() -> trunc(X) =< ceil(X) end), t(fun() -> floor(X) =< round(X) + 1 end),
     t(fun() -> X * 0.5 end), t(fun() -> X / 3 end), t(fun() -> 1 / X end)}.

text({I, Base}) ->
    L = integer_to_list(I, Base),
    {I, Base, L, integer_to_binary(I, Base), integer_to_list(I), integer_to_binary(I),
     list_to_integer(L, Base) =:= I, binary_to_integer(list_to_binary(L), Base) =:= I,
     list_to_integer(string:lowercase(L), Base) =:= I,
     t(fun() -> list_to_integer("+" ++ L, Base) end),
     t(fun() -> list_to_integer(L ++ "z", Base) end),
     t(fun() -> integer_to_list(I, Base + 35) end),
     io_lib:format("~.*b ~.*B ~.*x ~w ~s", [Base, I, Base, I, Base, I, "p", I, L])}.

ftext(F) ->
    {F, float_to_list(F), float_to_binary(F),
     [t(fun() -> float_to_list(F, O) end)
      || O <- [[], [short], [compact], [{decimals, 0}], [{decimals, 3}, compact],
               [{decimals, 20}], [{scientific, 0}], [{scientific, 5}], [{scientific, 30}],
               [{decimals, 253}], [{decimals, 254}], [{scientific, 250}], [{decimals, -1}],
               [{decimals, 3}, short], [short, {scientific, 3}], [bogus]]],
     t(fun() -> float_to_binary(F, [{decimals, 4}]) end),
     t(fun() -> list_to_float(float_to_list(F)) =:= F end),
     t(fun() -> list_to_float(float_to_list(F, [short])) end),
     t(fun() -> binary_to_float(float_to_binary(F, [{scientific, 17}])) end),
     io_lib:format("~f ~e ~g ~.3f ~.10e ~.2g ~w ~p ~15.4f|~-12.2e|", [F, F, F, F, F, F, F, F, F, F])}.

%% Random number-ish text: digits, signs, points, exponents, junk.
gen_text() ->
    N = rand:uniform(14),
    [pick("0123456789012345678901234567890123456789+-.eE_ #xZ") || _ <- lists:seq(1, N)].

parse(S) ->
    {S,
     t(fun() -> list_to_integer(S) end),
     t(fun() -> list_to_integer(S, 16) end),
     t(fun() -> list_to_float(S) end),
     t(fun() -> binary_to_integer(list_to_binary(S)) end),
     t(fun() -> binary_to_float(list_to_binary(S)) end),
     t(fun() -> string:to_integer(S) end),
     t(fun() -> string:to_float(S) end),
     t(fun() -> erl_scan:string(S) end)}.

%% ---------------------------------------------------------------- values

pick(L) -> lists:nth(rand:uniform(length(L)), L).

gen_int() ->
    Base = pick([0, 1 bsl 27, 1 bsl 59, 1 bsl 60, 1 bsl 63, 1 bsl 64, 1 bsl 32, 1 bsl 31,
                 1 bsl 128, 1 bsl 200, 10, 100, 1 bsl 26, 1 bsl 58, 1 bsl 62]),
    Off = rand:uniform(9) - 5,
    Big = case rand:uniform(4) of
              1 -> rand:uniform(1 bsl 70) * pick([1, 1 bsl 64, 1 bsl 130]);
              2 -> rand:uniform(1 bsl 30);
              _ -> 0
          end,
    pick([1, -1]) * (Base + Off + Big).

gen_shift() -> pick([0, 1, 3, 27, 31, 32, 59, 60, 63, 64, 65, 100, 128, 200, rand:uniform(300)]).

gen_num() ->
    case rand:uniform(3) of
        1 -> gen_float();
        _ -> gen_int()
    end.

gen_float() ->
    pick([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 1.0e300, -1.0e-300, 5.0e-324,
          2.2250738585072014e-308, 1.7976931348623157e308, 9007199254740992.0,
          float(1 bsl 63), float(1 bsl 64), -float(1 bsl 63), 1.0e15, 1.0e16, 123456.789,
          0.1, 0.3, 1/3, 4503599627370495.5, -4503599627370495.5, 1.0e23, 5.0e-5,
          rand:uniform() * math:pow(10, rand:uniform(40) - 20),
          -rand:uniform() * (1 bsl 62), float(rand:uniform(1000)),
          rand:normal() * 1.0e6, float(gen_int())]).
