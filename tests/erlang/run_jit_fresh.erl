%% A loop calling a compiled inner loop whose last clause returns a pair
%% that the caller takes apart at once (as bench_nbody's velocities/3
%% and pull/4): the caller's trace reads the pair it built itself without
%% guards or loads. The pair must still be whole where the trace leaves
%% (a heap check, a yield, the caller's guard failing right after), and
%% the values read must be the ones stored.
-module(run_jit_fresh).
-export([main/0]).

main() ->
    Ls = [lists:seq(I, I + 4) || I <- lists:seq(1, 2000)],
    io:format("~p~n", [lists:sum(outer(Ls, []))]),
    %% A float sum: the caller's arithmetic on S changes type.
    io:format("~p~n", [lists:sum(outer(Ls ++ [[1.5, 2.5]] ++ Ls, []))]),
    %% An empty list: R is [] and hd/1 fails in the caller.
    io:format("~p~n", [try outer(Ls ++ [[]] ++ Ls, []) catch error:E -> E end]),
    %% A sum past the small integers.
    io:format("~p~n", [lists:sum(outer(Ls ++ [[1 bsl 59, 1 bsl 59]] ++ Ls, []))]),
    %% Pairs of floats boxed in the inner loop's end and read back.
    io:format("~p~n", [fsum(Ls, 0.0)]),
    io:format("~p~n", [spawned(Ls)]).

outer([], Acc) -> Acc;
outer([L | Ls], Acc) ->
    {S, R} = inner(L, 0, []),
    outer(Ls, [S + hd(R) | Acc]).

inner([], S, Acc) -> {S, lists:reverse(Acc)};
inner([X | T], S, Acc) -> inner(T, S + X, [X * 2 | Acc]).

fsum([], F) -> F;
fsum([L | Ls], F) ->
    {A, B} = finner(L, 0.0, 1.0),
    fsum(Ls, F + A / B).

finner([], A, B) -> {A * 0.5, B + 1.0};
finner([X | T], A, B) -> finner(T, A + X, B * 1.01).

%% Several processes at once, yielding inside both loops.
spawned(Ls) ->
    Self = self(),
    Ps = [spawn(fun() -> Self ! {self(), lists:sum(outer(lists:append(lists:duplicate(K, Ls)), []))} end)
          || K <- [1, 2, 3]],
    [receive {P, R} -> R end || P <- Ps].
