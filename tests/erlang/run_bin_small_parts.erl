%% Pieces of at most 64 whole bytes cut from a binary are copied into heap
%% binaries of their own, as BEAM cuts them (erts_extract_sub_binary):
%% bit syntax matching (bs_get_binary2, bs_get_tail, binary
%% comprehensions), split_binary/2, binary_part/2,3, binary:part/2,3 and
%% binary:split/2,3 (list_to_binary/1 and its kin, and
%% unicode:characters_to_binary/1,2,3, return the binary of a one-binary
%% list as it is); bigger pieces and pieces ending inside a byte stay
%% sub-binaries of their original. binary:referenced_byte_size/1 shows
%% which, for originals that are off-heap, on the heap, and sub-binaries;
%% loops run long enough for the JIT to record them.
-module(run_bin_small_parts).
-export([main/0]).

main() ->
    Parents = [{refc200, binary:copy(<<"a">>, 200)},
               {heap60, binary:copy(<<"b">>, 60)},
               {refc100_sub, element(2, split_binary(binary:copy(<<"c">>, 300), 200))}],
    [parent(Name, X) || {Name, X} <- Parents],
    loops(),
    ok.

parent(Name, X) ->
    io:format("== ~p~n", [Name]),
    Sz = byte_size(X),
    Bits = Sz * 8,
    p(get, [{L, r(get(X, 1, L))} || L <- [0, 1, 2, 63, 64, 65], 1 + L =< Sz]),
    p(get_bits, [{L, r(getb(X, 3, L))} || L <- [0, 1, 9, 511, 512, 513, 520, 521], 3 + L =< Bits]),
    p(get_bits8, [{L, r(getb(X, 8, L))} || L <- [0, 8, 16, 512, 520], 8 + L =< Bits]),
    p(tail, [{S, r(tail(X, S))} || S <- [0, 1, Sz - 65, Sz - 64, Sz - 63, Sz - 1, Sz], S >= 0]),
    p(tail_bits, [{S, r(tailb(X, S))} || S <- [3, Bits - 9, Bits - 512, Bits - 513, Bits - 511], S >= 0]),
    p(fixed, [r(get2(X)) | [r(B) || B <- [get64(X), get65(X)], is_binary(B)]]),
    p(tail1, r(tail1(X))),
    p(tail_loop, [r(tail_loop(X, N)) || N <- [Sz - 66, Sz - 65, Sz - 64, Sz - 2], N >= 0]),
    p(split, [{N, r(A), r(B)} || N <- [0, 1, 64, 65, Sz - 65, Sz - 64, Sz], N >= 0, N =< Sz,
                                 {A, B} <- [split_binary(X, N)]]),
    p(split_bits, [{N, r(A), r(B)} || N <- [0, Sz - 64, Sz - 1], N >= 0,
                                      {A, B} <- [split_binary(list_to_bitstring([X, <<5:4>>]), N)]]),
    p(binary_part, [{N, r(binary_part(X, 1, N)), r(binary_part(X, {Sz, -N}))} || N <- [0, 1, 64, 65], N < Sz]),
    p(part, [{N, r(binary:part(X, 1, N)), r(binary:part(X, {Sz - 1, -N}))} || N <- [0, 1, 64, 65], N < Sz]),
    Needle = binary:part(X, 0, 1),
    p(split_first, [r(B) || B <- binary:split(X, binary:part(X, 0, 4))]),
    p(split_global, lists:usort([r(B) || B <- binary:split(X, Needle, [global])])),
    p(split_none, [r(B) || B <- binary:split(X, <<"q">>)]),
    p(split_scope, [r(B) || B <- binary:split(X, Needle, [{scope, {Sz - 1, 1}}])]),
    p(split_trim, [r(B) || B <- binary:split(<<0, X/binary>>, <<0>>, [trim_all])]),
    p(bitstring_to_list, r(lists:last(bitstring_to_list(getb(X, 0, Bits - 3))))),
    p(comprehension, [r(B) || <<B:3/binary>> <= binary:part(X, 0, 9)]),
    p(comprehension_big, [r(B) || <<B:65/binary>> <= X]),
    p(copy, r(binary:copy(X))),
    Small = binary:part(X, 1, 10),
    Lists = [[X], [[X]], [X, <<>>], [<<>>, X], [X | <<>>], [Small], [X, X], [[], X]],
    p(list_to_binary, [r(list_to_binary(L)) || L <- Lists]),
    p(iolist_to_binary, [r(iolist_to_binary(L)) || L <- Lists]),
    p(list_to_bin, [r(binary:list_to_bin(L)) || L <- Lists]),
    p(list_to_bitstring, [r(list_to_bitstring(L)) || L <- [[getb(X, 0, 13)], [getb(X, 0, 13), <<>>] | Lists]]),
    Utf8 = element(2, split_binary(binary:copy(<<"\x{e9}"/utf8>>, Sz), Sz)),
    p(characters_to_binary, [r(unicode:characters_to_binary(D)) || D <- [X, [X], [[X]], Utf8, [Utf8], [Utf8, X]]]),
    p(characters_to_binary_latin1, [r(unicode:characters_to_binary(D, latin1)) || D <- [X, [X], Utf8, [Utf8]]]),
    p(characters_to_binary3, [r(unicode:characters_to_binary(X, unicode, unicode)), r(unicode:characters_to_binary(X, latin1, latin1))]),
    p(list_to_binary_bits, try list_to_binary([getb(X, 0, 13)]) catch error:R -> R end),
    p(term, [r(binary_to_term(term_to_binary(binary:part(X, 0, N)))) || N <- [10, 64, 65, Sz], N =< Sz]).

%% A loop taking 2-byte fields and one keeping 70-byte ones, many times
%% over (the JIT records them), and a byte loop whose tail is kept.
loops() ->
    Big = binary:copy(<<"0123456789">>, 100),
    Fields = fields(Big, []),
    p(loop_fields, {length(Fields), lists:usort([r(F) || F <- Fields])}),
    Wide = wide(Big, []),
    p(loop_wide, {length(Wide), lists:usort([r(F) || F <- Wide])}),
    Tails = [skip(Big, N) || N <- lists:seq(900, 1000, 5)],
    p(loop_tails, [{byte_size(T), r(T)} || T <- Tails]),
    Odd = <<1:3, Big/binary>>,
    OddFields = fields_at(Odd, 3, []),
    p(loop_unaligned, {length(OddFields), lists:usort([r(F) || F <- OddFields]),
                       hd(OddFields) =:= binary:part(Big, 0, 2)}).

fields(<<F:2/binary, Rest/binary>>, Acc) -> fields(Rest, [F | Acc]);
fields(<<>>, Acc) -> Acc.

wide(<<F:70/binary, Rest/binary>>, Acc) -> wide(Rest, [F | Acc]);
wide(_, Acc) -> Acc.

fields_at(B, Pos, Acc) ->
    case B of
        <<_:Pos, F:2/binary, _/bits>> -> fields_at(B, Pos + 16, [F | Acc]);
        _ -> lists:reverse(Acc)
    end.

skip(<<_, Rest/binary>>, N) when N > 0 -> skip(Rest, N - 1);
skip(Rest, _) -> Rest.

get(X, S, L) -> <<_:S/binary, Y:L/binary, _/binary>> = X, Y.
getb(X, S, L) -> <<_:S/bits, Y:L/bits, _/bits>> = X, Y.
tail(X, S) -> <<_:S/binary, T/binary>> = X, T.
tailb(X, S) -> <<_:S/bits, T/bits>> = X, T.
get2(<<_:2/binary, Y:2/binary, _/binary>>) -> Y.
get64(<<_:2/binary, Y:64/binary, _/binary>>) -> Y;
get64(_) -> none.
get65(<<_:2/binary, Y:65/binary, _/binary>>) -> Y;
get65(_) -> none.
tail1(<<_, T/binary>>) -> T.
tail_loop(<<_, T/binary>>, 0) -> T;
tail_loop(<<_, T/binary>>, N) -> tail_loop(T, N - 1).

r(B) -> binary:referenced_byte_size(B).

p(Label, V) -> io:format("~p: ~w~n", [Label, V]).
