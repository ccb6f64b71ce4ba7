%% Byte-by-byte scan of a large binary with one clause per byte shape: a
%% plain `<<B:8, Rest/binary>>` loop summing bytes (no literal byte test in
%% the head, unlike bench_bin_parse), the commonest hand-written parser loop.
-module(bench_bin_scan).
-export([main/1]).

main([Arg]) ->
    Size = list_to_integer(Arg),
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    Bin = binary:copy(Line, max(1, Size div byte_size(Line))),
    {Micros, Result} = timer:tc(fun() -> sum(Bin, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

sum(<<B:8, Rest/binary>>, S) -> sum(Rest, (S + B) band 16#FFFFFF);
sum(<<>>, S) -> S.
