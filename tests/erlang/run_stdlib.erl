-module(run_stdlib).
-export([main/0]).

main() ->
    io:format("~p~n", [lists:reverse(lists:seq(1, 10))]),
    io:format("~p~n", [lists:keyfind(b, 1, [{a, 1}, {b, 2}])]),
    io:format("~p~n", [lists:flatten([1, [2, [3, [4]]]])]),
    io:format("~p~n", [lists:zip([1, 2], [a, b])]),
    io:format("~p~n", [lists:sublist([1, 2, 3, 4], 2, 2)]),
    io:format("~p~n", [string:tokens("a,b,,c", ",")]),
    io:format("~p~n", [string:join(["x", "y"], "-")]),
    io:format("~p~n", [string:uppercase("hello")]),
    io:format("~p~n", [proplists:get_value(k, [{k, v}, {j, w}])]),
    io:format("~p~n", [orddict:to_list(orddict:store(b, 2, orddict:from_list([{a, 1}])))]),
    io:format("~p~n", [ordsets:union([1, 3], [2, 3])]),
    io:format("~p~n", [sets:to_list(sets:from_list([1, 1, 2]))]),
    io:format("~p~n", [dict:to_list(dict:store(k, v, dict:new()))]),
    T = gb_trees:insert(2, b, gb_trees:insert(1, a, gb_trees:empty())),
    io:format("~p~n", [gb_trees:to_list(T)]),
    io:format("~p~n", [gb_sets:to_list(gb_sets:from_list([3, 1, 2]))]),
    Q = queue:in(2, queue:in(1, queue:new())),
    io:format("~p~n", [queue:to_list(Q)]),
    io:format("~s~n", [io_lib:format("~p", [{nested, [1, 2]}])]),
    io:format("~p~n", [erl_scan:string("X = 1 + foo.")]),
    io:format("~p~n", [lists:sort([c, a, b])]),
    io:format("~p~n", [lists:sum(lists:seq(1, 1000))]).
