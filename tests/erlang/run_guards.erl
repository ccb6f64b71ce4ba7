-module(run_guards).
-export([main/0]).
-record(point, {x = 0, y = 0, label}).

main() ->
    Vals = [1, -1, 0, 2.5, a, true, "s", [], {t}, {1, 2}, #point{}, 1 bsl 65, self(), fun() -> ok end],
    [io:format("~w~n", [classify(V)]) || V <- Vals, not is_pid(V), not is_function(V)],
    io:format("~p~n", [[guard2(X, Y) || X <- [1, 2, 3], Y <- [1, 2.0, a]]]),
    P = #point{x = 3, label = "p"},
    io:format("~p ~p ~p~n", [P#point.x, P#point.y, P#point.label]),
    P2 = P#point{y = 7},
    io:format("~p~n", [P2]),
    io:format("~p~n", [is_record(P2, point)]),
    io:format("~p~n", [[X || X <- lists:seq(1, 20), X rem 3 =:= 0, X > 5]]),
    io:format("~p~n", [[{X, Y} || {X, Y} <- [{1, a}, {2, b}, bad, {3, c}], X > 1]]),
    io:format("~p~n", [bool(true, false)]),
    io:format("~p~n", [case {1, 2} of {A, B} when A < B, B > 0 -> lt; _ -> other end]),
    io:format("~p~n", [sel(3) ++ sel(7) ++ sel(x)]),
    io:format("~p~n", [tuple_size({a, b, c}) + length([1, 2]) + abs(-4)]).

classify(X) when is_integer(X), X > 0 -> pos_int;
classify(X) when is_integer(X), X < 0 -> neg_int;
classify(0) -> zero;
classify(X) when is_float(X) -> float;
classify(X) when is_boolean(X) -> bool;
classify(X) when is_atom(X) -> atom;
classify([_ | _]) -> nonempty_list;
classify([]) -> nil;
classify(X) when is_record(X, point) -> point;
classify({_}) -> tuple1;
classify(X) when tuple_size(X) =:= 2 -> tuple2;
classify(_) -> other.

guard2(X, Y) when X == Y -> eq;
guard2(X, Y) when X > Y; is_atom(Y) -> gt_or_atom;
guard2(_, _) -> lt.

bool(A, B) -> {A and B, A or B, A xor B, not A, A andalso B, A orelse B}.

sel(N) ->
    case N of
        1 -> "one";
        3 -> "three";
        7 -> "seven";
        _ -> "?"
    end.
