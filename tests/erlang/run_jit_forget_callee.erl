%% A loop trace that calls another loop's trace, whose argument then
%% turns float: the callee's entry check fails inside the caller's
%% trace, and the callee's trace is forgotten there (session 24). Its
%% own anchor is the one unhooked (tests/tests/jit_forget.rs reads
%% `--jit-stats`); the caller's, whose code goes into the forgotten
%% trace, is unhooked too.
-module(run_jit_forget_callee).
-export([main/0]).

main() ->
    Ints = lists:seq(1, 3000),
    Floats = [float(I) || I <- Ints],
    R1 = [outer(Ints, 0) || _ <- lists:seq(1, 5)],
    R2 = [outer(Floats, 0) || _ <- lists:seq(1, 40)],
    Mixed = [outer([1, 2.5, 3 | Ints], 0) || _ <- lists:seq(1, 3)],
    io:format("~p~n", [{lists:sum(R1), lists:sum(R2), Mixed}]).

outer([X | Xs], N) ->
    _ = inner(X, 20, 0),
    outer(Xs, N + 1);
outer([], N) ->
    N.

inner(_, 0, Acc) -> Acc;
inner(X, K, Acc) -> inner(X, K - 1, Acc + X).
