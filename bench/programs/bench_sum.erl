%% A tail-recursive accumulator loop over small integers: the shape of loop
%% a tracing JIT anchors on.
-module(bench_sum).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> sum(N, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

sum(0, Acc) -> Acc;
sum(N, Acc) -> sum(N - 1, Acc + (N band 1023)).
