%% A loop whose body calls another compiled loop (a nested loop): the
%% outer trace calls the inner one's trace and follows the callee's end
%% to its return. The inner loop then leaves elsewhere on purpose
%% (overflow into bignums, integers turning into floats, another clause
%% ending it, a throw, an error, yields), and the callee's end and the
%% caller's rest fail their guards: every exit must leave the caller's
%% frame and the call's continuation on the stack exactly as the
%% interpreter would have.
-module(run_jit_nested).
-export([main/0]).

main() ->
    %% Collatz: the plain case.
    io:format("~p~n", [run(3000, 0)]),
    %% The inner loop overflows into bignums for large starts.
    io:format("~p~n", [grow_all(400, 0)]),
    %% The inner loop's argument turns into a float now and then (its
    %% trace's entry fails), and the outer accumulator with it.
    io:format("~p~n", [mixed(600, 0)]),
    %% The inner loop ends through another clause now and then.
    io:format("~p~n", [ends(900, 0, 0)]),
    %% A throw and an error from inside the inner loop, caught outside.
    io:format("~p~n", [catch thrower(2000, 0)]),
    io:format("~p~n", [caught(fun() -> failer(2000, 0) end)]),
    %% The caller's rest fails: the callee's result is a bignum or a
    %% float the caller adds.
    io:format("~p~n", [after_big(300, 1)]),
    io:format("~p~n", [after_float(300, 0)]),
    %% A float kept in the caller's frame across the call.
    io:format("~p~n", [carry(800, 1.0)]),
    %% Long inner loops spend the reductions inside the callee.
    io:format("~p~n", [long(40, 0)]),
    %% Floats the caller keeps unboxed are boxed for the callee (a heap
    %% check at the call), and the callee's loop ends two ways.
    io:format("~p~n", [rows(59, 60, 0)]),
    %% Several processes at once, each yielding inside nested loops.
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), run(1500 + K, K)} end) || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

run(0, Acc) -> Acc;
run(N, Acc) -> run(N - 1, Acc + steps(N, 0)).

steps(1, S) -> S;
steps(N, S) when N band 1 =:= 0 -> steps(N bsr 1, S + 1);
steps(N, S) -> steps(3 * N + 1, S + 1).

grow_all(0, Acc) -> Acc;
grow_all(N, Acc) -> grow_all(N - 1, Acc + grow(N, 1) rem 1000003).

grow(0, P) -> P;
grow(K, P) -> grow(K - 1, P * 3 + K).

mixed(0, Acc) -> Acc;
mixed(N, Acc) ->
    Start = case N < 200 andalso N rem 23 =:= 0 of
        true -> N * 1.5;
        false -> N
    end,
    mixed(N - 1, Acc + count(Start, 0)).

count(X, C) when X < 1 -> C;
count(X, C) -> count(X - 3, C + 1).

ends(0, A, B) -> {A, B};
ends(N, A, B) ->
    case down(N, 0) of
        {neg, K} -> ends(N - 1, A + K, B);
        K -> ends(N - 1, A, B + K)
    end.

down(0, K) -> K;
down(N, K) when N < 0 -> {neg, K};
down(N, K) when N rem 89 =:= 0 -> down(N - 200, K + 1);
down(N, K) -> down(N - 2, K + 1).

thrower(0, Acc) -> Acc;
thrower(N, Acc) -> thrower(N - 1, Acc + tcount(N, 0)).

tcount(0, C) -> C;
tcount(7, C) when C =:= 300 -> throw({thrown, C});
tcount(X, C) -> tcount(X - 1, C + 1).

failer(0, Acc) -> Acc;
failer(N, Acc) -> failer(N - 1, Acc + fcount(N, 0)).

fcount(0, C) -> C;
fcount(X, C) when X =:= 311, C =:= 5 -> fcount(X - 1, C + foo);
fcount(X, C) -> fcount(X - 1, C + 1).

caught(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

after_big(0, Acc) -> Acc;
after_big(N, Acc) ->
    E = case N < 150 of
        true -> N rem 70;
        false -> N rem 50
    end,
    after_big(N - 1, Acc + pow(E, 1) rem 7919).

pow(0, P) -> P;
pow(K, P) -> pow(K - 1, P * 2).

after_float(0, Acc) -> Acc;
after_float(N, Acc) ->
    K = case N < 100 of
        true -> N + 100;
        false -> N rem 100
    end,
    after_float(N - 1, Acc + half(K, 0)).

half(0, S) -> S;
half(K, S) when K =:= 150 -> half(K - 1, S + 0.5);
half(K, S) -> half(K - 1, S + 1).

carry(0, F) -> F;
carry(N, F) ->
    K = tri(N, 0),
    carry(N - 1, F * 1.0001 + K / 1000).

tri(0, S) -> S;
tri(N, S) -> tri(N - 1, S + N).

long(0, Acc) -> Acc;
long(N, Acc) -> long(N - 1, Acc + count(300000 + N, 0)).

rows(-1, _, Acc) -> Acc;
rows(Y, N, Acc) ->
    rows(Y - 1, N, cols(N - 1, N, Y * 2.5 / N - 1.25, Acc)).

cols(-1, _, _, Acc) -> Acc;
cols(X, N, Im, Acc) ->
    Re = X * 3.0 / N - 2.0,
    cols(X - 1, N, Im, Acc + escape(Re, Im, 0.0, 0.0, 40)).

escape(_, _, A, B, _) when A * A + B * B > 4.0 -> 0;
escape(_, _, _, _, 0) -> 1;
escape(Re, Im, A, B, K) ->
    escape(Re, Im, A * A - B * B + Re, 2.0 * A * B + Im, K - 1).
