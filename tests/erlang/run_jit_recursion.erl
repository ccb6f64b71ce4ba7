%% Function traces of non-tail recursion: a function that calls itself
%% with a frame live (list comprehensions, body-recursive sums and maps)
%% is traced from its entry to the recursive call, and each iteration's
%% frame stays in the trace's frame buffer; every exit has the
%% interpreter push those frames, each with its continuation, so the
%% returns run as if the interpreter had made every call. The guards then
%% fail on purpose: the list ends improperly, an element is no number or
%% the wrong tuple, an error and a throw deep inside, recursion deeper
%% than the frame buffer holds (frames of no, one and many Y registers),
%% floats kept in Y registers, shallow recursion whose trace is given up,
%% and several processes yielding in the middle of their recursions.
-module(run_jit_recursion).
-export([main/0]).

main() ->
    Bs = bodies(6),
    io:format("~p~n", [steps(400, Bs)]),
    io:format("~p~n", [[len(lists:seq(1, N)) || N <- [0, 1, 5, 300, 5000]]]),
    io:format("~p~n", [[sum(lists:seq(1, N)) || N <- [0, 3, 400, 20000]]]),
    io:format("~p~n", [lists:sum(scale(lists:seq(1, 30000), 3))]),
    %% Integers, then floats, then bignums through the same trace.
    io:format("~p~n", [sum([1, 2.5, 3 | lists:seq(1, 500)] ++ [1 bsl 70, 2.0])]),
    io:format("~p~n", [[sum(L) || L <- [lists:seq(1, 300), [0.5 | lists:seq(1, 300)]]]]),
    show(improper, fun() -> sum(lists:seq(1, 600) ++ [1 | done]) end),
    show(not_number, fun() -> sum(lists:seq(1, 600) ++ [x, 1, 2]) end),
    show(short_body, fun() -> moved(Bs ++ [{1.0, 2.0}], 0.5) end),
    show(int_body, fun() -> moved(lists:droplast(Bs) ++ [{1, 2.0, 3.0, 4, 7} | Bs], 0.5) end),
    show(bad_body, fun() -> moved(Bs ++ [{1.0, 2.0, 3.0, foo, 9} | Bs], 0.5) end),
    show(thrown, fun() -> catch thrower(lists:seq(1, 900)) end),
    show(deep_error, fun() -> divs(lists:seq(1, 700) ++ [0 | lists:seq(1, 50)]) end),
    io:format("~p~n", [fib(22)]),
    io:format("~p~n", [[tak(18, 12, 6), tak(12, 8, 4)]]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), sum(lists:seq(1, 30000 + K)) + len(lists:seq(1, K * 7000))} end)
            || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(Name, F) ->
    try F() of
        V -> io:format("~p: ~p~n", [Name, V])
    catch
        C:R:St ->
            Here = [{F1, A} || {?MODULE, F1, A, _} <- St],
            io:format("~p: ~p ~p ~p~n", [Name, C, R, Here])
    end.

bodies(N) ->
    [{float(K) * 1.5, float(K) * 0.25, float(K), float(K) * 0.1, K} || K <- lists:seq(1, N)].

steps(0, Bs) -> [{trunc(X * 1000), trunc(V * 1000), K} || {X, _, _, V, K} <- Bs];
steps(N, Bs) -> steps(N - 1, moved(Bs, 0.01)).

%% A comprehension keeping three floats and two terms in Y registers
%% across its recursive call.
moved(Bs, Dt) ->
    [{X + Dt * V, Y + Dt * V, Z - Dt * V, V * 0.999, K} || {X, Y, Z, V, K} <- Bs].

%% A frame of no Y registers.
len([]) -> 0;
len([_ | T]) -> 1 + len(T).

%% A frame of one Y register.
sum([]) -> 0;
sum([H | T]) -> H + sum(T).

scale([], _) -> [];
scale([H | T], K) -> [H * K | scale(T, K)].

thrower([]) -> [];
thrower([500 | _]) -> throw(found);
thrower([H | T]) -> [H | thrower(T)].

divs([]) -> [];
divs([H | T]) -> [100 div H | divs(T)].

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.
