-module(run_strings).
-export([main/0]).

main() ->
    S = "The quick brown fox",
    io:format("~p~n", [string:split(S, " ", all)]),
    io:format("~s~n", [string:to_upper(S)]),
    io:format("~p~n", [string:str(S, "brown")]),
    io:format("~p~n", [string:substr(S, 5, 5)]),
    io:format("~p~n", [lists:reverse(S)]),
    io:format("~p~n", [string:strip("  pad  ")]),
    io:format("~p~n", [string:chr(S, $q)]),
    io:format("~s~n", [io_lib:format("~-10s|~10s|", ["left", "right"])]),
    io:format("~p~n", [lists:flatten(io_lib:format("~w-~w", [1, a]))]),
    io:format("~p~n", [integer_to_list(255, 2)]),
    io:format("~p~n", [list_to_integer("-1234")]),
    io:format("~p~n", [atom_to_list('hello world')]),
    io:format("~p~n", [lists:concat([a, 1, "b", 2.0])]),
    io:format("~p~n", [string:join([integer_to_list(I) || I <- lists:seq(1, 5)], ", ")]),
    io:format("~p~n", [[C || C <- S, C >= $a, C =< $m]]),
    io:format("~p~n", [lists:keysort(2, [{a, 3}, {b, 1}, {c, 2}])]),
    io:format("~p~n", [lists:partition(fun(X) -> X > 2 end, [1, 2, 3, 4])]),
    io:format("~p~n", [lists:foldr(fun(X, A) -> [X * 2 | A] end, [], [1, 2, 3])]).
