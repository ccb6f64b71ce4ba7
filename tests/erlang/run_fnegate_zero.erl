%% `fnegate` (a unary minus the compiler knows is of a float) is BEAM's
%% `0.0 - X`: negating 0.0 gives 0.0, not -0.0, while `erlang:'-'/1` flips
%% the sign; also in a hot loop (compiled by the JIT) and folded from a
%% constant.
-module(run_fnegate_zero).
-export([main/0, id/1]).

id(X) -> X.
negf(X) when is_float(X) -> -X.
neg(X) -> -X.

loop(0, A) -> A;
loop(N, A) when is_float(A) -> loop(N - 1, -A).

loop_sum(0, A, S) -> {A, S};
loop_sum(N, A, S) when is_float(A), is_float(S) -> loop_sum(N - 1, -A, S + -A).

main() ->
    Z = ?MODULE:id(0.0),
    io:format("~p~n", [[negf(Z), neg(Z), negf(-Z), neg(neg(Z)), negf(1.5), negf(-2.5)]]),
    io:format("~p~n", [[loop(N, Z) || N <- [1, 2, 3001, 3002]]]),
    io:format("~p~n", [[loop(N, 1.0) || N <- [3001, 3002]]]),
    io:format("~p~n", [loop_sum(5001, Z, Z)]),
    io:format("~p~n", [loop_sum(5001, 0.5, 0.0)]),
    io:format("~p~n", [[float_to_list(negf(Z)), term_to_binary(negf(Z)), <<(negf(Z))/float>>]]),
    K = 0.0,
    io:format("~p~n", [negf(K)]).
