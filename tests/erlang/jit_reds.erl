%% Reductions compiled traces spend (tests/tests/reductions.rs): one per
%% call, as the interpreter and BEAM count them, also in traces whose
%% first iteration is peeled off the loop (an invariant tuple guard), in
%% function traces (body recursion) entered again and again, and in
%% recursions whose returns run compiled. Printed as the difference with
%% an empty run, after a collection (which BEAM charges in reductions).
-module(jit_reds).
-export([main/0]).

main() ->
    L = lists:seq(1, 10),
    C = {length(L) - 7, four},

    Empty = reds(fun() -> ok end),
    Runs = [{peeled_body_recursion, fun() -> s(L, C) end},
            {plain_body_recursion, fun() -> p(L) end},
            {peeled_loop, fun() -> l(10, C, 0) end},
            {fib, fun() -> fib(12) end},
            {tak, fun() -> tak(12, 8, 4) end},
            {tree, fun() -> check(make(6)) end}],
    [io:format("~p ~p~n", [Name, reds(fun() -> times(300, F) end) - Empty])
     || {Name, F} <- Runs].

reds(F) ->
    true = erlang:garbage_collect(),
    {reductions, R0} = process_info(self(), reductions),
    _ = F(),
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.

times(0, _) -> ok;
times(N, F) -> F(), times(N - 1, F).

s([H | T], C) -> H + element(1, C) + s(T, C);
s([], _) -> 0.

p([H | T]) -> H + p(T);
p([]) -> 0.

l(0, _, A) -> A;
l(N, C, A) -> l(N - 1, C, A + element(1, C)).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, _}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).
