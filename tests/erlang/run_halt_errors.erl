-module(run_halt_errors).
-export([main/0]).

%% halt/1,2 with bad arguments raise badarg (nothing halts); halt/2's
%% options are checked first. halt/1 is Erlang code calling halt/2 in
%% BEAM: a tail call to it leaves no frame of its caller.
main() ->
    t(fun() -> h1(id(-1)) end),
    t(fun() -> h1_body(id(-1)) end),
    t(fun() -> h2(id(-1)) end),
    t(fun() -> halt(id(bad)) end),
    t(fun() -> halt(id(1.0)) end),
    t(fun() -> halt(id("abc" ++ [-1])) end),
    [t(fun() -> halt(id(S), id(O)) end)
     || S <- [1, -1, "msg", abort],
        O <- [bad, [{flush, x}], [x], [{flush, true} | x], [{flush, true}, {other, 1}]]],
    io:format("done~n"),
    halt(id(0), [{flush, false}, {flush, true}]).

h1(X) -> halt(X).
h1_body(X) -> halt(X), ok.
h2(X) -> erlang:halt(X, []).

t(F) ->
    R = try F() catch C:E:St -> {C, E, [{M, Fn, A} || {M, Fn, A, _} <- lists:sublist(St, 3)]} end,
    io:format("~p~n", [R]).

id(X) -> X.
