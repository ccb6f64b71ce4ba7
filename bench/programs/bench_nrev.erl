%% Naive reverse: quadratic list building with append, a classic of Prolog
%% and Erlang benchmarking (allocation and list traversal).
-module(bench_nrev).
-export([main/1]).

main([Arg]) ->
    Rounds = list_to_integer(Arg),
    List = lists:seq(1, 30),
    {Micros, Result} = timer:tc(fun() -> loop(Rounds, List, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

loop(0, _, Acc) -> Acc;
loop(N, L, Acc) -> loop(N - 1, L, Acc + hd(nrev(L))).

nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].
