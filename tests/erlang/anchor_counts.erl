%% Profiling counters (`--jit-stats`, tests/tests/counters.rs): a loop
%% anchor reached by two back edges, a call anchor reached by a local
%% call and one reached by remote calls, each a known number of times;
%% byte loops, whose back edges the interpreter counts several at a time
%% (one with a byte test in its head, one-clause ones with one back edge
%% and with two).
-module(anchor_counts).
-export([main/0, helper/1]).

main() ->
    io:format("~w~n", [loop(100000, 0)]),
    io:format("~w~n", [calls(20000, 0)]),
    Bin = binary:copy(<<"abcdefghi\n">>, 10000),
    io:format("~w~n", [bytes(Bin, 0, 0)]),
    io:format("~w~n", [sum(Bin, 0)]),
    io:format("~w~n", [lines(binary:part(Bin, 0, 70000), 0)]).

loop(0, Acc) -> Acc;
loop(N, Acc) when N rem 2 =:= 0 -> loop(N - 1, Acc + 1);
loop(N, Acc) -> loop(N - 1, Acc + 2).

calls(0, Acc) -> Acc;
calls(N, Acc) -> calls(N - 1, Acc + helper(N) + ?MODULE:helper(N)).

helper(N) -> N band 7.

bytes(<<$\n, Rest/binary>>, Lines, Sum) -> bytes(Rest, Lines + 1, Sum);
bytes(<<B:8, Rest/binary>>, Lines, Sum) -> bytes(Rest, Lines, (Sum + B) band 16#FFFF);
bytes(<<>>, Lines, Sum) -> {Lines, Sum}.

sum(<<B:8, Rest/binary>>, S) -> sum(Rest, (S + B) band 16#FFFFFF);
sum(<<>>, S) -> S.

lines(<<B:8, Rest/binary>>, N) ->
    case B of
        $\n -> lines(Rest, N + 1);
        _ -> lines(Rest, N)
    end;
lines(<<>>, N) -> N.
