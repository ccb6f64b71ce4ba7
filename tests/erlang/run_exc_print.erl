-module(run_exc_print).
-export([main/0]).
-record(r, {a, b}).

main() ->
    P = fun(F) -> try F() of V -> {ok, V} catch C:R:S -> {C, R, top(S)} end end,
    io:format("~p~n", [P(fun() -> throw(x) end)]),
    io:format("~p~n", [P(fun() -> error(badarg) end)]),
    io:format("~p~n", [P(fun() -> exit(normal) end)]),
    io:format("~p~n", [P(fun() -> f(2) end)]),
    io:format("~p~n", [P(fun() -> atom_to_list(1) end)]),
    io:format("~p~n", [P(fun() -> 1 + list_to_atom("a") end)]),
    io:format("~p~n", [P(fun() -> element(5, {1}) end)]),
    io:format("~p~n", [P(fun() -> lists:nth(0, []) end)]),
    io:format("~p~n", [P(fun() -> R = #r{a = 1}, R#r.b end)]),
    io:format("~p~n", [P(fun() -> X = id(#r{}), X#r{a = 2} end)]),
    io:format("~p~n", [P(fun() -> (id(foo))#r.a end)]),
    io:format("~p~n", [P(fun() -> erlang:raise(error, reraised, [{m, f, 1, []}]) end)]),
    io:format("~p~n", [top_of(catch error(in_catch))]),
    io:format("~p~n", [catch throw(in_catch)]),
    io:format("~p~n", [catch exit(in_catch)]),
    io:format("~p~n", [P(fun() -> try error(a) after io:format("after~n") end end)]),
    io:format("~p~n", [P(fun() -> try throw(a) catch throw:a -> error(b) end end)]).

f(1) -> one.
id(X) -> X.
top_of({'EXIT', {R, S}}) -> {R, top(S)}.
top([{M, F, A, Loc} | _]) -> {M, F, A, Loc};
top(S) -> S.
