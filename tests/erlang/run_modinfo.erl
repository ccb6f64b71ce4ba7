-module(run_modinfo).
-export([main/0, f/1]).
-vsn(42).

main() ->
    io:format("~p~n", [?MODULE:module_info(module)]),
    io:format("~p~n", [lists:sort(?MODULE:module_info(exports))]),
    io:format("~p~n", [proplists:get_value(vsn, module_info(attributes))]),
    io:format("~p~n", [[K || {K, _} <- module_info()]]),
    io:format("~p~n", [[erlang:function_exported(?MODULE, F, A) || {F, A} <- [{f, 1}, {g, 0}, {main, 0}]]]),
    io:format("~p~n", [erlang:function_exported(lists, reverse, 1)]),
    io:format("~p~n", [erlang:is_builtin(erlang, length, 1)]),
    F = erlang:make_fun(?MODULE, f, 1),
    io:format("~p ~p~n", [F(2), erlang:fun_info(F, type)]),
    io:format("~p~n", [erlang:fun_info(fun(X) -> X end, arity)]),
    io:format("~p~n", [erlang:module_loaded(?MODULE)]),
    io:format("~p~n", [apply(lists, seq, [1, 3])]).

f(X) -> X * 10.
