%% Calls without output: the exit status carries a checksum of the results.
-module(run_calls).
-export([main/0, twice/1]).

main() ->
    R = [fib(22),
         deep(1000000),
         len(rev(seq(1, 100000), []), 0),
         even(100001),
         ?MODULE:twice(21),
         apply(?MODULE, twice, [5]),
         erlang:apply(fun twice/1, [7]),
         (fun(X) -> X * 3 end)(4),
         adder(10, 5),
         (fun ?MODULE:twice/1)(8),
         tak(18, 12, 6),
         fold(fun(A, B) -> A + B end, 0, seq(1, 1000)),
         sum_tuple({1, 2, 3}, 3, 0),
         case make_ref_like() of {ok, V} -> V; _ -> 0 end],
    halt(check(R, 0)).

check([], Acc) -> Acc rem 251;
check([H | T], Acc) -> check(T, (Acc * 31 + H) rem 1000003).

fib(0) -> 0; fib(1) -> 1; fib(N) -> fib(N - 1) + fib(N - 2).
deep(0) -> 0; deep(N) -> 1 + deep(N - 1).
seq(N, M) when N > M -> []; seq(N, M) -> [N | seq(N + 1, M)].
rev([H | T], A) -> rev(T, [H | A]); rev([], A) -> A.
len([_ | T], N) -> len(T, N + 1); len([], N) -> N.
even(0) -> 1; even(N) -> odd(N - 1).
odd(0) -> 0; odd(N) -> even(N - 1).
twice(X) -> 2 * X.
adder(A, B) -> F = fun(X) -> X + A end, F(B).
tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.
fold(F, Acc, [H | T]) -> fold(F, F(H, Acc), T); fold(_, Acc, []) -> Acc.
sum_tuple(_, 0, Acc) -> Acc;
sum_tuple(T, N, Acc) -> sum_tuple(T, N - 1, Acc + element_of(T, N)).
element_of({A, _, _}, 1) -> A; element_of({_, B, _}, 2) -> B; element_of({_, _, C}, 3) -> C.
make_ref_like() -> {ok, 42}.
