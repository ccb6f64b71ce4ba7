-module(run_stack_dups).
-export([main/0]).

%% Stack traces skip a continuation pointer equal to the one recorded
%% before it, as BEAM does: recursion shows as one frame per return
%% address, not one per call.
main() ->
    show(fun() -> [f(X) || X <- [1, 2, 3, 4, 5]] end),
    show(fun() -> deep(20) end),
    show(fun() -> ping(7) end),
    show(fun() -> wrap(3) end),
    show(fun() -> lists:map(fun(X) -> f(X) end, [1, 2, 5]) end),
    show(fun() -> sum([1, 2, 3, a, 4]) end),
    show(fun() -> [Y || X <- [1, 2], Y <- [X, 5], f(Y) > 0] end).

show(F) ->
    try F() of
        V -> io:format("value ~p~n", [V])
    catch
        C:R:S ->
            Mine = [{Fn, A, proplists:get_value(line, L)}
                    || {M, Fn, A, L} <- S, M =:= ?MODULE],
            io:format("~p ~p ~p~n", [C, R, Mine])
    end.

f(5) -> error(boom);
f(X) -> X.

deep(0) -> throw(bottom);
deep(N) -> 1 + deep(N - 1).

ping(0) -> exit(done);
ping(N) -> 1 + pong(N - 1).

pong(N) -> 2 * ping(N).

wrap(0) -> error(inner);
wrap(N) ->
    try 1 + wrap(N - 1)
    catch error:inner when N < 2 -> error(outer)
    end.

sum([]) -> 0;
sum([H | T]) -> H + sum(T).
