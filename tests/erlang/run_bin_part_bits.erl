%% The `binary` module and `erlang` BIFs given bitstrings: `binary:part`,
%% `binary_part` and `binary_to_list/3` take their whole bytes,
%% `binary:copy(_, 0)` is `<<>>` for any bitstring, and the rest reject
%% them.
-module(run_bin_part_bits).
-export([main/0]).

main() ->
    B = id(<<1, 2, 3, 4:4>>),
    E = id(<<1:4>>),
    Calls =
        [{part3, fun() -> binary:part(B, 0, 2) end},
         {part3_mid, fun() -> binary:part(B, 1, 2) end},
         {part3_end, fun() -> binary:part(B, 3, 0) end},
         {part3_back, fun() -> binary:part(B, 3, -1) end},
         {part3_whole, fun() -> binary:part(B, 0, 3) end},
         {part3_over, fun() -> binary:part(B, 0, 4) end},
         {part3_empty, fun() -> binary:part(E, 0, 0) end},
         {part3_short, fun() -> binary:part(E, 0, 1) end},
         {part3_atom, fun() -> binary:part(foo, 0, 0) end},
         {part2, fun() -> binary:part(B, {1, 2}) end},
         {part2_back, fun() -> binary:part(B, {3, -3}) end},
         {part2_over, fun() -> binary:part(B, {3, 1}) end},
         {bpart3, fun() -> binary_part(B, 0, 2) end},
         {bpart3_over, fun() -> binary_part(B, 0, 4) end},
         {bpart2, fun() -> binary_part(B, {3, 0}) end},
         {at, fun() -> binary:at(B, 1) end},
         {at_last, fun() -> binary:at(B, 3) end},
         {first, fun() -> binary:first(B) end},
         {first_short, fun() -> binary:first(E) end},
         {last, fun() -> binary:last(B) end},
         {bin_to_list1, fun() -> binary:bin_to_list(B) end},
         {bin_to_list2, fun() -> binary:bin_to_list(B, {0, 2}) end},
         {bin_to_list3, fun() -> binary:bin_to_list(B, 0, 2) end},
         {match, fun() -> binary:match(B, <<2>>) end},
         {match_pat, fun() -> binary:match(<<1, 2>>, B) end},
         {match_empty, fun() -> binary:match(<<>>, E) end},
         {matches, fun() -> binary:matches(B, <<2>>) end},
         {split, fun() -> binary:split(B, <<2>>) end},
         {split_empty, fun() -> binary:split(<<>>, E) end},
         {split_scope, fun() -> binary:split(<<1, 2:4>>, foo, [{scope, {0, 0}}]) end},
         {replace, fun() -> binary:replace(B, <<2>>, <<9>>) end},
         {replace_with, fun() -> binary:replace(<<1, 2>>, <<1>>, E) end},
         {copy1, fun() -> binary:copy(B) end},
         {copy2, fun() -> binary:copy(B, 2) end},
         {copy0, fun() -> binary:copy(B, 0) end},
         {copy0_short, fun() -> binary:copy(E, 0) end},
         {copy0_atom, fun() -> binary:copy(foo, 0) end},
         {copy_neg, fun() -> binary:copy(B, -1) end},
         {copy_atom_n, fun() -> binary:copy(<<1>>, a) end},
         {lcp, fun() -> binary:longest_common_prefix([B, <<1, 2>>]) end},
         {lcs, fun() -> binary:longest_common_suffix([B, <<1, 2>>]) end},
         {decode_unsigned, fun() -> binary:decode_unsigned(B) end},
         {referenced, fun() -> binary:referenced_byte_size(B) end},
         {referenced_short, fun() -> binary:referenced_byte_size(E) end},
         {compile_pattern, fun() -> binary:compile_pattern(B) end},
         {list_to_bin, fun() -> binary:list_to_bin([B]) end},
         {binary_to_list1, fun() -> binary_to_list(B) end},
         {binary_to_list3, fun() -> binary_to_list(B, 1, 2) end},
         {binary_to_list3_last, fun() -> binary_to_list(B, 3, 3) end},
         {binary_to_list3_over, fun() -> binary_to_list(B, 1, 4) end},
         {binary_to_list3_tail, fun() -> binary_to_list(B, 4, 4) end},
         {binary_to_list3_short, fun() -> binary_to_list(id(E), 1, 0) end},
         {split_binary, fun() -> split_binary(B, 3) end},
         {split_binary_over, fun() -> split_binary(B, 4) end}],
    [report(L, F) || {L, F} <- Calls],
    ok.

id(X) -> X.

report(Label, F) ->
    try F() of
        V -> io:format("~p: ~w~n", [Label, V])
    catch
        C:R:St ->
            {M, Fn, A, _} = hd(St),
            io:format("~p: ~p ~p ~p:~p/~p~n", [Label, C, R, M, Fn, length_of(A)])
    end.

length_of(A) when is_list(A) -> length(A);
length_of(A) -> A.
