-module(run_floats).
-export([main/0]).

main() ->
    Fs = [0.0, 1.0, -1.5, 0.1, 1/3, 2.5e-10, 1.0e20, 123456789.123, 5.0e-324, 1.7976931348623157e308],
    [io:format("~p ~w ~f ~e ~g ~.3f~n", [F, F, F, F, F, F]) || F <- Fs],
    [io:format("~s ~s ~s~n", [float_to_list(F), float_to_list(F, [{decimals, 4}]),
                              float_to_list(F, [short])]) || F <- Fs, abs(F) < 1.0e300],
    io:format("~p~n", [loop(0.0, 1000)]),
    io:format("~p ~p ~p~n", [1 / 4, 3 * 0.5, 2 - 0.25]),
    io:format("~p ~p~n", [math:sqrt(2), math:pi()]),
    io:format("~p~n", [try id(1.0e308) * 10 catch C:R -> {C, R} end]),
    io:format("~p ~p~n", [trunc(2.7), round(-2.5)]),
    io:format("~p~n", [float(1 bsl 70)]).

id(X) -> X.
loop(Acc, 0) -> Acc;
loop(Acc, N) -> loop(Acc + N * 0.5, N - 1).
