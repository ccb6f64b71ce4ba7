%% `binary:match/2,3` and `binary:matches/2` on a large binary: a single
%% pattern near the end, several patterns (Aho-Corasick on BEAM), a scoped
%% search, and all occurrences of a frequent pattern.
-module(bench_bin_match).
-export([main/1]).

main([Arg]) ->
    Size = list_to_integer(Arg),
    Line = <<"GET /index.html HTTP/1.1 Host: example.org Accept: */*\r\n">>,
    Bin = <<(binary:copy(Line, max(1, Size div byte_size(Line))))/binary, "NEEDLE-in-the-end">>,
    {Micros, Result} = timer:tc(fun() -> loop(10, Bin, []) end),
    io:format("~w ~w~n", [Micros, Result]).

loop(0, _, Acc) -> Acc;
loop(N, Bin, _) ->
    Single = binary:match(Bin, <<"NEEDLE">>),
    Multi = binary:match(Bin, [<<"NEEDLE-in">>, <<"needle">>, <<"HAYSTACK">>]),
    Scoped = binary:match(Bin, <<"Accept">>, [{scope, {byte_size(Bin) div 2, byte_size(Bin) div 2}}]),
    Count = length(binary:matches(Bin, <<"\r\n">>)),
    loop(N - 1, Bin, {Single, Multi, Scoped, Count}).
