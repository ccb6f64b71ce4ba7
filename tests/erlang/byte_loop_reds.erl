%% Reductions byte loops spend (tests/tests/reductions.rs): one per
%% back edge, as on BEAM, also when the interpreter runs several back
%% edges in one dispatch and when the loop yields on the way. Printed as
%% the difference with an empty run, which leaves out what
%% `process_info/2` itself costs. A collection first, so that none (which
%% BEAM charges in reductions) can fall inside the measured loop.
-module(byte_loop_reds).
-export([main/0]).

main() ->
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    Loops = [{scan, fun(B) -> scan(B, 0, 0) end}, {sum, fun(B) -> sum(B, 0) end},
             {lines, fun(B) -> lines(B, 0) end}, {both, fun(B) -> both(B, 0, 0) end}],
    [begin
         Empty = reds(F, <<>>),
         [io:format("~p ~p ~p~n", [Name, Size, reds(F, binary:copy(Line, N)) - Empty])
          || {Size, N} <- [{one, 1}, {short, 3}, {yields, 200}, {long, 20000}]],
         [io:format("~p no newline ~p ~p~n", [Name, N, reds(F, binary:copy(<<"ab">>, N)) - Empty])
          || N <- [1, 1000, 100000]]
     end
     || {Name, F} <- Loops].

reds(F, B) ->
    true = erlang:garbage_collect(),
    {reductions, R0} = process_info(self(), reductions),
    _ = F(B),
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.

scan(<<$\n, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines + 1, (Sum + $\n) band 16#FFFFFF);
scan(<<B:8, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines, (Sum + B) band 16#FFFFFF);
scan(<<>>, Lines, Sum) -> {Lines, Sum}.

%% One-clause loops: a sum, a count of one byte in the body, a counter and
%% an accumulator.
sum(<<B:8, Rest/binary>>, S) -> sum(Rest, (S + B) band 16#FFFFFF);
sum(<<>>, S) -> S.

lines(<<B:8, Rest/binary>>, N) ->
    case B of
        $\n -> lines(Rest, N + 1);
        _ -> lines(Rest, N)
    end;
lines(<<>>, N) -> N.

both(<<B:8, Rest/binary>>, N, Acc) -> both(Rest, N + 1, Acc + B);
both(<<>>, N, Acc) -> {N, Acc}.
