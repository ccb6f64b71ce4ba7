%% Multiplication by 2 and 3 in a trace, compiled as additions
%% (jit/src/backend/x86_64.rs, `arith`): the sums overflow exactly when
%% the products leave the small-integer range, positive or negative,
%% and the interpreter makes the bignum at the multiplication.
-module(run_jit_mul_small).
-export([main/0]).

-define(MAX, 576460752303423487). % the largest small integer, 2^59 - 1
-define(MIN, -576460752303423488).

main() ->
    io:format("~p~n", [tri(3000, 1, 0)]),
    io:format("~p~n", [tri(3000, -1, 0)]),
    io:format("~p~n", [dbl(3000, 1, 0)]),
    io:format("~p~n", [dbl(3000, -3, 0)]),
    %% Right at the edges of the small range.
    [io:format("~p~n", [{tri(4, X, 0), dbl(4, X, 0)}])
     || X <- [?MAX div 3, ?MAX div 3 + 1, ?MIN div 3, ?MIN div 3 - 1,
              ?MAX div 2, ?MAX div 2 + 1, ?MIN div 2, ?MIN div 2 - 1]],
    %% `3 * X + K` computed as `(X + K) + 2X`, overflowing at either
    %% addition, or only at the last.
    io:format("~p~n", [tri_add(3000, 1, 0)]),
    io:format("~p~n", [tri_add(3000, -2, 0)]),
    [io:format("~p~n", [tri_add(3, X, 0)])
     || X <- [?MAX div 3 - 2, ?MAX div 3 - 1, ?MAX div 3, ?MIN div 3 + 1, ?MIN div 3,
              ?MIN div 3 - 1, ?MAX - 5, ?MIN + 3]],
    %% The product kept while another value is multiplied.
    io:format("~p~n", [both(5000, 7, 0)]),
    io:format("~p~n", [both(5000, ?MAX div 4, 0)]).

%% X grows threefold until it wraps back to something small.
tri(0, X, Acc) -> {X, Acc};
tri(N, X, Acc) when X > ?MAX; X < ?MIN -> tri(N - 1, X rem 1000 + 1, Acc + 1);
tri(N, X, Acc) -> tri(N - 1, X * 3, Acc + (X band 7)).

dbl(0, X, Acc) -> {X, Acc};
dbl(N, X, Acc) when X > ?MAX; X < ?MIN -> dbl(N - 1, X rem 999 - 2, Acc + 1);
dbl(N, X, Acc) -> dbl(N - 1, 2 * X, Acc + (X band 3)).

tri_add(0, X, Acc) -> {X, Acc};
tri_add(N, X, Acc) when X > ?MAX; X < ?MIN -> tri_add(N - 1, X rem 1000 - 7, Acc + 1);
tri_add(N, X, Acc) -> tri_add(N - 1, 3 * X + 5, Acc + (X band 15)).

both(0, X, Acc) -> {X, Acc};
both(N, X, Acc) when X > ?MAX div 2 -> both(N - 1, X bsr 40, Acc + X * 3);
both(N, X, Acc) -> both(N - 1, X * 2 + N, Acc * 3 rem 1000003 + X).
