%% Takeuchi's function: deep non-tail recursion with three arguments.
-module(bench_tak).
-export([main/1]).

main([Arg]) ->
    Rounds = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> loop(Rounds, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, Acc + tak(18, 12, 6)).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.
