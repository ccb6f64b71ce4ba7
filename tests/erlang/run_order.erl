-module(run_order).
-export([main/0]).

main() ->
    Terms = [1, 1.0, -3, 2.5, a, 'B', make_ref_free, {1, 2}, {1}, [], [1], [1, 2], "abc",
             #{k => v}, fun() -> ok end, self(), 1 bsl 80],
    Sorted = lists:sort(fun le/2, [T || T <- Terms, not is_function(T), not is_pid(T)]),
    io:format("~p~n", [Sorted]),
    io:format("~p~n", [[{A == B, A =:= B} || {A, B} <- [{1, 1.0}, {1, 1}, {a, a}, {[1], [1.0]}, {{1}, {1.0}}]]]),
    io:format("~p~n", [[A < B || {A, B} <- [{1, a}, {a, {}}, {{}, []}, {[], [1]}, {[1], <<>>}, {1, 1.0}, {1.0, 1}]]]),
    io:format("~p~n", [lists:usort([3, 1.0, 1, 2, 3.0, a, b, a])]),
    io:format("~p~n", [[max(1, 1.0), min(1, 1.0), max(a, 1)]]).

le(A, B) -> A =< B.
