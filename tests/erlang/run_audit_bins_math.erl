-module(run_audit_bins_math).
-export([main/0]).

t(F) -> try F() catch C:R -> {C, R} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    %% binary module
    p(enc_unsigned, [t(fun() -> binary:encode_unsigned(N) end) || N <- [0, 1, 255, 256, 16#123456, 1 bsl 64, -1, foo]]),
    p(enc_unsigned_e, [t(fun() -> binary:encode_unsigned(N, E) end) || N <- [0, 1, 256, 16#123456, 1 bsl 70], E <- [big, little, middle]]),
    p(dec_unsigned, [t(fun() -> binary:decode_unsigned(B) end) || B <- [<<>>, <<0>>, <<1,0>>, <<0,0,1>>, <<255:200>>, <<1:3>>, foo]]),
    p(dec_unsigned_e, [t(fun() -> binary:decode_unsigned(B, E) end) || B <- [<<>>, <<1,0>>, <<0,0,1,0>>], E <- [big, little, bad]]),
    p(copy, [t(fun() -> binary:copy(B, N) end) || B <- [<<"ab">>, <<>>, <<1:4>>], N <- [0, 1, 3, -1, a]]),
    p(lcp, [t(fun() -> binary:longest_common_prefix(L) end) || L <- [[<<"abc">>, <<"abd">>], [<<"abc">>], [], [<<>>, <<"a">>], [<<"x">>, <<"y">>], [<<"abc">>, foo], foo, [<<1:4>>]]]),
    p(lcs, [t(fun() -> binary:longest_common_suffix(L) end) || L <- [[<<"abc">>, <<"xbc">>], [<<"abc">>], [], [<<"a">>, <<>>], [<<"x">>, <<"y">>], [<<1:4>>]]]),
    p(b2l, [t(fun() -> binary:bin_to_list(<<"hello">>, S, L) end) || {S, L} <- [{0, 5}, {1, 2}, {5, 0}, {5, -2}, {2, -2}, {6, 0}, {0, 6}, {-1, 1}, {3, -4}]]),
    p(b2l2, [t(fun() -> binary:bin_to_list(<<"hello">>, P) end) || P <- [{0, 5}, {4, -4}, {1, 9}, foo]]),
    p(b2l1, [t(fun() -> binary:bin_to_list(B) end) || B <- [<<"ab">>, <<1:4>>, foo]]),
    p(part, [t(fun() -> binary:part(<<"hello">>, S, L) end) || {S, L} <- [{0, 5}, {5, -5}, {5, -6}, {6, 0}]]),
    p(at, [t(fun() -> binary:at(<<"abc">>, N) end) || N <- [0, 2, 3, -1]]),
    p(first_last, [t(fun() -> {binary:first(B), binary:last(B)} end) || B <- [<<"abc">>, <<>>, <<1:4>>]]),
    p(referenced, [t(fun() -> binary:referenced_byte_size(B) end) || B <- [<<"abc">>, binary:part(list_to_binary(lists:seq(1, 100)), 1, 3), foo]]),
    p(matches, [t(fun() -> binary:matches(<<"abcabcab">>, P, O) end) || P <- [<<"ab">>, [<<"a">>, <<"bc">>], <<>>], O <- [[], [{scope, {1, 5}}], [{scope, {8, -3}}]]]),
    p(match, [t(fun() -> binary:match(<<"abcabc">>, P, O) end) || P <- [<<"c">>, [<<"bca">>, <<"ca">>]], O <- [[], [{scope, {3, 3}}], [{scope, {7, 0}}]]]),
    p(split, [t(fun() -> binary:split(<<",a,,b,">>, <<",">>, O) end) || O <- [[], [global], [global, trim], [global, trim_all], [{scope, {1, 3}}], [bad]]]),
    p(replace, [t(fun() -> binary:replace(<<"abcabc">>, <<"b">>, R, O) end) || R <- [<<"[]">>, <<"X">>], O <- [[], [global], [global, {insert_replaced, 1}], [{insert_replaced, [0, 2]}], [{insert_replaced, 5}]]]),
    p(list_to_bin, [t(fun() -> binary:list_to_bin(L) end) || L <- [[1, [2, <<3>>]], [256], [<<1:4>>], [1 | 2], foo]]),
    %% list_to_binary/iolist_size on deep / improper lists
    Deep = [1, [2, [3, [<<4, 5>> | <<6>>]]] | <<7>>],
    p(deep, [t(fun() -> list_to_binary(Deep) end), t(fun() -> iolist_size(Deep) end), t(fun() -> iolist_to_binary(Deep) end),
             t(fun() -> erlang:iolist_to_iovec(Deep) end)]),
    Bad = [[1, 2 | 3], [a], [256], [-1], [[<<1:1>>]], [1 | foo], <<1:7>>, [[[[[[]]]]]], [<<>> | <<>>]],
    p(bad_l2b, [t(fun() -> list_to_binary(B) end) || B <- Bad]),
    p(bad_size, [t(fun() -> iolist_size(B) end) || B <- Bad]),
    p(bad_i2b, [t(fun() -> iolist_to_binary(B) end) || B <- Bad]),
    p(bitstr, [t(fun() -> list_to_bitstring(B) end) || B <- [[<<1:1>>, <<1:7>>], [1, <<1:3>> | <<1:5>>], [<<1:3>>, 2]]]),
    p(sizes, [{bit_size(B), byte_size(B), t(fun() -> erlang:bit_size(B) end)} || B <- [<<>>, <<1:1>>, <<1:9>>, <<0:80>>]]),
    p(size_errs, [t(fun() -> bit_size(X) end) || X <- [foo, [1], 1]] ++ [t(fun() -> byte_size(X) end) || X <- [foo, {}]]),
    p(split_binary, [t(fun() -> split_binary(<<"abc">>, N) end) || N <- [0, 3, 4, -1, a]]),
    %% integer_to_list bases on bignums
    Big = 1 bsl 200 + 12345678901234567890,
    p(i2l_bases, [integer_to_list(Big, B) || B <- lists:seq(2, 36)]),
    p(i2l_neg, [integer_to_list(-Big, B) || B <- [2, 7, 16, 36]]),
    p(i2b_bases, [integer_to_binary(-Big, B) || B <- [3, 36]]),
    p(l2i_bases, [t(fun() -> list_to_integer(integer_to_list(Big, B), B) =:= Big end) || B <- lists:seq(2, 36)]),
    p(l2i_errs, [t(fun() -> list_to_integer(S, B) end) || {S, B} <- [{"zz", 36}, {"ZZ", 36}, {"12", 1}, {"12", 37}, {"-", 10}, {"+1", 2}, {"2", 2}, {"", 10}]]),
    p(i2l_errs, [t(fun() -> integer_to_list(X, B) end) || {X, B} <- [{10, 1}, {10, 37}, {1.0, 10}, {10, a}]]),
    %% floats
    Huge = [1.0e300, -1.0e300, 1.7976931348623157e308, 4.5e15, 4503599627370497.5, 1.0e20, -2.5, 2.5, -0.5, 0.5, -0.0],
    p(round, [{round(F), trunc(F), ceil(F), floor(F)} || F <- Huge]),
    p(f2b, [float_to_binary(F) || F <- Huge]),
    p(f2b_opts, [t(fun() -> float_to_binary(F, O) end) || F <- [1.0e300, 0.1, 123.456, -0.0], O <- [[{decimals, 3}], [{scientific, 2}], [short], [compact, {decimals, 10}], [{decimals, 300}], [{scientific, 250}]]]),
    p(f2l_huge, t(fun() -> length(float_to_list(1.0e300, [{decimals, 2}])) end)),
    %% math domain errors
    p(math, [t(fun() -> math:F(X) end) || {F, X} <- [{sqrt, -1}, {log, 0}, {log, -1}, {log2, 0}, {log10, 0}, {acos, 2}, {asin, -2}, {acosh, 0.5}, {atanh, 1}, {atanh, 2}, {exp, 1000}, {cosh, 1000}, {sqrt, foo}, {pow_dummy, 0}]]),
    p(math2, [t(fun() -> math:F(X, Y) end) || {F, X, Y} <- [{pow, 0, -1}, {pow, -8, 1/3}, {pow, 10, 400}, {atan2, 0, 0}, {fmod, 1, 0}, {fmod, 5.5, 2}, {pow, 2, 0.5}]]),
    p(math_misc, [math:pi(), math:ceil(-1.5), math:floor(-1.5), math:log2(1024), t(fun() -> math:erf(0.5) end), t(fun() -> math:erfc(0.5) end)]),
    %% phash2 big terms
    BigT = {lists:seq(1, 2000), list_to_binary(lists:duplicate(5000, 7)), #{a => [1.5, Big], b => <<1:3>>}, [make_tuple(I) || I <- lists:seq(1, 50)]},
    p(phash2, [erlang:phash2(BigT), erlang:phash2(BigT, 1000), erlang:phash2(Big), erlang:phash2(-Big), erlang:phash2(<<1:3>>), erlang:phash2(maps:from_list([{I, I} || I <- lists:seq(1, 100)]))]),
    %% atomics / counters
    A = atomics:new(3, [{signed, false}]),
    p(atomics, [t(fun() -> atomics:add(A, 1, -1) end), t(fun() -> atomics:get(A, 1) end), t(fun() -> atomics:put(A, 4, 1) end),
                t(fun() -> atomics:put(A, 1, -1) end), t(fun() -> atomics:add_get(A, 2, 1 bsl 64) end), t(fun() -> atomics:new(0, []) end),
                t(fun() -> atomics:new(1, [bad]) end), t(fun() -> atomics:compare_exchange(A, 1, 0, 5) end), t(fun() -> atomics:exchange(A, 3, 7) end), atomics:info(A)]),
    C = counters:new(2, [write_concurrency]),
    p(counters, [t(fun() -> counters:add(C, 1, 1 bsl 63) end), t(fun() -> counters:get(C, 1) end), t(fun() -> counters:sub(C, 3, 1) end),
                 t(fun() -> counters:add(C, 1, 1.0) end), t(fun() -> counters:new(-1, []) end), t(fun() -> counters:put(C, 2, -5), counters:get(C, 2) end), counters:info(C)]),
    %% persistent_term
    persistent_term:put({?MODULE, k}, [1, 2, 3]),
    p(pt, [persistent_term:get({?MODULE, k}), t(fun() -> persistent_term:get({?MODULE, missing}) end), persistent_term:get({?MODULE, missing}, def),
           persistent_term:erase({?MODULE, k}), persistent_term:erase({?MODULE, k}), t(fun() -> persistent_term:info() end) =/= error]),
    ok.

make_tuple(I) -> list_to_tuple(lists:seq(1, I)).
