%% Data for the disassembler comparison: binaries (construction and
%% matching, utf8/16/32, bitstrings), maps, floats, funs and closures,
%% literals, big integers, list comprehensions and strings.
-module(disasm_data).
-export([adder/1, parse/1, build/3, utf/1, maps_ops/2, floats/2, funs/1, literals/0,
         bigs/1, comprehension/1, bits/1, map_match/1, strings/1]).

adder(N) ->
    fun(X) -> X + N end.

parse(<<Len:16/big, Payload:Len/binary, Rest/binary>>) ->
    {Payload, Rest};
parse(<<1:1, Flag:3, _:4, Tail/bits>>) ->
    {flag, Flag, Tail};
parse(<<"magic", N:32/little-signed, F:64/float>>) ->
    {magic, N, F};
parse(<<>>) ->
    empty;
parse(_) ->
    error.

build(A, B, C) ->
    <<A:8, B:16/little, C/binary, (byte_size(C)):32, 3.5:64/float, "tail">>.

utf(Bin) ->
    case Bin of
        <<C/utf8, R/binary>> -> {utf8, C, <<C/utf16, R/binary>>};
        <<C/utf16-little, _/binary>> -> {utf16, <<C/utf32>>};
        _ -> none
    end.

maps_ops(M, K) ->
    M1 = M#{K => 1, other => [K]},
    M2 = M1#{K := 2},
    case M2 of
        #{K := V, other := O} when V > 1 -> {V, O, maps:size(M2)};
        #{} -> #{new => K}
    end.

floats(X, Y) when is_float(X) ->
    Z = X * Y + 2.0 / (Y - 1.5),
    {Z, -X, math:sqrt(abs(Z)), float(round(Z)), trunc(X)};
floats(X, Y) ->
    X / Y.

funs(N) ->
    Add = fun(X) -> X + N end,
    Twice = fun(F, X) -> F(F(X)) end,
    Ext = fun lists:reverse/1,
    Named = fun Fact(0) -> 1; Fact(K) -> K * Fact(K - 1) end,
    {Twice(Add, N), Ext([1, 2, 3]), Named(5), erlang:fun_info(Add, arity),
     lists:map(fun({A, B}) -> A + B end, [{1, 2}, {N, N}])}.

literals() ->
    {[1, 2, {three, "four"}, <<"five">>], #{a => 1, b => [x, y]}, 1.0e10, -0.0,
     'quoted atom', {}, [], 18446744073709551616, -576460752303423489}.

bigs(X) ->
    X * 340282366920938463463374607431768211456 + 576460752303423488 - 12345678901234567890.

comprehension(L) ->
    [{X, Y} || X <- L, is_integer(X), Y <- [X * 2, X * 3], Y rem 2 =:= 0] ++
        [B || <<B:8>> <= <<1, 2, 3>>].

bits(B) ->
    S = bit_size(B),
    <<H:(S - 3)/bitstring, T:3>> = B,
    {H, T, <<T:3, H/bitstring>>, is_bitstring(H)}.

map_match(#{key := V, {tuple, key} := W}) -> {V, W};
map_match(M) when map_size(M) > 2 -> big;
map_match(_) -> small.

strings(S) ->
    "prefix" ++ S ++ io_lib:format("~p", [S]).
