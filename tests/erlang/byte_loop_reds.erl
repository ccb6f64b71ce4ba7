%% Reductions a byte loop spends (tests/tests/reductions.rs): one per
%% back edge, as on BEAM, also when the interpreter runs several back
%% edges in one dispatch and when the loop yields on the way. Printed as
%% the difference with an empty run, which leaves out what
%% `process_info/2` itself costs. A collection first, so that none (which
%% BEAM charges in reductions) can fall inside the measured loop.
-module(byte_loop_reds).
-export([main/0]).

main() ->
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    Empty = reds(<<>>),
    [io:format("~p ~p~n", [Size, reds(binary:copy(Line, N)) - Empty])
     || {Size, N} <- [{one, 1}, {short, 3}, {yields, 200}, {long, 20000}]],
    [io:format("no newline ~p ~p~n", [N, reds(binary:copy(<<"ab">>, N)) - Empty])
     || N <- [1, 1000, 100000]].

reds(B) ->
    true = erlang:garbage_collect(),
    {reductions, R0} = process_info(self(), reductions),
    _ = scan(B, 0, 0),
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.

scan(<<$\n, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines + 1, (Sum + $\n) band 16#FFFFFF);
scan(<<B:8, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines, (Sum + B) band 16#FFFFFF);
scan(<<>>, Lines, Sum) -> {Lines, Sum}.
