-module(run_deep).
-export([main/0]).

main() ->
    io:format("~p~n", [deep(1000000)]),
    io:format("~p~n", [length(build(1000000))]),
    io:format("~p~n", [count(10000000, 0)]).

deep(0) -> 0;
deep(N) -> 1 + deep(N - 1).
build(0) -> [];
build(N) -> [N | build(N - 1)].
count(0, Acc) -> Acc;
count(N, Acc) -> count(N - 1, Acc + 1).
