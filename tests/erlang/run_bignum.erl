-module(run_bignum).
-export([main/0]).

main() ->
    Vals = [1 bsl 59 - 1, 1 bsl 59, -(1 bsl 59), -(1 bsl 59) - 1, 1 bsl 63, 1 bsl 64,
            -(1 bsl 64), 18446744073709551615, 12345678901234567890123],
    [show(V) || V <- Vals],
    [io:format("~p ~p ~p ~p~n", [A + B, A - B, A * B, A div 7]) || A <- Vals, B <- [1, -1, 1 bsl 62]],
    [io:format("~p ~p ~p~n", [A rem 1000, A band 16#FFFF, A bor 1]) || A <- Vals],
    [io:format("~p ~p~n", [A bsr 3, A bsl 5]) || A <- Vals],
    io:format("~p~n", [fact(30)]),
    io:format("~p~n", [fact(30) div fact(28)]),
    io:format("~p~n", [pow(3, 100)]),
    io:format("~p ~p~n", [-7 div 2, -7 rem 2]),
    io:format("~p~n", [reason(catch 1 div id(0))]),
    io:format("~p~n", [reason(catch (1 bsl 64) rem id(0))]).

id(X) -> X.
reason({'EXIT', {R, [Top | _]}}) -> {R, Top}.

show(V) -> io:format("~p ~w ~s~n", [V, V, integer_to_list(V, 16)]).
fact(0) -> 1; fact(N) -> N * fact(N - 1).
pow(_, 0) -> 1; pow(B, N) -> B * pow(B, N - 1).
