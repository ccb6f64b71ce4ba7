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
    %% Several processes, each yielding inside the converted loop.
    Self = self(),
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
