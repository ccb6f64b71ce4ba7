%% Generates otp/tests/bif_data/fixture.etf: what real BEAM (OTP 25) returns
%% or raises for the data BIFs, for otp/tests/bif_data.rs.
%%
%% Run from the repository root:
%%
%%   erlc -o /tmp otp/tests/bif_data/gen_fixture.erl &&
%%     erl -noshell -pa /tmp -s gen_fixture main -s init stop
%%
%% The file is term_to_binary([{M, F, Args, Result}], [compressed]) where
%% Result is {ok, Value} or {Class, Reason}. Every BIF is called on every
%% combination of a pool of arguments of every kind (a smaller pool for
%% higher arities), plus targeted cases. The *_existing_atom BIFs get only
%% targeted cases: whether an atom exists depends on what else the VM has
%% seen.
-module(gen_fixture).
-export([main/0]).

pool1() ->
    [0, 1, -1, 2, 3, 7, 8, 10, 16, 36, 37, 255, 256, -300, 64, 65,
     (1 bsl 59) - 1, 1 bsl 59, -(1 bsl 59), -(1 bsl 59) - 1, 1 bsl 64,
     -(1 bsl 100), (1 bsl 200) + 3, 1 bsl 1100,
     0.0, -0.0, 1.5, -2.5, 2.5, 0.5, 1.0e300, -1.0e300, 3.0, 1.0e-300, 2.0,
     1.0e16, -0.4, 123456789.987, 1.0e20,
     a, true, false, '', 'héllo', latin1, utf8, unicode, '\x{1F600}',
     [], "abc", [1, 2, 3], [1 | 2], [a, b, a], "12", "-12", "12.5",
     "1.0e10", "ff", [$1, 256 + $5], [{a, 1}, {b, 2}], [1.0, 1], [<<"x">>, "y", 300],
     [<<"x">>, [1, [2]] | <<"z">>], [-1], "héllo", [16#1F600], [16#D800],
     {}, {a}, {a, 1, 2}, {1, 2}, {b, x}, {{a}},
     <<>>, <<"abc">>, <<"123">>, <<"-7f">>, <<1:3>>, <<255, 0>>, <<"1.5e3">>,
     <<"h", 195, 169>>, <<200>>, term_to_binary({x, 1}), term_to_binary(zq_fresh_atom_from_etf),
     #{}, #{a => 1}, #{1 => a, 1.0 => b, c => d}, big_map(),
     fun lists:map/2, fun(X) -> X end, fun() -> ok end,
     self(), make_ref(), port(), list_to_pid("<0.77.3>")].

%% No atom keys: a trie's shape depends on how atoms hash, which is by
%% atom index on Enigma (see docs/TERMS.md).
big_map() -> maps:from_list([{I, I * I} || I <- lists:seq(1, 40)] ++ [{<<"a">>, 1}, {"s", x}]).

port() -> hd(erlang:ports()).

pool2() ->
    [0, 1, -1, 2, 3, 10, 36, 255, 1 bsl 59, -(1 bsl 100), (1 bsl 200) + 3,
     0.0, -0.0, 2.5, -2.5, 1.0e300,
     a, true, false, latin1, utf8,
     [], "abc", [1, 2, 3], [1 | 2], "12", [{a, 1}, {b, 2}], [a, b, a], [1.0, 1],
     {}, {a, 1, 2}, {1.0, x}, <<"abc">>, <<"12">>, <<1:3>>,
     #{a => 1}, #{1.0 => x, 2 => y}, big_map(), fun lists:map/2, self(), port(), make_ref()].

pool3() ->
    [0, 1, 2, 3, -1, 2.0, a, [], [{1, x}], [{2, y}, {1, z}], [a | b],
     {a, b}, {}, <<"abcd">>, 1 bsl 64, #{a => 1}, big_map()].

bifs() ->
    Erl = [{'+', 2}, {'-', 2}, {'*', 2}, {'/', 2}, {'div', 2}, {'rem', 2},
           {'band', 2}, {'bor', 2}, {'bxor', 2}, {'bsl', 2}, {'bsr', 2},
           {'bnot', 1}, {'+', 1}, {'-', 1}, {abs, 1}, {float, 1}, {trunc, 1},
           {round, 1}, {floor, 1}, {ceil, 1},
           {'==', 2}, {'/=', 2}, {'=:=', 2}, {'=/=', 2}, {'<', 2}, {'>', 2},
           {'=<', 2}, {'>=', 2}, {'and', 2}, {'or', 2}, {'xor', 2}, {'not', 1},
           {min, 2}, {max, 2},
           {is_atom, 1}, {is_binary, 1}, {is_bitstring, 1}, {is_boolean, 1},
           {is_float, 1}, {is_function, 1}, {is_function, 2}, {is_integer, 1},
           {is_list, 1}, {is_map, 1}, {is_number, 1}, {is_pid, 1}, {is_port, 1},
           {is_reference, 1}, {is_tuple, 1}, {is_record, 2}, {is_record, 3},
           {is_map_key, 2},
           {element, 2}, {setelement, 3}, {tuple_size, 1}, {size, 1},
           {make_tuple, 2}, {make_tuple, 3}, {append_element, 2},
           {insert_element, 3}, {delete_element, 2}, {tuple_to_list, 1},
           {list_to_tuple, 1},
           {length, 1}, {hd, 1}, {tl, 1}, {'++', 2}, {'--', 2}, {append, 2}, {subtract, 2},
           {atom_to_list, 1}, {list_to_atom, 1}, {atom_to_binary, 1},
           {atom_to_binary, 2}, {binary_to_atom, 1}, {binary_to_atom, 2},
           {integer_to_list, 1}, {integer_to_list, 2}, {integer_to_binary, 1},
           {integer_to_binary, 2}, {list_to_integer, 1}, {list_to_integer, 2},
           {binary_to_integer, 1}, {binary_to_integer, 2}, {float_to_list, 1},
           {float_to_list, 2}, {float_to_binary, 1}, {float_to_binary, 2},
           {list_to_float, 1}, {binary_to_float, 1},
           {binary_to_list, 1}, {binary_to_list, 3}, {bitstring_to_list, 1},
           {list_to_binary, 1}, {iolist_to_binary, 1}, {iolist_size, 1},
           {split_binary, 2}, {byte_size, 1}, {bit_size, 1},
           {term_to_binary, 1}, {term_to_binary, 2}, {term_to_iovec, 1}, {term_to_iovec, 2},
           {binary_to_term, 1},
           {binary_to_term, 2}, {phash, 2}, {phash2, 1}, {phash2, 2},
           {list_to_bitstring, 1}, {binary_part, 2}, {binary_part, 3},
           {pid_to_list, 1}, {port_to_list, 1}, {ref_to_list, 1}, {fun_to_list, 1},
           {list_to_pid, 1}, {list_to_port, 1}, {list_to_ref, 1}, {make_fun, 3},
           {crc32, 1}, {crc32, 2}, {crc32_combine, 3}, {adler32, 1}, {adler32, 2},
           {adler32_combine, 3}, {md5, 1}, {external_size, 1}, {external_size, 2}],
    Math = [{pi, 0}, {sin, 1}, {cos, 1}, {tan, 1}, {asin, 1}, {acos, 1},
            {atan, 1}, {atan2, 2}, {sinh, 1}, {cosh, 1}, {tanh, 1}, {asinh, 1},
            {acosh, 1}, {atanh, 1}, {exp, 1}, {log, 1}, {log2, 1}, {log10, 1},
            {pow, 2}, {sqrt, 1}, {erf, 1}, {erfc, 1}, {ceil, 1}, {floor, 1},
            {fmod, 2}],
    Maps = [{find, 2}, {get, 2}, {is_key, 2}, {put, 3}, {update, 3}, {remove, 2},
            {take, 2}, {from_list, 1}, {from_keys, 2}, {keys, 1}, {values, 1},
            {merge, 2}],
    %% compile_pattern/1 and copy/2 only in targeted cases: BEAM returns a magic
    %% reference, which no fixture can carry, and copy(<<"abc">>, 1 bsl 59)
    %% brings BEAM down trying to allocate it.
    Binary = [{match, 2}, {match, 3}, {matches, 2}, {matches, 3}, {split, 2},
              {split, 3}, {part, 2}, {part, 3}, {at, 2}, {first, 1}, {last, 1},
              {copy, 1}, {list_to_bin, 1}, {longest_common_prefix, 1},
              {longest_common_suffix, 1}, {decode_unsigned, 1}, {decode_unsigned, 2},
              {encode_unsigned, 1}, {encode_unsigned, 2}, {referenced_byte_size, 1}],
    [{erlang, F, A} || {F, A} <- Erl ++ [{map_size, 1}, {map_get, 2}]]
        ++ [{maps, F, A} || {F, A} <- Maps]
        ++ [{binary, F, A} || {F, A} <- Binary]
        ++ [{math, F, A} || {F, A} <- Math]
        ++ [{lists, reverse, 2}, {lists, keyfind, 3}, {lists, keymember, 3},
            {lists, keysearch, 3}, {lists, member, 2},
            {string, list_to_integer, 1}, {string, list_to_float, 1}].

args(0) -> [[]];
args(1) -> [[X] || X <- pool1()];
args(2) -> [[X, Y] || X <- pool2(), Y <- pool2()];
args(3) -> [[X, Y, Z] || X <- pool3(), Y <- pool3(), Z <- pool3()].

targeted() ->
    Big = 1 bsl 200,
    [{erlang, 'bsl', [1, 33554367]}, {erlang, 'bsl', [1, 33554368]},
     {erlang, 'bsl', [3, 33554366]}, {erlang, 'bsl', [1, -(1 bsl 80)]},
     {erlang, 'bsl', [-5, -(1 bsl 80)]}, {erlang, 'bsr', [-5, 1 bsl 80]},
     {erlang, 'bsr', [5, 1 bsl 80]}, {erlang, 'bsr', [-Big, 3]}, {erlang, 'bsr', [-Big - 1, 199]},
     {erlang, 'bsr', [-7, 1]}, {erlang, 'bsl', [0, 1 bsl 80]}, {erlang, 'bsl', [1, 1 bsl 80]},
     {erlang, '*', [1 bsl 33554000, 1 bsl 1000]}, {erlang, '*', [Big, -Big]},
     {erlang, 'div', [-7, 2]}, {erlang, 'rem', [-7, 2]}, {erlang, 'div', [-Big - 5, 7]},
     {erlang, 'rem', [-Big - 5, 7]}, {erlang, 'rem', [Big + 5, -7]},
     {erlang, 'div', [-(1 bsl 59), -1]}, {erlang, 'band', [-Big, Big + 255]},
     {erlang, 'bor', [-Big, 255]}, {erlang, 'bxor', [-Big - 1, Big]},
     {erlang, 'bnot', [-Big]}, {erlang, '-', [-(1 bsl 59)]}, {erlang, abs, [-(1 bsl 59)]},
     {erlang, '+', [1.0e308, 1.0e308]}, {erlang, '*', [1 bsl 1100, 1.0]},
     {erlang, '/', [1, 3]}, {erlang, '/', [Big, Big]}, {erlang, '/', [0.0, 0.0]},
     {erlang, float, [(1 bsl 1023) * 2 - 1]}, {erlang, round, [-0.5]}, {erlang, round, [0.49999999999999994]},
     {erlang, trunc, [1.0e30]}, {erlang, ceil, [-0.5]}, {erlang, floor, [-0.5]},
     {erlang, '==', [1 bsl 53 + 1, float(1 bsl 53)]}, {erlang, '<', [1 bsl 53 + 1, float(1 bsl 53)]},
     {erlang, min, [1, 1.0]}, {erlang, max, [1, 1.0]}, {erlang, min, [1.0, 1]}, {erlang, max, [1.0, 1]},
     {erlang, make_tuple, [3, x, [{1, a}, {1, b}, {3, c}]]}, {erlang, make_tuple, [2, x, [{3, a}]]},
     {erlang, make_tuple, [2, x, [{0, a}]]}, {erlang, make_tuple, [2, x, [{1, a, b}]]},
     {erlang, make_tuple, [2, x, [{1, a} | c]]}, {erlang, make_tuple, [16777216, a]},
     {erlang, insert_element, [4, {a, b, c}, d]}, {erlang, insert_element, [5, {a, b, c}, d]},
     {erlang, '--', [[1, 2, 1, 3, 1.0, 2], [1, 1.0, 5, 2]]}, {erlang, '--', [[a, b | c], [a]]},
     {erlang, '--', [[a], [b | c]]}, {erlang, '--', [[], [b | c]]}, {erlang, '--', [[a | b], []]},
     {erlang, '++', [[a | b], []]}, {erlang, '++', [[], 3]}, {erlang, '++', [[a], 3]},
     {erlang, list_to_atom, [lists:duplicate(255, $a)]}, {erlang, list_to_atom, [lists:duplicate(256, $a)]},
     {erlang, list_to_atom, [lists:duplicate(255, 16#1F600)]},
     {erlang, binary_to_atom, [binary:copy(<<"b">>, 256), latin1]},
     {erlang, binary_to_atom, [binary:copy(<<"é"/utf8>>, 255), utf8]},
     {erlang, binary_to_atom, [binary:copy(<<"é"/utf8>>, 256), utf8]},
     {erlang, binary_to_atom, [<<"é"/utf8>>, latin1]},
     {erlang, list_to_existing_atom, ["true"]}, {erlang, list_to_existing_atom, ["erlang"]},
     {erlang, list_to_existing_atom, ["zq_no_such_atom_1"]}, {erlang, list_to_existing_atom, [zq]},
     {erlang, list_to_existing_atom, ["ok" ++ [1 | 2]]}, {erlang, list_to_existing_atom, [[16#D800]]},
     {erlang, binary_to_existing_atom, [<<"true">>]}, {erlang, binary_to_existing_atom, [<<"zq_no_such_atom_2">>]},
     {erlang, binary_to_existing_atom, [<<"false">>, latin1]}, {erlang, binary_to_existing_atom, [<<"ok">>, utf8]},
     {erlang, binary_to_existing_atom, [<<"ok">>, bad]}, {erlang, binary_to_existing_atom, [<<"zq_no_such_atom_3">>, latin1]},
     {erlang, binary_to_existing_atom, [ok, latin1]}, {erlang, binary_to_existing_atom, [<<255>>, utf8]},
     {erlang, binary_to_existing_atom, [<<"héllo"/utf8>>, utf8]},
     {erlang, atom_to_binary, ['\x{1F600}', latin1]}, {erlang, atom_to_binary, ['héllo', latin1]},
     {erlang, float_to_list, [1.5, [{decimals, 3}]]}, {erlang, float_to_list, [1.5, [{scientific, 2}]]},
     {erlang, float_to_binary, [1.5, [{decimals, 3}, compact]]}, {erlang, float_to_list, [1.5, [bad]]},
     {erlang, binary_to_list, [<<1, 2, 3>>, 2, 3]}, {erlang, binary_to_list, [<<1, 2, 3>>, 3, 2]},
     {erlang, binary_to_list, [<<1, 2, 3>>, 1, 4]}, {erlang, binary_to_list, [<<1, 2, 3>>, 0, 1]},
     {erlang, split_binary, [<<1, 2, 3, 1:1>>, 3]}, {erlang, split_binary, [<<1, 2, 3, 1:1>>, 4]},
     {erlang, size, [<<1, 2, 3, 1:1>>]}, {erlang, byte_size, [<<1, 2, 3, 1:1>>]},
     {erlang, list_to_binary, [[1, <<2, 3>>, [4 | <<5>>] | <<6>>]]},
     {erlang, list_to_binary, [[1, <<2:3>>]]}, {erlang, iolist_size, [[1, <<2:3>>]]},
     {erlang, iolist_to_binary, [<<1:3>>]}, {erlang, iolist_size, [<<1:3>>]},
     {erlang, iolist_size, [[[[[[]]]], <<"abc">> | <<"de">>]]},
     {erlang, term_to_binary, [{a, 1.5, "x"}, [compressed]]},
     {erlang, term_to_binary, [lists:duplicate(100, a), [{compressed, 9}]]},
     {erlang, term_to_binary, [1.5, [{minor_version, 0}]]}, {erlang, term_to_binary, [a, [{minor_version, 2}]]},
     {erlang, term_to_binary, [a, [{minor_version, 3}]]}, {erlang, term_to_binary, [a, [{compressed, 10}]]},
     {erlang, term_to_binary, [#{b => 1, a => 2}, [deterministic]]}, {erlang, term_to_binary, [a, [bad]]},
     {erlang, term_to_binary, [a, [compressed | x]]}, {erlang, term_to_binary, [a, [{compressed, -1}]]},
     {erlang, binary_to_term, [term_to_binary({a, b}), [used]]},
     {erlang, binary_to_term, [<<(term_to_binary({a, b}))/binary, 1, 2>>, [used]]},
     {erlang, binary_to_term, [term_to_binary(zq_fresh_atom_safe), [safe]]},
     {erlang, binary_to_term, [term_to_binary(ok), [safe, used]]},
     {erlang, binary_to_term, [term_to_binary(ok), [bad]]},
     {erlang, binary_to_term, [term_to_binary(ok), [safe | bad]]},
     {erlang, binary_to_term, [<<131, 97, 1, 1:1>>]},
     {erlang, phash2, [x, 1 bsl 32]}, {erlang, phash2, [x, (1 bsl 32) + 1]}, {erlang, phash, [x, 1 bsl 32]},
     {erlang, is_function, [fun lists:map/2, 2]}, {erlang, is_function, [fun(_) -> ok end, 1]},
     {erlang, is_function, [fun(_) -> ok end, 1 bsl 70]}, {erlang, is_function, [a, 1 bsl 70]},
     {erlang, is_record, [{a, 1}, a, 2]}, {erlang, is_record, [{a, 1}, a, 1 bsl 70]},
     {lists, keyfind, [1, 1, [{1.0, a}]]}, {lists, keyfind, [1.0, 1, [{1, a}]]},
     {lists, keyfind, [b, 1, [{a, 1}, {b, 2} | c]]}, {lists, keyfind, [c, 1, [{a, 1}, {b, 2} | c]]},
     {lists, keyfind, [b, 2, [{a}, {x, b}]]}, {lists, keysearch, [x, 1, [{x, 1}]]},
     {lists, member, [1, [1.0]]}, {lists, member, [a, [a | b]]}, {lists, member, [c, [a | b]]},
     {lists, reverse, [[1, 2, 3], [4 | 5]]},
     {math, pow, [-8.0, 1 / 3]}, {math, pow, [10.0, 400]}, {math, pow, [0.0, -1]},
     {math, log, [0]}, {math, log, [-1]}, {math, sqrt, [-1]}, {math, exp, [1000]},
     {math, acosh, [0.5]}, {math, atanh, [1.0]}, {math, fmod, [5.5, 2]}, {math, fmod, [1, 0]},
     {math, sin, [1 bsl 1100]}, {math, erf, [0.3]}, {math, erfc, [3.7]}, {math, erf, [-1.9]},
     {math, erfc, [0.01]}, {math, erf, [5.0e-9]}, {math, erfc, [27.0]},
     {math, floor, [-2.5]}, {math, ceil, [7]}, {math, atan2, [0.0, -0.0]}, {math, atan2, [-0.0, -1]},
     {maps, from_list, [[{a, 1}, {a, 2}, {1, x}, {1.0, y}]]},
     {maps, from_list, [[{I, I} || I <- lists:seq(1, 33)] ++ [{1, z}]]},
     {maps, from_keys, [[a, b, a], v]}, {maps, merge, [big_map(), #{<<"a">> => 2, 1.5 => 3}]},
     {maps, merge, [#{2.0 => 1}, big_map()]}, {maps, remove, [1, big_map()]},
     {maps, take, [<<"a">>, big_map()]}, {maps, put, [1, x, #{1.0 => y}]},
     {maps, update, [1.0, x, #{1.0 => y}]}, {maps, from_list, [[{a, 1} | b]]},
     {erts_internal, map_next, [0, maps:from_list([{I, x} || I <- lists:seq(1, 32)]), [y]]}, {erts_internal, map_next, [0, #{b => 1, a => 2}, [x]]},
     {erts_internal, map_next, [0, #{b => 1, a => 2}, iterator]}, {erts_internal, map_next, [0, #{}, iterator]},
     {erts_internal, map_next, [0, #{}, []]},
     {binary, compile_pattern, [<<>>]}, {binary, compile_pattern, [[]]},
     {binary, compile_pattern, [[<<"a">>, <<>>]]}, {binary, compile_pattern, [a]},
     {binary, match, [<<"abcabc">>, [<<"bc">>, <<"b">>, <<"abcx">>]]},
     {binary, match, [<<"abcabc">>, [<<"c">>, <<"ca">>], [{scope, {3, -2}}]]},
     {binary, match, [<<"abcabc">>, <<"c">>, [{scope, {3, 3}}]]},
     {binary, match, [<<"abcabc">>, <<"c">>, [{scope, {3, 4}}]]},
     {binary, match, [<<"abcabc">>, <<"c">>, [{scope, {-1, 1}}]]},
     {binary, match, [<<"abcabc">>, <<"c">>, [bad]]},
     {binary, match, [<<"abcabc">>, <<"c">>, [global]]},
     {binary, matches, [<<"aaaa">>, [<<"a">>, <<"aa">>]]},
     {binary, matches, [<<"abcabcab">>, [<<"ab">>, <<"bca">>], [{scope, {1, 6}}]]},
     {binary, split, [<<",a,,b,,">>, <<",">>, [global]]},
     {binary, split, [<<",a,,b,,">>, <<",">>, [global, trim]]},
     {binary, split, [<<",a,,b,,">>, <<",">>, [global, trim_all]]},
     {binary, split, [<<",a,,b,,">>, <<",">>, [trim_all]]},
     {binary, split, [<<",a,,b,,">>, [<<",">>, <<",,">>], [global]]},
     {binary, split, [<<"a,b,c,d">>, <<",">>, [global, {scope, {2, 3}}]]},
     {binary, split, [<<",,">>, <<",">>, [global, trim]]},
     {binary, split, [<<>>, <<",">>, [global, trim]]},
     {binary, split, [<<>>, <<",">>, []]},
     {binary, split, [<<"abc">>, <<"abc">>, [trim]]},
     {binary, part, [<<"abcdef">>, {5, -3}]}, {binary, part, [<<"abcdef">>, 6, 0]},
     {binary, part, [<<"abcdef">>, 6, 1]}, {binary, part, [<<"abcdef">>, 0, -1]},
     {binary, copy, [<<"ab">>, 3]}, {binary, copy, [<<"ab">>, 0]}, {binary, copy, [<<"ab">>, -1]},
     {binary, copy, [<<"ab">>, a]}, {binary, copy, [<<1:3>>, 2]}, {binary, copy, [<<>>, 3]},
     {binary, longest_common_prefix, [[<<"abcd">>, <<"abx">>, <<"ab">>]]},
     {binary, longest_common_suffix, [[<<"xbcd">>, <<"abcd">>, <<"cd">>]]},
     {binary, longest_common_prefix, [[<<"abcd">>]]}, {binary, longest_common_suffix, [[<<>>, <<"a">>]]},
     {binary, longest_common_prefix, [[<<"abcd">>, x]]},
     {binary, decode_unsigned, [<<1, 2, 3, 4, 5, 6, 7, 8, 9>>, little]},
     {binary, decode_unsigned, [<<0, 0, 1>>]}, {binary, decode_unsigned, [<<>>]},
     {binary, encode_unsigned, [1 bsl 64, little]}, {binary, encode_unsigned, [258]},
     {binary, encode_unsigned, [0, little]}, {binary, encode_unsigned, [-1]},
     {binary, at, [<<"abc">>, 2]}, {binary, at, [<<"abc">>, 3]},
     {erlang, list_to_bitstring, [[1, <<2:3>>, [<<3:5>>, 255 | <<1:1>>], <<"ab">>]]},
     {erlang, list_to_bitstring, [[<<1:1>>, <<"abcdefgh">>]]}, {erlang, list_to_bitstring, [[<<1:1>> | 3]]},
     {erlang, external_size, [a, [{minor_version, 0}, {minor_version, 2}]]},
     {erlang, external_size, [1.5, [{minor_version, 0}]]}, {erlang, external_size, [a, [compressed]]},
     {erlang, external_size, [lists:seq(1, 70000)]}, {erlang, external_size, [[{a, 1.5, "x"} | b]]},
     {erlang, float_to_list, [0.1, [short]]}, {erlang, float_to_binary, [1.0e23, [short]]},
     {erlang, float_to_list, [2.5, [{decimals, 0}]]}, {erlang, float_to_list, [0.5, [{decimals, 0}]]},
     {erlang, binary_part, [<<"abcdef">>, {5, -3}]}, {erlang, binary_part, [<<"abcdef">>, 6, 1]},
     {erlang, binary_part, [<<"abc", 1:1>>, 1, 1]}] ++
    [{erlang, list_to_pid, [S]} || S <- ["<0.32767.0>", "<0.32768.0>", "<0.1.8191>", "<0.1.8192>",
                                         "<1.2.3>", "< 0.1.2>", "<0.01.2>", "<0.1.2>x", "<0.-1.2>",
                                         "<0.1>", "<0.1.+2>", "<0..2>", [$<, $0, $. | x]]] ++
    [{erlang, list_to_ref, [S]} || S <- ["#Ref<0.1.2.3>", "#Ref<0.1.2>", "#Ref<0.1.2.3.4>",
                                         "#Ref<0.4294967295.2.3>", "#Ref<0.4294967296.2.3>",
                                         "#Ref<0.1.2.262143>", "#Ref<0.1.2.262144>",
                                         "#Ref<0.1.2.4294967295>", "#Ref<1.1.2.3>", "#Ref<0.1.2.3>x"]] ++
    [{erlang, list_to_port, [S]} || S <- ["#Port<0.5>", "#Port<0.268435455>", "#Port<0.268435456>",
                                          "#Port<1.5>", "#Port<0.5.1>", "#Port<0.>"]] ++
    [{erlang, F, [X, Y, N]} || F <- [crc32_combine, adler32_combine],
                               X <- [0, 1, 16#FFFFFFFF, 12345678], Y <- [0, 7, 16#FFFFFFFF, 987654321],
                               N <- [0, 1, 5, 65521, 65522, (1 bsl 32) - 1, 1 bsl 32, 1 bsl 64, -1]] ++
    [{erlang, F, [D]} || F <- [crc32, adler32, md5],
                         D <- [lists:seq(0, 255), binary:copy(<<"abcdefg">>, 2000), [<<"a">>, "b" | <<"c">>]]] ++
    [{erlang, F, [C, D]} || F <- [crc32, adler32], C <- [0, 1, 16#FFFFFFFF, 16#100000000, -1],
                            D <- [<<"hello">>, binary:copy(<<255>>, 6000)]] ++
    [{string, list_to_integer, ["12abc"]}, {string, list_to_integer, [[$-, $1 | x]]},
     {string, list_to_float, ["1.5e3xyz"]}, {string, list_to_float, ["1.5e"]}] ++
    [{math, F, [X]} || F <- [sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh,
                              atanh, exp, log, log2, log10, sqrt, erf, erfc],
                       X <- [0.1, 0.7, -0.3, 1.3, 2.9, 12.5, -7.25, 100.5, 1.0e-5, 0.999]].

run({M, F, Args}) ->
    R = try apply(M, F, Args) of
            V -> {ok, V}
        catch
            C:Reason -> {C, Reason}
        end,
    {M, F, Args, R}.

main() ->
    Generic = [{M, F, A} || {M, F, N} <- bifs(), A <- args(N)],
    Cases = [run(C) || C <- Generic ++ targeted()],
    ok = file:write_file("otp/tests/bif_data/fixture.etf",
                         term_to_binary(Cases, [{compressed, 9}])),
    io:format("~b cases~n", [length(Cases)]).
