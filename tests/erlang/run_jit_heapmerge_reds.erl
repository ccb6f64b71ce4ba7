%% A loop calling a loop's trace whose last clause builds a pair after
%% `lists:reverse/1` and returns it, which the caller takes apart and
%% conses (bench_nbody's `velocities/3` and `pull/4`): the callee's
%% `return` counts a reduction between the pair's `test_heap` and the
%% cons's, and the caller's trace checks the heap once for both.
%% Collections fall between the two, the slice runs out at the return
%% (four processes), and the callee leaves early: a bignum, a float and
%% an atom halfway.
-module(run_jit_heapmerge_reds).
-export([main/0]).

main() ->
    L = lists:seq(1, 12),
    io:format("~p~n", [rounds(400, L, 3, 0)]),
    %% Four processes: slices end everywhere, the return's reduction too.
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), rounds(300, lists:seq(N, N + 9), N, 0)} end)
            || N <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    %% A bignum, a float and an atom halfway through the callee's list.
    Big = lists:sublist(L, 6) ++ [1 bsl 62] ++ lists:nthtail(6, L),
    io:format("~p~n", [outer(Big, 3, [])]),
    Float = lists:sublist(L, 4) ++ [2.5] ++ lists:nthtail(4, L),
    io:format("~p~n", [outer(Float, 3, [])]),
    Atom = lists:sublist(L, 8) ++ [x] ++ lists:nthtail(8, L),
    io:format("~p~n", [catch_all(fun() -> outer(Atom, 3, []) end)]),
    io:format("~p~n", [rounds(50, L, 5, 0)]),
    ok.

rounds(0, _, _, Sum) -> Sum;
rounds(N, L, K, Sum) ->
    Out = outer(L, K + N rem 3, []),
    rounds(N - 1, L, K, (Sum + checksum(Out, 0)) rem 1000000007).

checksum([], S) -> S;
checksum([B | T], S) -> checksum(T, (S * 31 + B) rem 1000000007).

outer([], _, Acc) -> lists:reverse(Acc);
outer([B | T], K, Acc) ->
    {B1, T1} = inner(B, T, K, []),
    outer(T1, K, [B1 | Acc]).

inner(B, [], _, Acc) -> {B, lists:reverse(Acc)};
inner(B, [X | T], K, Acc) -> inner(B + X * K, T, K, [X + K | Acc]).

catch_all(F) ->
    try F() catch C:R -> {C, R} end.
