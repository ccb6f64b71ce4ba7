%% Binary trees (the Computer Language Benchmarks Game's allocation
%% benchmark): one long-lived tree of depth N kept alive while many
%% short-lived trees of depths 4, 6 .. N are built and checked. Exercises
%% a generational collector: the long-lived tree should not be copied at
%% every collection.
-module(bench_binary_trees).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> run(N) end),
    io:format("~w ~w~n", [Micros, Result]).

run(N) ->
    Max = max(6, N),
    Stretch = check(make(Max + 1)),
    Long = make(Max),
    Sums = [iter(D, 1 bsl (Max - D + 4), 0) || D <- lists:seq(4, Max, 2)],
    {Stretch, Sums, check(Long)}.

iter(_, 0, Acc) -> Acc;
iter(D, I, Acc) -> iter(D, I - 1, Acc + check(make(D))).

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, _}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).
