%% A loop ending in a tail call of lists:reverse/1 (bench_nbody's
%% velocities/3): the side trace of its last iteration reverses the
%% accumulator itself and leaves to the interpreter, which returns to the
%% loop's caller. Callers interpreted, a caller that is itself a compiled
%% loop (its trace calls the loop's), a body recursion whose base case
%% ends that way (frames below), accumulators that are not proper lists
%% (badarg from lists:reverse), lists longer than the heap's room, and
%% several processes yielding in between.
-module(run_jit_reverse_only).
-export([main/0]).

main() ->
    Ls = [lists:seq(1, K) || K <- lists:seq(0, 12)],
    io:format("~p~n", [[collect(L, []) || L <- Ls]]),
    io:format("~p~n", [repeat(400, lists:seq(1, 7), 0)]),
    Outer = outer(300, [1.5, 2, {t}, 1 bsl 70], []),
    io:format("~p~n", [{length(Outer), lists:usort(Outer)}]),
    io:format("~p~n", [[length(collect(lists:seq(1, N), [])) || N <- [3000, 20000, 5]]]),
    io:format("~p~n", [lists:sum(collect(lists:seq(1, 50000), []))]),
    io:format("~p~n", [[body(L, [x, y]) || L <- Ls]]),
    show(improper, fun() -> [collect(L, tail) || L <- Ls] end),
    show(improper_late, fun() -> [collect(L, if length(L) > 9 -> [a | b]; true -> [] end) || L <- Ls] end),
    show(not_a_number, fun() -> collect([1, 2, 3, x, 5], []) end),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), repeat(3000 + K, lists:seq(1, K + 3), K)} end)
            || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(Tag, F) ->
    io:format("~p ~p~n", [Tag, try F() catch C:R -> {C, R} end]).

collect([H | T], Acc) when is_tuple(H) -> collect(T, [H | Acc]);
collect([H | T], Acc) -> collect(T, [H * 2 | Acc]);
collect([], Acc) -> lists:reverse(Acc).

%% An interpreted caller: the loop's trace is entered at each call.
repeat(0, _, S) -> S;
repeat(N, L, S) -> repeat(N - 1, L, S + length(collect(L, [N]))).

%% A compiled caller: outer's trace calls collect's.
outer(0, _, Acc) -> lists:reverse(Acc);
outer(N, L, Acc) -> outer(N - 1, L, [collect(L, []) | Acc]).

%% A body recursion whose end reverses.
body([H | T], Acc) -> [H | body(T, Acc)];
body([], Acc) -> lists:reverse(Acc).
