%% Loops the JIT compiles that allocate on the process heap (put_list,
%% put_tuple2, boxed floats in tuples and lists): enough to trigger many
%% collections, which happen where the interpreter resumes after a trace's
%% heap check exits. Guards fail on purpose halfway.
-module(run_jit_alloc).
-export([main/0]).

main() ->
    %% A list built in a loop, long enough for many collections.
    L = build(100000, []),
    io:format("~p~n", [{length(L), lists:sum(L), lists:sublist(L, 5)}]),
    %% Tuples of floats built in a loop, kept in a list.
    T = tuples(20000, 0.5, []),
    io:format("~p~n", [{length(T), hd(T), lists:last(T)}]),
    %% Reversing and mapping: traversal and construction in one loop.
    io:format("~p~n", [lists:sum(double(lists:seq(1, 50000), []))]),
    %% A float accumulator kept in a tuple: the float is boxed in the loop.
    io:format("~p~n", [acc_tuple(30000, {0, 0.0})]),
    %% The element type changes halfway: integers, then floats, then a
    %% bignum.
    io:format("~p~n", [lists:sublist(mixed(3000, []), 1, 8)]),
    io:format("~p~n", [lists:sum(mixed(3000, []))]),
    %% An accumulator that changes from a list to a tuple halfway.
    io:format("~p~n", [shape(2000, [])]),
    %% Garbage only: the loop allocates and drops.
    io:format("~p~n", [churn(200000, 0)]),
    ok.

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).

tuples(0, _, Acc) -> Acc;
tuples(N, F, Acc) -> tuples(N - 1, F * 1.0001, [{N, F, F + 1.0} | Acc]).

double([], Acc) -> Acc;
double([H | T], Acc) -> double(T, [H * 2 | Acc]).

acc_tuple(0, Acc) -> Acc;
acc_tuple(N, {C, S}) -> acc_tuple(N - 1, {C + 1, S + N * 0.5}).

mixed(0, Acc) -> Acc;
mixed(N, Acc) when N > 2000 -> mixed(N - 1, [N | Acc]);
mixed(N, Acc) when N > 1000 -> mixed(N - 1, [N / 4 | Acc]);
mixed(N, Acc) -> mixed(N - 1, [N bsl 58 | Acc]).

shape(0, Acc) -> Acc;
shape(N, Acc) when N =:= 1000 -> shape(N - 1, {Acc});
shape(N, Acc) when is_list(Acc) -> shape(N - 1, [N]);
shape(N, Acc) -> shape(N - 1, {N, element(1, Acc)}).

churn(0, C) -> C;
churn(N, C) ->
    T = {N, [N, N + 1], 2.5 * N},
    churn(N - 1, C + element(1, T)).
