%% Return traces: a recursion's returns run compiled too. A function
%% trace leaves the frames of its recursive calls in its frame buffer;
%% the base case's side trace and the traces recorded at each recursive
%% call's continuation return into those frames, call the function again
%% and return further, so a whole recursion stays in machine code. Their
%% guards fail on purpose: results turn into bignums or floats halfway,
%% a base case gets something else, a throw and an error deep inside are
%% caught outside, recursion goes deeper than the frame buffer, frames
%% hold floats, trims drop Y registers between calls, and several
%% processes yield in the middle of their recursions.
-module(run_jit_returns).
-export([main/0]).

main() ->
    io:format("~p~n", [[fib(N) || N <- lists:seq(0, 22)]]),
    io:format("~p~n", [fib(25)]),
    io:format("~p~n", [[tak(X, Y, Z) || X <- [12, 18], Y <- [6, 12], Z <- [2, 6]]]),
    io:format("~p~n", [[check(make(D)) || D <- lists:seq(0, 12)]]),
    io:format("~p~n", [[depth(make(D)) || D <- [0, 3, 10]]]),
    %% Sums of three calls, an accumulator kept in the frame.
    io:format("~p~n", [[trib(N) || N <- lists:seq(0, 18)]]),
    io:format("~p~n", [[acc(N, N * 3) || N <- [0, 5, 17, 19]]]),
    %% A result that overflows into bignums halfway, and floats.
    io:format("~p~n", [[big(N) || N <- [10, 70, 90]]]),
    io:format("~p~n", [[fl(N) || N <- [0, 4, 15]]]),
    io:format("~p~n", [[fsum(N, 0.5) || N <- [0, 6, 16]]]),
    %% Deeper than the frame buffer holds.
    io:format("~p~n", [[lean(N) || N <- [10, 900, 5000, 40000]]]),
    %% Base cases that meet something else.
    show(atom_leaf, fun() -> check(graft(make(9), 77, {oops, nil})) end),
    show(bad_leaf, fun() -> check(graft(make(9), 300, {nil})) end),
    show(non_number, fun() -> fib(20) + fib(x) end),
    show(thrown, fun() -> catch thrower(18, 0) end),
    show(deep_error, fun() -> divs(16, 310) end),
    show(improper, fun() -> fib_list(lists:seq(1, 15) ++ [14 | done]) end),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), fib(21 + K) + tak(16, 10, K) + check(make(10 + K))} end)
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

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

fib_list([]) -> 0;
fib_list([N | T]) -> fib(N) + fib_list(T).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, _}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).

depth({nil, nil}) -> 0;
depth({L, R}) -> 1 + max(depth(L), depth(R)).

%% Replaces the K-th leaf (counting from the left) with New.
graft(T, K, New) -> element(1, graft(T, K, New, 1)).
graft({nil, nil}, K, New, K) -> {New, K + 1};
graft({nil, nil} = L, _, _, I) -> {L, I + 1};
graft({L, R}, K, New, I) ->
    {L1, I1} = graft(L, K, New, I),
    {R1, I2} = graft(R, K, New, I1),
    {{L1, R1}, I2}.

trib(N) when N < 3 -> N;
trib(N) -> trib(N - 1) + trib(N - 2) + trib(N - 3).

acc(0, A) -> A;
acc(N, A) -> acc(N - 1, A + 1) + acc(N div 2, A - N).

%% Triples each level: bignums past 37 levels.
big(0) -> 1;
big(N) -> big(N - 1) * 3 + fib(N rem 7).

fl(N) when N < 2 -> 1.5;
fl(N) -> fl(N - 1) * 0.5 + fl(N - 2).

%% A float kept in the frame across both calls.
fsum(0, X) -> X;
fsum(N, X) ->
    Y = X * 1.25,
    A = fsum(N - 1, Y / 2),
    B = fsum(N div 3, Y - 1.0),
    A + B + Y.

%% Recursion N deep on one side.
lean(0) -> 0;
lean(N) -> lean(N - 1) + lean(0) + 1.

thrower(N, _) when N < 1 -> 1;
thrower(2, 8) -> throw(found);
thrower(N, K) -> thrower(N - 1, K + 1) + thrower(N - 2, K - 2).

divs(N, _) when N < 1 -> 1;
divs(N, K) -> divs(N - 1, K - 1) + 1000 div (K - 300) + divs(N - 2, K).
