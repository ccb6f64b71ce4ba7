-module(run_raise3_args).
-export([main/0]).

%% erlang:raise/3 with a bad class or stack trace returns badarg (it does
%% not raise); {M, F, Args} and {Fun, Args} frames get an empty location.
main() ->
    F = fun lists:reverse/1,
    G = fun(X) -> X end,
    Traces = [[], bad, [{m, f, 1, []}, bad_frame], [{m, f, 1, []} | tl], [{m, f, 1}],
              [{F, [1]}], [{G, [1]}], [{F, [1], [{line, 3}]}], [{F, [1], bad}],
              [{m, f, 1, bad}], [{m, f, 1, [{a, b} | c]}], [{"m", f, 1, []}], [{m, f, x, []}],
              [{m, f, x}], [{1, 2}], [{F, [1], [], x}], [{m, f, 1, [], x}], [{}],
              [{m, f, 1}, {m, g, 2, [{line, 7}]}], [{m, "f", 1}], [{F, [1]} | F]],
    [out(r(C, x, S)) || C <- [error, exit, throw, foo, "error"], S <- Traces],
    out(catch erlang:raise(throw, caught, [{m, f, 0}])),
    out(catch erlang:raise(exit, caught, [{m, f, 0}])),
    out(apply(erlang, raise, [bad, x, []])).

r(C, R, S) ->
    try erlang:raise(C, R, S) of V -> {returned, V}
    catch C1:E1:S1 -> {C1, E1, [frame(Fr) || Fr <- S1]}
    end.

%% Funs print differently between runs of the compiler: show their arity.
frame({Fun, A, L}) when is_function(Fun) -> {fun_arity, element(2, erlang:fun_info(Fun, arity)), A, L};
frame(Fr) -> Fr.

out(V) -> io:format("~p~n", [V]).
