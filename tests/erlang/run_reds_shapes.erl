%% Reductions per call shape, as BEAM 25 charges them: one at each
%% function entry (local, external, tail, fun, apply) and one at each
%% `return` (fib(N) costs its calls and as many returns), none for a
%% guard BIF, one for a BIF called with `call_ext`, two for one called in
%% a tail position (its return). Each shape runs 300 times (so the JIT
%% compiles it, and the counts cross several time slices); printed is the
%% difference with an empty run per time, rounded (BEAM now and then
%% charges one reduction more for a whole run). The measured code
%% allocates nothing: BEAM also charges its garbage collections.
-module(run_reds_shapes).
-export([main/0, ext/1, ext_tail/1]).

main() ->
    Empty = reds(fun() -> ok end),
    F1 = fun(X) -> X end,
    M = ?MODULE,
    Runs = [{local_call_return, fun() -> lc(10) end},
            {tail_loop, fun() -> loop(10) end},
            {fib, fun() -> fib(12) end},
            {tak, fun() -> tak(12, 8, 4) end},
            {deep, fun() -> deep(40) end},
            {deep_acc, fun() -> deep_acc(40, 3) end},
            {ext_call, fun() -> ec(10) end},
            {ext_tail, fun() -> ext_tail(10) end},
            {guard_bif, fun() -> gb(10, {a, b}) end},
            {bif_call, fun() -> bc(10) end},
            {bif_tail, fun() -> bt(10) end},
            {fun_call, fun() -> fc(10, F1) end},
            {fun_tail, fun() -> ft(10, F1) end},
            {apply3, fun() -> ap(10, M) end},
            {apply2, fun() -> ap2(10, F1) end},
            {try_catch, fun() -> tc(10) end},
            {nested_loops, fun() -> outer(10, 0) end},
            {mutual, fun() -> even(30) end}],
    [io:format("~p ~p~n", [Name, round((reds(fun() -> times(300, F) end) - Empty) / 300)])
     || {Name, F} <- Runs].

reds(F) ->
    true = erlang:garbage_collect(),
    {reductions, R0} = process_info(self(), reductions),
    _ = F(),
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.

times(0, _) -> ok;
times(N, F) -> _ = F(), times(N - 1, F).

id(X) -> X.
ext(X) -> X.

lc(0) -> ok;
lc(N) -> _ = id(N), lc(N - 1).

loop(0) -> ok;
loop(N) -> loop(N - 1).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

deep(0) -> 0;
deep(N) -> 1 + deep(N - 1).

deep_acc(0, A) -> A;
deep_acc(N, A) -> A + deep_acc(N - 1, A) - 1.

ec(0) -> ok;
ec(N) -> _ = ?MODULE:ext(N), ec(N - 1).

ext_tail(0) -> ok;
ext_tail(N) -> ?MODULE:ext_tail(N - 1).

gb(0, _) -> ok;
gb(N, T) when element(1, T) =:= a -> gb(N - 1, T).

bc(0) -> ok;
bc(N) -> _ = erlang:phash2(N), bc(N - 1).

bt(0) -> ok;
bt(N) -> _ = hash(N), bt(N - 1).

hash(N) -> erlang:phash2(N).

fc(0, _) -> ok;
fc(N, F) -> _ = F(N), fc(N - 1, F).

ft(0, _) -> ok;
ft(N, F) -> _ = call(F, N), ft(N - 1, F).

call(F, N) -> F(N).

ap(0, _) -> ok;
ap(N, M) -> _ = apply(M, ext, [N]), ap(N - 1, M).

ap2(0, _) -> ok;
ap2(N, F) -> _ = apply(F, [N]), ap2(N - 1, F).

tc(0) -> ok;
tc(N) -> _ = (catch id(N)), _ = (try id(N) catch _:_ -> x end), tc(N - 1).

outer(0, A) -> A;
outer(N, A) -> outer(N - 1, A + inner(10, 0)).

inner(0, A) -> A;
inner(N, A) -> inner(N - 1, A + 1).

even(0) -> true;
even(N) -> odd(N - 1).

odd(0) -> false;
odd(N) -> even(N - 1).
