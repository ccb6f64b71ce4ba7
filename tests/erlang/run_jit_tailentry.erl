%% Traces entered at a local tail call (`call_last`, `call_only`, and
%% `move` + `call_only` fused), as at a `call`: a function trace reached
%% last from its caller (bench_nbody's `advance/2` and its comprehension),
%% its outermost return leaving to the interpreted caller's continuation
%% with the frame dropped, and loop traces reached by a tail call from a
%% wrapper. Their guards fail on purpose: improper lists, non-numbers,
%% results overflowing into bignums, integers turning into floats, a throw
%% and an error deep inside, and several processes yielding midway.
-module(run_jit_tailentry).
-export([main/0]).

main() ->
    Bs = [{float(K), K * 0.25} || K <- lists:seq(1, 6)],
    io:format("~p~n", [lists:last(repeat(300, Bs))]),
    io:format("~p~n", [[lists:sum([X || {X, _} <- step([{float(I), 1.0} || I <- lists:seq(1, K)], 0.5)])
                         || K <- lists:seq(0, 12)]]),
    io:format("~p~n", [lists:sum([go(lists:seq(1, K rem 17)) || K <- lists:seq(1, 400)])]),
    io:format("~p~n", [[go(lists:seq(1, N)) || N <- [0, 1, 5, 30]]]),
    io:format("~p~n", [go([1 bsl 40, 1 bsl 59, 1 bsl 62, 7])]),
    io:format("~p~n", [go([3, 2.5, 1])]),
    io:format("~p~n", [lists:sum([count(K) || K <- lists:seq(1, 300)])]),
    io:format("~p~n", [[big(N) || N <- [5, 30, 40, 80]]]),
    io:format("~p~n", [[mix(L) || L <- [lists:seq(1, 500), lists:seq(1, 300) ++ [0.5 | lists:seq(1, 300)]]]]),
    io:format("~p~n", [[pair(K, K rem 7 + 250) || K <- [0, 10, 250, 1000]]]),
    io:format("~p~n", [[triple(x, K, K * 2) || K <- [0, 10, 250, 1000]]]),
    show(improper, fun() -> go([1, 2, 3 | x]) end),
    show(non_number, fun() -> go(lists:seq(1, 20) ++ [a, 3]) end),
    show(thrown, fun() -> catch find(lists:seq(1, 50) ++ [stop | lists:seq(1, 5)]) end),
    show(found_none, fun() -> find(lists:seq(1, 60)) end),
    show(bad_body, fun() -> step([{1.0, 2.0}, {3.0, x}], 0.5) end),
    show(bad_scale, fun() -> step([{1.0, 2.0}, {3.0, 4.0}], nope) end),
    show(overflow, fun() -> step([{1.0, 2.0}, {2.0, 1.0e300}], 1.0e300) end),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), work(K)} end) || K <- lists:seq(1, 4)],
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

repeat(0, Bs) -> [Bs];
repeat(N, Bs) -> repeat(N - 1, step(Bs, 0.01)).

%% A non-tail call, then the comprehension last (`call_last`).
step(Bs, D) ->
    Rs = lists:reverse(Bs),
    scale(Rs, D).

scale(Bs, D) -> [{X + D * Y, Y * 0.5 + D} || {X, Y} <- Bs].

%% `call_only` into a body recursion.
go(L) -> sumsq(L).

sumsq([]) -> 0;
sumsq([H | T]) -> H * H + sumsq(T).

find(L) -> upto(L).

upto([]) -> none;
upto([stop | _]) -> throw(found);
upto([H | T]) -> H + upto_n(upto(T)).

upto_n(none) -> 0;
upto_n(N) -> N.

%% Loops reached by a tail call.
count(N) -> cnt(N, 0).

cnt(0, A) -> A;
cnt(N, A) -> cnt(N - 1, A + N).

big(N) -> mul(N, 1).

mul(0, A) -> A;
mul(N, A) -> mul(N - 1, A * 3).

mix(L) -> addall(L, 0).

addall([], A) -> A;
addall([H | T], A) -> addall(T, A + H).

%% `swap` + `call_only`, and `move` + `call_only` (fused).
pair(N, M) -> cnt(M, N).

triple(_, N, A) -> cnt(N, A).

work(K) ->
    R = [go(lists:seq(1, 40 + K)) + count(500 + K) + big(K * 12) || _ <- lists:seq(1, 60)],
    {lists:sum(R), length(lists:last(repeat(200 + K, [{1.0, 2.0}, {float(K), 0.5}])))}.
