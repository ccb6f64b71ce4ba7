-module(run_funs).
-export([main/0, add/2]).

main() ->
    F = fun(X) -> X * 2 end,
    Add = fun ?MODULE:add/2,
    N = 10,
    Closure = fun(X) -> X + N end,
    io:format("~p ~p ~p~n", [F(3), Add(1, 2), Closure(5)]),
    io:format("~p~n", [lists:map(F, [1, 2, 3])]),
    io:format("~p~n", [lists:foldl(fun(X, Acc) -> X + Acc end, 0, lists:seq(1, 100))]),
    io:format("~p~n", [lists:filter(fun(X) -> X rem 2 =:= 0 end, lists:seq(1, 10))]),
    io:format("~p~n", [[X * Y || X <- [1, 2, 3], Y <- [10, 20], X =/= 2]]),
    io:format("~p~n", [apply(fun(A, B) -> A - B end, [10, 3])]),
    io:format("~p~n", [erlang:fun_info(Add, arity)]),
    io:format("~p~n", [erlang:fun_info(F, arity)]),
    io:format("~p~n", [is_function(F, 1)]),
    io:format("~p~n", [try F(1, 2) catch C2:R2 -> {C2, element(1, R2)} end]),
    io:format("~p~n", [try (id(not_a_fun))(1) catch C:R -> {C, R} end]),
    Fix = fun Fact(0) -> 1; Fact(K) -> K * Fact(K - 1) end,
    io:format("~p~n", [Fix(20)]),
    Compose = fun(G, H) -> fun(X) -> G(H(X)) end end,
    io:format("~p~n", [(Compose(F, Closure))(1)]),
    io:format("~p~n", [lists:sort(fun(A, B) -> A > B end, [3, 1, 2])]).

add(A, B) -> A + B.
id(X) -> X.
