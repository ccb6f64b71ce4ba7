%% Byte-by-byte parsing of a large binary with `<<B:8, Rest/binary>>`:
%% counts lines and sums the bytes, the inner loop of a hand-written parser
%% (match-context reuse, one byte extracted per iteration).
-module(bench_bin_parse).
-export([main/1]).

main([Arg]) ->
    Size = list_to_integer(Arg),
    Bin = text(Size),
    {Micros, Result} = timer:tc(fun() -> scan(Bin, 0, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

scan(<<$\n, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines + 1, (Sum + $\n) band 16#FFFFFF);
scan(<<B:8, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines, (Sum + B) band 16#FFFFFF);
scan(<<>>, Lines, Sum) -> {Lines, Sum}.

%% About Size bytes of text lines.
text(Size) ->
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    binary:copy(Line, max(1, Size div byte_size(Line))).
