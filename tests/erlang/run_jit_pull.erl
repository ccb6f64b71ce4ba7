%% Returns into frames on the process stack (session 22): an exit that
%% spends the slice pushes the frame buffer's frames to the process stack,
%% and a trace entry takes those of its return traces' shapes back into
%% the buffer, so the recursion's returns run on compiled. Their guards
%% fail on purpose: frames holding a float, a bignum or an atom where the
%% return trace was recorded with integers (a bignum sum, badarith), a
%% throw from deep inside caught outside, recursions deeper than the
%% buffer (their frames on the stack before any yield), and several
%% processes yielding mid-recursion.
-module(run_jit_pull).
-export([main/0]).

main() ->
    io:format("~p~n", [[tak(18, 12, 6) || _ <- lists:seq(1, 3)]]),
    io:format("~p~n", [[fib(N, 1) || N <- [0, 1, 2, 10, 20, 22]]]),
    io:format("~p~n", [[fib(21, K) || K <- [1, 2.5, 1 bsl 60, -7]]]),
    io:format("~p~n", [caught(fun() -> fib(21, a) end)]),
    io:format("~p~n", [[caught(fun() -> deep(N, N - 9000) end) || N <- [30000, 12000]] ++ [deep(20000, -1)]]),
    io:format("~p~n", [[lean(N) || N <- [0, 5, 3000, 40000]]]),
    io:format("~p~n", [[mixed(20, K) || K <- [3, 40000]]]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), work(K)} end) || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]).

caught(F) ->
    try F() catch C:R -> {C, R} end.

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.

%% K stays in the frames: a float, a bignum or an atom there reaches the
%% return traces (recorded on integers) from frames taken off the stack.
fib(N, K) when N < 2 -> N + K;
fib(N, K) -> fib(N - 1, K) + fib(N - 2, K).

%% A throw from the bottom of a deep recursion, after yields.
deep(0, _) -> 0;
deep(N, N) -> throw({at, N});
deep(N, M) -> 1 + deep(N - 1, M) + deep(0, M).

lean(0) -> 1;
lean(N) -> lean(N - 1) + lean(0).

%% The frames' values turn into bignums halfway up.
mixed(0, K) -> K;
mixed(N, K) -> mixed(N - 1, K * 3) + mixed(N div 4, K) + 1.

work(K) ->
    {K, tak(16 + K, 10, 4), fib(18 + K, K), lean(5000 * K), mixed(16, K)}.
