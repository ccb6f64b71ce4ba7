%% Loops the JIT compiles whose guards fail on purpose halfway: the trace
%% must leave through its snapshots and the interpreter must go on exactly
%% as if it had run every iteration itself.
-module(run_jit_guards).
-export([main/0]).

main() ->
    %% Small integers overflow into bignums after about 512 iterations.
    io:format("~p~n", [grow(1000, 0)]),
    %% Doubling: overflows after 59 iterations, then the loop runs on
    %% bignums (the trace's entry guard fails every time).
    io:format("~p~n", [double(300, 1)]),
    %% The accumulator becomes a float halfway.
    io:format("~p~n", [mixed(1000, 0)]),
    %% A branch the trace did not record is taken from iteration 500 on.
    io:format("~p~n", [branch(1000, 0, 0)]),
    %% A loop-carried value turns into an atom: badarith from inside.
    io:format("~p~n", [catch_badarith(1000)]),
    %% Negative numbers, band/bor/bxor/bsl/bsr and multiplication.
    io:format("~p~n", [bits(2000, 1, 0)]),
    %% Counting up with a comparison guard, ending on the exit.
    io:format("~p~n", [up(0, 5000, 0)]),
    %% Many loops, each hot only a little.
    io:format("~p~n", [[grow(N, N) || N <- lists:seq(1, 300, 7)]]),
    %% Multiplication overflowing into bignums.
    io:format("~p~n", [fact(40, 1)]),
    %% Both parities in turn: the second path becomes a side trace.
    io:format("~p~n", [[collatz(N, 0) || N <- lists:seq(1, 3000, 37)]]),
    %% A side trace whose own guards fail: overflow in the side path,
    %% bignums and back.
    io:format("~p~n", [alt(5000, 1)]),
    %% List traversal: sums, lengths, a float halfway through, a list that
    %% is improper at its end (function_clause from the interpreter).
    L = lists:seq(1, 3000),
    io:format("~p~n", [{lsum(L, 0), llen(L, 0), lsum(L ++ [2.5] ++ L, 0)}]),
    io:format("~p~n", [lsum(lists:duplicate(2000, 1 bsl 58), 0)]),
    io:format("~p~n", [catch_error(fun() -> llen(L ++ improper, 0) end)]),
    io:format("~p~n", [catch_error(fun() -> lsum(L ++ [x], 0) end)]),
    %% Tuples: matched in the head of a loop, with elements that change
    %% type, and one of another arity (function_clause).
    io:format("~p~n", [[tsum(3000, T, 0) || T <- [{3, 1}, {1.5, 1}, {1 bsl 58, -1}]]]),
    io:format("~p~n", [catch_error(fun() -> tsum(3000, {1, 2, 3}, 0) end)]),
    io:format("~p~n", [catch_error(fun() -> pairs(lists:duplicate(500, {1, 2}) ++ [{3}], 0) end)]),
    ok.

grow(0, Acc) -> Acc;
grow(N, Acc) -> grow(N - 1, Acc + (1 bsl 50)).

double(0, Acc) -> Acc;
double(N, Acc) -> double(N - 1, Acc + Acc + 1).

mixed(0, Acc) -> Acc;
mixed(N, Acc) when N =:= 500 -> mixed(N - 1, Acc + 0.5);
mixed(N, Acc) -> mixed(N - 1, Acc + N).

branch(0, A, B) -> {A, B};
branch(N, A, B) when N > 500 -> branch(N - 1, A + 1, B);
branch(N, A, B) -> branch(N - 1, A, B + 2).

catch_badarith(N) ->
    try bad(N, 0, 1) of
        V -> {ok, V}
    catch
        error:R -> {error, R}
    end.

bad(0, Acc, _) -> Acc;
bad(N, Acc, _) when N =:= 300 -> bad(N - 1, Acc, x);
bad(N, Acc, S) -> bad(N - 1, Acc + S, S).

bits(0, X, Acc) -> {X, Acc};
bits(N, X, Acc) ->
    Y = ((X * 3) bxor (N bsl 3)) band 16#FFFFF,
    Z = (Y bsr 2) bor (N band 7),
    bits(N - 1, Y - 500000, Acc + Z - N * 2).

up(I, Max, Acc) when I < Max -> up(I + 1, Max, Acc + I);
up(_, _, Acc) -> Acc.

fact(0, Acc) -> Acc;
fact(N, Acc) -> fact(N - 1, Acc * N).

collatz(1, S) -> S;
collatz(N, S) when N band 1 =:= 0 -> collatz(N bsr 1, S + 1);
collatz(N, S) -> collatz(3 * N + 1, S + 1).

alt(0, X) -> X;
alt(N, X) when N band 1 =:= 0 -> alt(N - 1, (X band 16#FFFFFFFFFFFFFFF) * 3);
alt(N, X) -> alt(N - 1, X + 16#7FFFFFFFFFFFFF).

lsum([], Acc) -> Acc;
lsum([H | T], Acc) -> lsum(T, Acc + H).

llen([], N) -> N;
llen([_ | T], N) -> llen(T, N + 1).

catch_error(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:R -> {error, R}
    end.

tsum(0, _, Acc) -> Acc;
tsum(N, {A, B} = T, Acc) -> tsum(N - 1, T, Acc + A - B).

pairs([], Acc) -> Acc;
pairs([{A, B} | T], Acc) -> pairs(T, Acc + A * B).
