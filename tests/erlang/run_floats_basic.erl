-module(run_floats_basic).
-export([main/0]).

main() ->
    Fs = [0.0, 1.0, -1.5, 0.1, 1/3, 2.5e-10, 1.0e20, 123456789.123, 5.0e-324, 1.7976931348623157e308],
    [io:format("~p ~w~n", [F, F]) || F <- Fs],
    io:format("~p~n", [loop(0.0, 1000)]),
    io:format("~p ~p ~p~n", [1 / 4, 3 * 0.5, 2 - 0.25]),
    io:format("~p ~p~n", [math:sqrt(2), math:pi()]),
    io:format("~p~n", [catch_reason(fun() -> id(1.0e308) * 10 end)]),
    io:format("~p ~p~n", [trunc(2.7), round(-2.5)]),
    io:format("~p~n", [float(1 bsl 70)]),
    io:format("~p~n", [poly(1.5, 100, 0.0)]).

id(X) -> X.
catch_reason(F) -> try F() catch C:R -> {C, R} end.
loop(Acc, 0) -> Acc;
loop(Acc, N) -> loop(Acc + N * 0.5, N - 1).
poly(_, 0, Acc) -> Acc;
poly(X, N, Acc) -> poly(X, N - 1, Acc * X / 2 + N / 3).
