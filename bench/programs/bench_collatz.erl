%% A collatz-style loop over small integers: a self tail call whose body
%% branches on parity (halve, or multiply by three and add one), run from
%% every start below N, summing the step counts.
-module(bench_collatz).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> run(N, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

run(0, Acc) -> Acc;
run(N, Acc) -> run(N - 1, Acc + steps(N, 0)).

steps(1, S) -> S;
steps(N, S) when N band 1 =:= 0 -> steps(N bsr 1, S + 1);
steps(N, S) -> steps(3 * N + 1, S + 1).
