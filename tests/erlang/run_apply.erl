-module(run_apply).
-export([main/0, two/2]).

main() ->
    T = fun(F) -> try F() of V -> {ok, V} catch C:R:S -> {C, R, first(S)} end end,
    io:format("~p~n", [T(fun() -> apply(?MODULE, two, [1, 2]) end)]),
    io:format("~p~n", [T(fun() -> apply(id(1), f, []) end)]),
    io:format("~p~n", [T(fun() -> apply(?MODULE, two, [1]) end)]),
    io:format("~p~n", [T(fun() -> apply(fun(X) -> X end, [1, 2]) end)]),
    io:format("~p~n", [T(fun() -> apply(nomod, f, [x]) end)]),
    io:format("~p~n", [T(fun() -> M = id(lists), M:reverse([1, 2]) end)]),
    io:format("~p~n", [T(fun() -> F = id(reverse), lists:F([3, 4]) end)]),
    io:format("~p~n", [T(fun() -> (fun ?MODULE:two/2)(5, 6) end)]),
    io:format("~p~n", [T(fun() -> erlang:error(my, [a, b]) end)]),
    io:format("~p~n", [T(fun() -> throw({deep, [1]}) end)]),
    io:format("~p~n", [T(fun() -> exit({shutdown, x}) end)]).

id(X) -> X.
two(A, B) -> {A, B}.
first([]) -> none;
first([{M, F, A, _} | _]) -> {M, F, A}.
