%% Loops whose two paths at a guard alternate unpredictably: the JIT runs
%% both paths in one branch-free loop and selects the next arguments
%% (if-conversion, jit/src/opt/ifconv.rs). Every exit of such a loop is
%% taken on purpose: the guard flipping both ways, overflow into bignums
%% on the path taken and on the path not taken (which must not exit), on
%% an operation both paths share, the loop's end, and reductions running
%% out in several processes at once.
-module(run_jit_ifconv).
-export([main/0]).

-define(MAX, 576460752303423487). % the largest small integer, 2^59 - 1

main() ->
    %% The parity flips at random: collatz from every start.
    io:format("~p~n", [lists:sum([steps(N, 0) || N <- lists:seq(1, 3000)])]),
    %% The count (on both paths) overflows halfway.
    io:format("~p~n", [[steps(N, ?MAX - 30) || N <- [27, 97, 871, 6171]]]),
    io:format("~p~n", [lists:sum([steps(N, ?MAX - 50) - ?MAX || N <- lists:seq(1, 500)])]),
    %% 3 * N + 1 (the odd path only) leaves the small range.
    io:format("~p~n", [[steps(?MAX div 3 - K, 0) || K <- [0, 1, 2, 5, 8]]]),
    io:format("~p~n", [steps(?MAX - 2, 0)]),
    %% A comparison of two values decides the path.
    io:format("~p~n", [balance(5000, 0, 0)]),
    io:format("~p~n", [balance(5000, ?MAX - 6000, ?MAX - 9000)]),
    io:format("~p~n", [balance(300, 1.5, 0)]),
    %% The multiplication overflows on the path not taken (A is large
    %% there) and, now and then, on the path taken too.
    io:format("~p~n", [wrap(20000, 7, 0)]),
    io:format("~p~n", [wrap(20000, ?MAX - 5, 0)]),
    io:format("~p~n", [wrap(20000, 123456789, 0)]),
    %% A value that is not an integer turns up in the middle.
    io:format("~p~n", [try balance(100, foo, 0) catch error:R -> R end]),
    %% Arguments swapped on one path, an atom on the other.
    io:format("~p~n", [sw(30000, 0, 1, none)]),
    io:format("~p~n", [sw(30000, ?MAX - 7000, ?MAX - 9000, none)]),
    io:format("~p~n", [sw(30001, ?MAX, -?MAX - 1, none)]),
    %% An inequality guard; the count overflows on the side path.
    io:format("~p~n", [ne(40000, 0, 0)]),
    io:format("~p~n", [ne(40000, 3, ?MAX - 20000)]),
    io:format("~p~n", [ne3(40000, 0, ?MAX - 30000)]),
    %% A list: the guard tests its head; the sums overflow on both paths.
    L = [(I * 7919) band 1023 || I <- lists:seq(1, 30000)],
    io:format("~p~n", [lw(L, 0, 0)]),
    io:format("~p~n", [lw(L, ?MAX - 5000000, ?MAX - 10000)]),
    io:format("~p~n", [lw([2, 4, 1, ?MAX, ?MAX - 1 | L], ?MAX - 2, 0)]),
    io:format("~p~n", [try lw(L ++ [x | L], 0, 0) catch error:R2 -> R2 end]),
    %% Several processes, each yielding inside the converted loops.
    Self = self(),
    Ws = [spawn(fun() -> Self ! {self(), {sw(N, ?MAX - N, 0, none), ne(N, 0, ?MAX - N),
                                          lw(L, ?MAX - N * 300, ?MAX - N)}} end)
          || N <- [20000, 20003, 30000]],
    io:format("~p~n", [[receive {P, S} -> S end || P <- Ws]]),
    Pids = [spawn(fun() -> Self ! {self(), run(N, 0)} end)
            || N <- [20000, 20001, 20002, 30000]],
    io:format("~p~n", [[receive {P, S} -> S end || P <- Pids]]).

steps(1, S) -> S;
steps(N, S) when N band 1 =:= 0 -> steps(N bsr 1, S + 1);
steps(N, S) -> steps(3 * N + 1, S + 1).

run(0, Acc) -> Acc;
run(N, Acc) -> run(N - 1, Acc + steps(N, 0)).

%% Whichever of A and B is smaller grows; both paths count down N.
balance(0, A, B) -> {A, B};
balance(N, A, B) when A < B -> balance(N - 1, A + 3, B);
balance(N, A, B) -> balance(N - 1, A, B + 5).

%% A large A shrinks; a small one is multiplied (overflowing into a
%% bignum now and then, when it is not that small), so the product on
%% the other path overflows whenever A is large.
wrap(0, A, Big) -> {A, Big};
wrap(N, A, Big) when A > 1000000000000 -> wrap(N - 1, A bsr 17, Big);
wrap(N, A, Big) -> wrap(N - 1, A * 1000003 + N, Big + A band 1).

%% Clause 2 swaps A and B; clause 3 (every fourth iteration) counts A up
%% and puts an atom in T.
sw(0, A, B, T) -> {A, B, T};
sw(N, A, B, T) when N band 3 =/= 2 -> sw(N - 1, B, A, T);
sw(N, A, B, _) -> sw(N - 1, A + 1, B, ok).

%% The side path runs when A is 7, about one iteration in 16 (ne/3) or
%% one in 4 (ne3/3).
ne(0, A, S) -> {A, S};
ne(N, A, S) when A =/= 7 -> ne(N - 1, (A + N) band 15, S);
ne(N, _, S) -> ne(N - 1, 0, S + 7).

ne3(0, A, S) -> {A, S};
ne3(N, A, S) when A =/= 3 -> ne3(N - 1, (A + N) band 3, S);
ne3(N, _, S) -> ne3(N - 1, 0, S + 7).

%% Even heads are summed, odd ones counted.
lw([], S, C) -> {S, C};
lw([H|T], S, C) when H band 1 =:= 0 -> lw(T, S + H, C);
lw([_|T], S, C) -> lw(T, S, C + 1).
