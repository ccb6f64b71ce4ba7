-module(run_rand_badarg).
-export([main/0]).

%% Randomized differential test of bad input: binary_to_term/1,2 of
%% valid encodings with bytes changed, inserted, deleted or cut off;
%% atom construction at its limits; and BIFs of erlang, lists, maps,
%% binary, unicode and string called with arguments of random wrong
%% types. Each result is the value or the exception's class and reason
%% (never the stack trace). Each batch prints a digest and its first case
%% (run_rand_terms:batches/5; -DVERBOSE there prints every case).

main() ->
    rand:seed(exsss, {1, 2, 3}),
    %% Safe decoding takes only existing atoms, and BEAM's table holds many
    %% more than Enigma's: make the one-letter atoms a damaged name may
    %% become exist in both.
    _ = [list_to_atom([C]) || C <- lists:seq(0, 255)],
    run_rand_terms:batches(etf, 20, 60, fun etf/1, fun mutated/0),
    run_rand_terms:batches(atoms, 4, 40, fun atoms/1, fun gen_atom_text/0),
    run_rand_terms:batches(bifs, 30, 60, fun call/1, fun gen_call/0),
    ok.

t(F) ->
    try F() catch C:R -> {C, R} end.

pick(L) -> lists:nth(rand:uniform(length(L)), L).

%% ---------------------------------------------------------------- etf

etf(Bin) ->
    %% Safe decoding first: BEAM's safe decoding takes an export (fun M:F/A)
    %% only if an entry exists, and an unsafe decoding creates one.
    show({Bin, t(fun() -> binary_to_term(Bin, [safe]) end),
     t(fun() -> binary_to_term(Bin) end),
     t(fun() -> binary_to_term(Bin, [used]) end)}).

%% A valid encoding of a random term, then damaged.
mutated() ->
    T = gen(2),
    Opts = pick([[], [compressed], [{minor_version, 0}], [{minor_version, 2}], [deterministic]]),
    E = term_to_binary(T, Opts),
    damage(rand:uniform(7), E).

%% Bytes 73 and 75 are BEAM's internal atom-index tags, decoded by index
%% into its own atom table: no mutation writes them.
damage(N, E) ->
    << <<(case B of 73 -> 74; 75 -> 74; _ -> B end)>> || <<B>> <= damage1(N, E) >>.

damage1(1, E) -> binary:part(E, 0, rand:uniform(byte_size(E)) - 1);
damage1(2, E) -> set_byte(E, rand:uniform(byte_size(E)) - 1, rand:uniform(256) - 1);
damage1(3, E) -> set_byte(E, rand:uniform(byte_size(E)) - 1, pick([0, 255, 97, 98, 100, 104, 107, 108, 109, 110, 111, 116, 118, 119, 70, 77, 80, 88, 90]));
damage1(4, E) ->
    P = rand:uniform(byte_size(E)) - 1,
    <<A:P/binary, B/binary>> = E,
    <<A/binary, (rand:uniform(256) - 1), B/binary>>;
damage1(5, E) ->
    P = rand:uniform(byte_size(E)) - 1,
    <<A:P/binary, _, B/binary>> = E,
    <<A/binary, B/binary>>;
damage1(6, E) -> <<E/binary, (rand:bytes(rand:uniform(3)))/binary>>;
damage1(7, E) -> set_byte(set_byte(E, rand:uniform(byte_size(E)) - 1, 0), rand:uniform(byte_size(E)) - 1, 255).

set_byte(E, P, V) ->
    <<A:P/binary, _, B/binary>> = E,
    <<A/binary, V, B/binary>>.

gen(0) -> leaf();
gen(D) ->
    case rand:uniform(6) of
        1 -> [gen(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)];
        2 -> list_to_tuple([gen(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)]);
        3 -> maps:from_list([{leaf(), gen(D - 1)} || _ <- lists:seq(1, rand:uniform(4) - 1)]);
        4 -> [leaf() | leaf()];
        _ -> leaf()
    end.

leaf() ->
    pick([0, 1, -1, 255, 256, 1 bsl 27, -(1 bsl 31), 1 bsl 31, 1 bsl 64, -(1 bsl 70), 1 bsl 300,
          0.0, 1.5, -2.5e100, a, 'hello', 'ĳ', '', <<>>, <<1, 2, 3>>, <<7:3>>, "abc", [],
          {}, #{}, fun lists:map/2, rand:uniform(1000)]).

%% ---------------------------------------------------------------- atoms

gen_atom_text() ->
    Len = pick([0, 1, 254, 255, 256, 300, rand:uniform(10)]),
    Chars = pick([[$a], [$é], [16#10FFFF], [16#D800], [256, $x], [-1], [16#110000], [$z, 0]]),
    lists:sublist(lists:append(lists:duplicate(Len, Chars)), Len).

atoms(S) ->
    {length(S),
     t(fun() -> length(atom_to_list(list_to_atom(S))) end),
     t(fun() -> length(atom_to_list(list_to_existing_atom(S))) end),
     t(fun() -> byte_size(atom_to_binary(binary_to_atom(unicode:characters_to_binary(S)))) end),
     t(fun() -> byte_size(atom_to_binary(binary_to_atom(list_to_binary(S), latin1))) end),
     t(fun() -> byte_size(atom_to_binary(binary_to_atom(list_to_binary(S), utf8), latin1)) end),
     t(fun() -> binary_to_atom(list_to_binary([255, 255 | S]), utf8) end),
     t(fun() -> binary_to_existing_atom(<<"no such atom ", (integer_to_binary(length(S)))/binary>>, utf8) end),
     t(fun() -> list_to_atom([$a | S]) =:= list_to_atom([$a | S]) end)}.

%% ---------------------------------------------------------------- bifs

%% Functions and their arities, called with random (mostly wrong) args.
funs() ->
    [{erlang, F, A} || {F, A} <- [
        {atom_to_list, 1}, {list_to_atom, 1}, {binary_to_list, 1}, {binary_to_list, 3},
        {list_to_binary, 1}, {iolist_to_binary, 1}, {iolist_size, 1}, {tuple_to_list, 1},
        {list_to_tuple, 1}, {element, 2}, {setelement, 3}, {tuple_size, 1}, {byte_size, 1},
        {bit_size, 1}, {length, 1}, {hd, 1}, {tl, 1}, {abs, 1}, {float, 1}, {trunc, 1},
        {round, 1}, {integer_to_list, 1}, {integer_to_list, 2}, {list_to_integer, 1},
        {list_to_integer, 2}, {float_to_list, 1}, {float_to_list, 2}, {list_to_float, 1},
        {atom_to_binary, 2}, {binary_to_atom, 2}, {split_binary, 2}, {make_tuple, 2},
        {make_tuple, 3}, {append_element, 2}, {delete_element, 2}, {insert_element, 3},
        {max, 2}, {min, 2}, {size, 1}, {map_size, 1}, {map_get, 2}, {is_map_key, 2},
        {binary_part, 2}, {binary_part, 3}, {term_to_binary, 2}, {phash2, 2},
        {integer_to_binary, 2}, {binary_to_integer, 2}, {list_to_bitstring, 1},
        {bitstring_to_list, 1}, {'++', 2}, {'--', 2}, {apply, 2}, {tuple_to_list, 1},
        {atom_to_list, 1}, {float_to_binary, 2}, {binary_to_float, 1}, {'band', 2},
        {'bsl', 2}, {'div', 2}, {'/', 2}, {'-', 1}, {'not', 1}, {'and', 2}, {'xor', 2}]]
    ++ [{lists, F, A} || {F, A} <- [
        {reverse, 1}, {reverse, 2}, {member, 2}, {keyfind, 3}, {keymember, 3},
        {keysearch, 3}, {nth, 2}, {nthtail, 2}, {sublist, 2}, {sublist, 3}, {seq, 2},
        {seq, 3}, {sum, 1}, {max, 1}, {last, 1}, {flatten, 1}, {append, 1}, {delete, 2},
        {keydelete, 3}, {keyreplace, 4}, {keystore, 4}, {sort, 1}, {usort, 1},
        {keysort, 2}, {split, 2}, {zip, 2}, {unzip, 1}, {duplicate, 2}, {map, 2},
        {foldl, 3}, {filter, 2}, {prefix, 2}, {suffix, 2}, {droplast, 1}, {join, 2},
        {enumerate, 1}, {subtract, 2}, {min, 1}, {concat, 1}, {mapfoldl, 3},
        {splitwith, 2}, {partition, 2}, {takewhile, 2}, {dropwhile, 2}, {search, 2}]]
    ++ [{maps, F, A} || {F, A} <- [
        {get, 2}, {get, 3}, {put, 3}, {remove, 2}, {update, 3}, {keys, 1}, {values, 1},
        {to_list, 1}, {from_list, 1}, {merge, 2}, {find, 2}, {is_key, 2}, {with, 2},
        {without, 2}, {take, 2}, {size, 1}, {fold, 3}, {map, 2}, {filter, 2},
        {update_with, 3}, {update_with, 4}, {from_keys, 2}, {iterator, 1}, {next, 1},
        {groups_from_list, 2}, {intersect, 2}, {merge_with, 3}, {foreach, 2}]]
    ++ [{binary, F, A} || {F, A} <- [
        {at, 2}, {first, 1}, {last, 1}, {part, 3}, {part, 2}, {split, 2}, {split, 3},
        {match, 2}, {matches, 2}, {replace, 3}, {replace, 4}, {copy, 2}, {bin_to_list, 1},
        {bin_to_list, 3}, {list_to_bin, 1}, {decode_unsigned, 1}, {decode_unsigned, 2},
        {encode_unsigned, 1}, {encode_unsigned, 2}, {longest_common_prefix, 1},
        {longest_common_suffix, 1}, {referenced_byte_size, 1}, {compile_pattern, 1}]]
    ++ [{unicode, F, A} || {F, A} <- [
        {characters_to_binary, 1}, {characters_to_binary, 2}, {characters_to_binary, 3},
        {characters_to_list, 1}, {characters_to_list, 2}, {characters_to_nfc_list, 1},
        {characters_to_nfd_binary, 1}, {bom_to_encoding, 1}, {encoding_to_bom, 1}]]
    ++ [{string, F, A} || {F, A} <- [
        {length, 1}, {lexemes, 2}, {split, 2}, {split, 3}, {pad, 2}, {pad, 3}, {trim, 1},
        {trim, 3}, {uppercase, 1}, {lowercase, 1}, {titlecase, 1}, {casefold, 1},
        {slice, 2}, {slice, 3}, {reverse, 1}, {equal, 2}, {equal, 3}, {find, 2},
        {find, 3}, {replace, 3}, {replace, 4}, {to_integer, 1}, {to_float, 1},
        {take, 2}, {next_grapheme, 1}, {next_codepoint, 1}, {is_empty, 1},
        {chomp, 1}, {prefix, 2}, {nth_lexeme, 3}, {jaro_similarity, 2}, {tokens, 2},
        {join, 2}, {chars, 2}, {copies, 2}, {sub_string, 3}, {strip, 1}, {left, 2},
        {to_upper, 1}, {to_lower, 1}, {str, 2}, {substr, 2}, {centre, 2}]].

gen_call() ->
    {M, F, A} = pick(funs()),
    {M, F, [small(arg()) || _ <- lists:seq(1, A)]}.

%% No counts that would build huge results (lists:seq(1, 1 bsl 64)).
small(N) when is_integer(N), abs(N) > 1000 -> N rem 1000;
small(T) -> T.

call({M, F, Args}) ->
    show({M, F, Args, t(fun() -> apply(M, F, Args) end)}).

%% Pids, refs and funs print (and hash) differently on each VM.
show(T) when is_pid(T) -> '<pid>';
show(T) when is_reference(T) -> '<ref>';
show(T) when is_function(T) -> {'<fun>', erlang:fun_info(T, arity)};
show([H | T]) -> [show(H) | show(T)];
show(T) when is_tuple(T) -> list_to_tuple(show(tuple_to_list(T)));
show(T) when is_map(T) -> maps:from_list(show(maps:to_list(T)));
show(T) -> T.

arg() ->
    pick([0, 1, 2, -1, 3, 7, 300, 1 bsl 64, -(1 bsl 70), 1.0, -0.0, 2.5, a, foo, true, false,
          undefined, latin1, unicode, utf8, {utf16, big}, [], [a], "abc", "a b c", [1, 2, 3],
          [1 | 2], [<<"x">>, $y], [256, 1000], [-1], [16#D800], <<>>, <<"abc">>, <<1:3>>,
          <<255, 254>>, <<"héllo"/utf8>>, {}, {a}, {1, 2}, {a, b, c}, #{}, #{a => 1},
          #{1 => 2, b => c}, [{a, 1}, {b, 2}], [{1, 2, 3}], fun(_) -> true end,
          fun(_, _) -> true end, fun(_, _, _) -> 1 end, self(), make_ref(), [[1, 2], [3]],
          "  x y  ", [$\s, $\t], [leading], trailing, both, [global], all, [scope],
          {1, 2}, [{scope, {0, 1}}], [{decimals, 2}], [<<"a">>, <<"b">>], "ab", <<"b">>]).
