%% Calls whose callee's head test the caller runs (docs/RUNTIME.md,
%% "session 24"): tak's and fib's fused body and tail calls test the
%% callee's base case in their own dispatch, return from a callee that
%% returns at once without pushing a continuation, and enter one that
%% does not past its test. Small integers take that path; floats,
%% bignums and atoms in the compared or returned arguments take the
%% callee's own test, a `- 1` of a non-number raises from inside the
%% recursion (the stack trace's frames), and processes running the same
%% recursions yield in the middle of them (a head tested with one or two
%% reductions left takes the plain call).
-module(run_call_heads).
-export([main/0]).

main() ->
    io:format("~p~n", [[tak(18, 12, 6), tak(12, 8, 4), tak(3, 2, 1), tak(1, 2, 3)]]),
    io:format("~p~n", [[fib(N) || N <- [0, 1, 2, 10, 20]]]),
    %% The returned argument is no small integer: the head compares
    %% small integers and returns whatever the third argument is.
    io:format("~p~n", [[tak(3, 6, Z) || Z <- [1 bsl 70, 2.5, atom, "str", {t}]]]),
    io:format("~p~n", [[tak(10, 6, Z) || Z <- [2.5, -3.5, 4.0]]]),
    %% Compared arguments that are no small integers (tak of three
    %% numbers each shifted by B is B more than tak of the three).
    B = 1 bsl 60,
    io:format("~p~n", [[tak(9.5, 6, 3), tak(9, 4.5, 3), tak(B + 9, B + 6, B + 3)]]),
    io:format("~p~n", [[fib(N) || N <- [1.0, 7.0, -(1 bsl 65), 12.0]]]),
    io:format("~p~n", [fibs(2, 16)]),
    show(fun() -> tak(10, 6, a) end),
    show(fun() -> tak(10, b, 2) end),
    show(fun() -> fib(c) end),
    show(fun() -> fib([1]) end),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), [tak(18 - K, 12, 6 + K), fib(18 + K)]} end)
            || K <- lists:seq(0, 3)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(F) ->
    try F() of
        V -> io:format("value ~p~n", [V])
    catch
        C:R:S -> io:format("~p ~p ~p~n", [C, R, [{Fn, A} || {?MODULE, Fn, A, _} <- S]])
    end.

fibs(N, N) -> [];
fibs(K, N) -> [fib(K) | fibs(K + 1, N)].

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
