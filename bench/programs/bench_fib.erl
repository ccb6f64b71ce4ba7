%% Doubly recursive Fibonacci: non-tail calls and small-integer arithmetic.
-module(bench_fib).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> fib(N) end),
    io:format("~w ~w~n", [Micros, Result]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
