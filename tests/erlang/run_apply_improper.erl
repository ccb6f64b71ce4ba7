-module(run_apply_improper).
-export([main/0]).

%% apply/2,3 with an improper or non-list argument list: badarg whose
%% frame shows apply's own arguments.
main() ->
    F = fun(X) -> X end,
    Fun = fun(_, _) -> ok end,
    [t(fun() -> apply(lists, reverse, id(A)) end) || A <- [[[1], [2] | x], [[1] | x], x, [1, 2, 3 | []] ++ y]],
    [t(fun() -> apply(F, id(A)) end) || A <- [[1 | x], [1, 2 | 3], 7]],
    t(fun() -> apply(Fun, id([a, b | c])) end),
    t(fun() -> erlang:apply(id(lists), id(max), id([[1, 2] | z])) end),
    t(fun() -> apply(id(lists), id(seq), id([1, 3])) end),
    t(fun() -> apply(F, id([ok])) end).

t(G) ->
    R = try G() catch error:E:St -> {E, frame(hd(St))} end,
    io:format("~p~n", [R]).

frame({M, F, [Fun | Rest], _}) when is_function(Fun) -> {M, F, [fun_ | Rest]};
frame({M, F, A, Info}) -> {M, F, A, proplists:get_value(error_info, Info)}.

id(X) -> X.
