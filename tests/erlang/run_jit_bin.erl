%% Binary-matching loops the JIT compiles (match contexts in traces),
%% whose guards fail on purpose: the end of the binary, a short tail, a
%% segment off a byte boundary, heap binaries and sub-binaries, bitstrings
%% whose size is not a multiple of 8, a match that fails midway. Every
%% exit must leave the match context where the interpreter would have.
-module(run_jit_bin).
-export([main/0]).

main() ->
    Big = text(20000),
    %% A byte-by-byte scan (off-heap binary, read in place).
    io:format("~p~n", [scan(Big, 0, 0)]),
    %% The same loop on a heap binary, then on the big one again.
    io:format("~p~n", [[scan(B, 0, 0) || B <- [<<"a\nb\n">>, Big, <<>>, <<"\n">>]]]),
    %% Sub-binaries: at a byte boundary of the off-heap buffer, and off
    %% one (a bitstring: the byte loop stops with bits left).
    <<_:3/binary, Sub/binary>> = Big,
    io:format("~p~n", [scan(Sub, 0, 0)]),
    <<_:3, Odd/bitstring>> = Big,
    io:format("~p~n", [bits_left(Odd, 0)]),
    %% A bitstring whose size is not a multiple of 8.
    Tailed = <<Big/binary, 5:3>>,
    io:format("~p~n", [bits_left(Tailed, 0)]),
    io:format("~p~n", [try scan(Tailed, 0, 0) catch error:R -> R end]),
    %% Wider reads, and a short tail that does not fill the last one.
    Words = <<Big/binary, 1, 2, 3>>,
    io:format("~p~n", [words(Words, 0)]),
    io:format("~p~n", [halves(Words, 0)]),
    %% Skipping, and a marker after which the reads are off a byte
    %% boundary (the alignment guard fails; the interpreter goes on).
    io:format("~p~n", [skip(Big, 0)]),
    Marked = <<(binary:copy(<<"abcdefgh">>, 300))/binary, 255, 7:4, (binary:copy(<<"xyz">>, 200))/binary, 0:4>>,
    io:format("~p~n", [marked(Marked, 0)]),
    %% A match that fails midway: the rest must start exactly there.
    Digits = <<(binary:copy(<<"0123456789">>, 500))/binary, "x tail">>,
    io:format("~p~n", [digits(Digits, 0)]),
    io:format("~p~n", [[digits(D, 0) || D <- [Digits, <<"12a">>, <<>>, Big]]]),
    %% A binary another process made (shared off-heap, not copied).
    Self = self(),
    spawn(fun() -> Self ! {bin, text(5000)} end),
    Got = receive {bin, B} -> B end,
    io:format("~p~n", [scan(Got, 0, 0)]),
    %% Many binaries through one loop: entries that start a new context.
    io:format("~p~n", [lists:sum([element(2, scan(binary:part(Big, S, 300), 0, 0)) || S <- lists:seq(0, 9000, 97)])]),
    %% Positions saved and restored (`bs_get_position`/`bs_set_position`)
    %% in clauses tried one after another.
    io:format("~p~n", [tokens(Big, 0, 0, 0)]),
    %% Integers of any width at any bit offset, signed and unsigned, up
    %% to the last bit of the buffer; short bitstrings (under 8 bytes)
    %% that the general read leaves to the interpreter.
    io:format("~p~n", [[{W, odd_widths(Big, W, 0)} || W <- [1, 3, 7, 12, 31, 57]] ++ [odd_widths(Odd, 5, 0)]]),
    io:format("~p~n", [[{W, signed(Big, W, 0)} || W <- [5, 8, 13, 57]]]),
    <<_:7, Last57:57/bitstring>> = binary:part(Big, byte_size(Big) - 8, 8),
    io:format("~p~n", [odd_widths(<<(binary:copy(<<"ab">>, 40))/binary, Last57/bitstring>>, 57, 0)]),
    io:format("~p~n", [[odd_widths(binary:part(Big, 1, N), 3, 0) || N <- [1, 7, 8, 9, 100]]]),
    %% Sub-binaries made in the trace: fixed and length-prefixed fields,
    %% the rest of each record (a sub-binary of a sub-binary lends its
    %% original), a truncated last record.
    Recs = << <<(N rem 200):8, (binary:copy(<<(N rem 26 + $a)>>, N rem 200))/binary>> || N <- lists:seq(1, 3000) >>,
    io:format("~p~n", [checksum(records(Recs, []))]),
    io:format("~p~n", [checksum(records(<<Recs/binary, 9, "short">>, []))]),
    io:format("~p~n", [checksum(records(binary:part(Recs, 0, 5000), []))]),
    io:format("~p~n", [checksum(fixed(Big, []))]),
    io:format("~p~n", [checksum(fixed(Sub, []))]),
    io:format("~p~n", [checksum(lines(Big, []))]),
    %% Heap binaries (64 bytes or fewer, read where they lie while the
    %% trace runs; collections move them between runs), and sub-binaries
    %% of heap binaries (left to the interpreter).
    Small = [integer_to_binary(N * 7919 * N) || N <- lists:seq(1, 2000)],
    io:format("~p~n", [checksum([bytes(Sb, []) || Sb <- Small])]),
    H64 = list_to_binary(lists:seq(1, 64)),
    io:format("~p~n", [{halves(H64, 0), words(H64, 0), odd_widths(H64, 11, 0), signed(H64, 9, 0)}]),
    io:format("~p~n", [checksum(records(<<3, "abc", 0, 2, "xy", 5, "hello", 1>>, []))]),
    <<_, HSub/binary>> = H64,
    io:format("~p~n", [{scan(HSub, 0, 0), halves(HSub, 0)}]),
    %% Literal strings of several lengths, differing in any chunk.
    io:format("~p~n", [phrases(Big, #{})]),
    io:format("~p~n", [phrases(binary:replace(Big, <<"lazy dog">>, <<"lazy dot">>, [global]), #{})]).

phrases(<<"quick", Rest/binary>>, M) -> phrases(Rest, bump(quick, M));
phrases(<<"lazy dog", Rest/binary>>, M) -> phrases(Rest, bump(lazy_dog, M));
phrases(<<"jumps over the lazy dog 0123456789">>, M) -> bump(last, M);
phrases(<<"jumps over the ", Rest/binary>>, M) -> phrases(Rest, bump(jumps, M));
phrases(<<"z", Rest/binary>>, M) -> phrases(Rest, bump(z, M));
phrases(<<_, Rest/binary>>, M) -> phrases(Rest, M);
phrases(<<>>, M) -> M.

bump(K, M) ->
    case M of
        #{K := N} -> M#{K := N + 1};
        _ -> M#{K => 1}
    end.

scan(<<$\n, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines + 1, (Sum + $\n) band 16#FFFFFF);
scan(<<B:8, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines, (Sum + B) band 16#FFFFFF);
scan(<<>>, Lines, Sum) -> {Lines, Sum}.

bits_left(<<B:8, Rest/bitstring>>, Acc) -> bits_left(Rest, (Acc * 31 + B) rem 1000003);
bits_left(Rest, Acc) -> {Acc, bit_size(Rest), Rest}.

records(<<Len:8, Data:Len/binary, Rest/binary>>, Acc) -> records(Rest, [Data | Acc]);
records(Rest, Acc) -> {length(Acc), Rest, lists:reverse(Acc)}.

fixed(<<F:7/binary, Rest/binary>>, Acc) -> fixed(Rest, [F | Acc]);
fixed(Rest, Acc) -> {length(Acc), Rest, Acc}.

lines(Bin, Acc) ->
    case Bin of
        <<"the ", Rest/binary>> -> lines(Rest, [Rest | Acc]);
        <<_, Rest/binary>> -> lines(Rest, Acc);
        <<>> -> {length(Acc), [byte_size(R) || R <- Acc]}
    end.

bytes(<<B, Rest/binary>>, Acc) -> bytes(Rest, [B | Acc]);
bytes(<<>>, Acc) -> Acc.

checksum(T) -> {erlang:phash2(T), byte_size(term_to_binary(T))}.

odd_widths(Bin, W, Acc) ->
    case Bin of
        <<V:W, Rest/bitstring>> -> odd_widths(Rest, W, (Acc * 7 + V) rem 1000000007);
        _ -> {Acc, bit_size(Bin)}
    end.

signed(Bin, W, Acc) ->
    case Bin of
        <<V:W/signed, Rest/bitstring>> -> signed(Rest, W, (Acc * 3 + V) rem 1000000007);
        _ -> {Acc, bit_size(Bin)}
    end.

words(<<W:32, Rest/binary>>, Acc) -> words(Rest, (Acc + W) rem 16#FFFFFFF);
words(Rest, Acc) -> {Acc, Rest}.

halves(<<H:16, Rest/binary>>, Acc) -> halves(Rest, Acc bxor H);
halves(Rest, Acc) -> {Acc, Rest}.

skip(<<_:16, B:8, Rest/binary>>, Acc) -> skip(Rest, Acc + B);
skip(Rest, Acc) -> {Acc, Rest}.

marked(<<255, _:4, Rest/bitstring>>, Acc) -> marked(Rest, Acc + 1000000);
marked(<<B:8, Rest/bitstring>>, Acc) -> marked(Rest, Acc + B);
marked(Rest, Acc) -> {Acc, Rest}.

digits(<<D, Rest/binary>>, Acc) when D >= $0, D =< $9 -> digits(Rest, Acc + D - $0);
digits(Rest, Acc) -> {Acc, byte_size(Rest), binary:part(Rest, 0, min(5, byte_size(Rest)))}.

tokens(<<"the", Rest/binary>>, T, S, O) -> tokens(Rest, T + 1, S, O);
tokens(<<$\s, Rest/binary>>, T, S, O) -> tokens(Rest, T, S + 1, O);
tokens(<<_, Rest/binary>>, T, S, O) -> tokens(Rest, T, S, O + 1);
tokens(<<>>, T, S, O) -> {T, S, O}.

text(Size) ->
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    binary:copy(Line, max(1, Size div byte_size(Line))).
