%% Side traces that start where their parent's comparison guard failed
%% drop their own test of the opposite comparison (session 22: fib's and
%% tak's base cases). The other tests of the side trace stay and fail on
%% purpose: a second bound, negative numbers, a float and an atom where
%% the loop's integers were, and comparisons of two arguments.
-module(run_jit_known).
-export([main/0]).

main() ->
    io:format("~p~n", [[count(N, 0) || N <- [0, 5, 10, 11, 300, -4, 1000]]]),
    io:format("~p~n", [[caught(fun() -> count(N, 0) end) || N <- [20.5, a]]]),
    io:format("~p~n", [[fib(N) || N <- [0, 1, 2, -3, 15, 20]]]),
    io:format("~p~n", [[walk(X, Y, 0) || {X, Y} <- [{0, 50}, {60, 50}, {49, 50}, {-9, 3}]]]),
    io:format("~p~n", [[caught(fun() -> walk(X, 40, 0) end) || X <- [1.5, b]]]),
    io:format("~p~n", [[tak(X, 12, 6) || X <- [18, 11, 12, 13]]]).

caught(F) ->
    try F() catch C:R -> {C, R} end.

count(N, Acc) when N > 10 -> count(N - 3, Acc + 1);
count(N, Acc) when N >= 0 -> count(N - 1, Acc + 2);
count(_, Acc) -> Acc.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% Two arguments compared: the side trace knows X >= Y.
walk(X, Y, Acc) when X < Y -> walk(X + 1, Y, Acc + 1);
walk(X, Y, Acc) when X - Y < 7 -> walk(X + 3, Y + 1, Acc + 10);
walk(_, _, Acc) -> Acc.

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.
