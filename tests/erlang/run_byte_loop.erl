%% Byte loops (a `BsStartU8Eq` head and an `AddBandLoop` tail whose back
%% edge and byte test close the loop, which the interpreter runs through
%% several back edges in one dispatch): where the loop stops (the head's
%% byte, the end, trailing bits, a tail that is not small-integer
%% arithmetic, an error in it), contexts the head reads in place or not
%% (heap binaries, sub-binaries, a bit offset), bitstring tails, sums
%% that leave the small integers mid-loop, and
%% loops long enough to yield many times, alone and side by side.
-module(run_byte_loop).
-export([main/0]).

main() ->
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    Big = binary:copy(Line, 2000),
    Inputs = [{empty, <<>>}, {one, <<"a">>}, {nl, <<"\n">>}, {heap, <<"ab\ncd\n\nx">>},
              {no_nl, binary:copy(<<"xyz">>, 500)}, {ends_nl, <<(binary:copy(<<"k">>, 300))/binary, "\n">>},
              {big, Big}, {part, binary:part(Big, 7, 5000)},
              {from_list, list_to_binary(lists:duplicate(700, $q))},
              {offset, offset(Big, 3)}, {offset_part, binary:part(offset(Big, 1), 10, 800)},
              {bytes_255, binary:copy(<<255, 0, 10, 128>>, 1000)}],
    [io:format("scan ~p ~p~n", [Name, safe(fun() -> scan(B, 0, 0) end)]) || {Name, B} <- Inputs],
    [io:format("bits ~p ~p~n", [Name, safe(fun() -> bits(B, 0, 0) end)]) || {Name, B} <- Inputs],
    Tails = [{trail3, <<Big/binary, 5:3>>}, {trail7, <<"abc\nde", 127:7>>},
             {trail1, <<(binary:copy(<<"z">>, 100))/binary, 1:1>>}],
    [io:format("scan ~p ~p~n", [Name, safe(fun() -> scan(B, 0, 0) end)]) || {Name, B} <- Tails],
    [io:format("bits ~p ~p~n", [Name, safe(fun() -> bits(B, 0, 0) end)]) || {Name, B} <- Tails],
    Ks = [{small, 3}, {big_k, 1 bsl 64}, {neg_big, -(1 bsl 70) + 5}, {float_k, 2.5}, {atom_k, a},
          {turns_big, 1}, {turns_atom, 11}],
    [io:format("keyed ~p ~p~n", [Name, safe(fun() -> keyed(Big, 0, K) end)]) || {Name, K} <- Ks],
    [io:format("grow ~p ~p~n", [Start, grow(Big, Start)])
     || Start <- [0, (1 bsl 59) - 5000, -(1 bsl 59) + 100, 1 bsl 80]],
    Long = binary:copy(Line, 40000),
    io:format("long ~p~n", [scan(Long, 0, 0)]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), scan(binary:copy(<<N, "\n", (N + 1)>>, 100000), 0, 0)} end)
            || N <- [1, 40, 200]],
    io:format("side by side ~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

safe(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R:St -> {C, R, frames(St)}
    end.

%% The top frames: function, arguments (their sizes for bitstrings) and line.
frames(St) ->
    [{M, F, args(A), proplists:get_value(line, Loc)} || {M, F, A, Loc} <- lists:sublist(St, 2)].

args(A) when is_list(A) -> [arg(X) || X <- A];
args(A) -> A.

arg(B) when is_bitstring(B) -> {bits, bit_size(B)};
arg(X) -> X.

%% A context over `B` from bit `N`: its bytes at no byte boundary.
offset(B, N) ->
    <<_:N, R/bitstring>> = <<0:N, B/binary>>,
    R.

%% The benchmark's loop.
scan(<<$\n, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines + 1, (Sum + $\n) band 16#FFFFFF);
scan(<<B:8, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines, (Sum + B) band 16#FFFFFF);
scan(<<>>, Lines, Sum) -> {Lines, Sum}.

%% Bitstring tails: no whole-bytes test; the loop ends with fewer than 8
%% bits left.
bits(<<$\n, Rest/bitstring>>, Lines, Sum) -> bits(Rest, Lines + 1, Sum);
bits(<<B:8, Rest/bitstring>>, Lines, Sum) -> bits(Rest, Lines, (Sum - B) band 16#FFFF);
bits(<<T:3>>, Lines, Sum) -> {T, Lines, Sum};
bits(Rest, Lines, Sum) -> {bit_size(Rest), Lines, Sum}.

%% The tail adds a key that changes at each newline: it may stop being a
%% small integer in the middle of a line's loop.
keyed(<<$\n, Rest/binary>>, Acc, K) -> keyed(Rest, Acc, next(K));
keyed(<<_, Rest/binary>>, Acc, K) -> keyed(Rest, (Acc + K) band 16#FFFFF, K);
keyed(<<>>, Acc, K) -> {Acc, K}.

%% The sum grows past the small integers in the middle of a line.
grow(<<$\n, Rest/binary>>, Acc) -> grow(Rest, Acc);
grow(<<B:8, Rest/binary>>, Acc) -> grow(Rest, (Acc + B) band -16);
grow(<<>>, Acc) -> Acc.

next(3) -> 1 bsl 62;
next(13) -> oops;
next(K) when is_integer(K) -> K + 1;
next(K) -> K.
