%% Loops calling body-recursive functions compiled as function traces
%% with return traces: the loop's trace calls the function trace, whose
%% frames go above the loop's frame and trailer in the frame buffer, and
%% goes on when its last return comes back to the loop (the trailer is
%% no return site's key). Then guards fail on purpose mid-recursion: the
%% recursion goes deeper than the frame buffer, throws and raises deep
%% inside (the stack trace with every frame as BEAM has it), meets floats
%% and bignums, returns other types than the loop expects; the loop keeps
%% a float in its frame across the calls; several processes collect and
%% yield inside the recursions.
-module(run_jit_call_rec).
-export([main/0]).

main() ->
    %% Trees built and checked per iteration (binary_trees' iter/3).
    io:format("~p~n", [iter(6, 300, 0)]),
    %% fib of small numbers, a float now and then.
    io:format("~p~n", [fibs(600, 0, none)]),
    io:format("~p~n", [fibs(600, 0, {float, 7})]),
    %% A bignum deep inside one recursion.
    io:format("~p~n", [sums(500, 0, {big, 200})]),
    %% One recursion deeper than the frame buffer.
    io:format("~p~n", [sums(500, 0, {deep, 300})]),
    %% An atom deep inside: badarith with the frames below, caught
    %% outside the loop; a list ending improperly (function_clause).
    show(atom, fun() -> sums(500, 0, {atom, 250}) end),
    show(improper, fun() -> sums(500, 0, {improper, 250}) end),
    %% A float deep inside: the recursion's guards fail mid-way, and it
    %% returns a float where the loop's `rem` wants an integer.
    show(float, fun() -> sums(500, 0, {float, 250}) end),
    %% A float in the loop's frame across the call.
    io:format("~p~n", [fsum(400, 0.5, 0)]),
    %% Several processes at once, collecting and yielding inside the
    %% recursions (long ones spend the slices there).
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), {iter(8, 40 + K, 0), sums(300, K, {deep, 100 + K})}} end)
            || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(Name, F) ->
    try F() of
        V -> io:format("~p: ~p~n", [Name, V])
    catch
        C:R:St ->
            Here = [{F1, A} || {?MODULE, F1, A, _} <- St],
            [{M0, F0, A0, _} | _] = St,
            io:format("~p: ~p ~p ~p ~p ~p~n", [Name, C, R, {M0, F0, A0}, length(Here),
                                                lists:sublist(Here, 4)])
    end.

iter(_, 0, Acc) -> Acc;
iter(D, I, Acc) -> iter(D, I - 1, Acc + check(make(D))).

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, _}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).

fibs(0, Acc, _) -> Acc;
fibs(N, Acc, Mode) ->
    X = case Mode of
        {float, K} when N rem 97 =:= 0 -> float(K);
        _ -> N rem 9 + 4
    end,
    fibs(N - 1, Acc + fib(X), Mode).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% Sums of lists, body-recursive; at iteration At of the loop, the list
%% has something else deep inside.
sums(N, Acc, Mode) ->
    sums(N, Acc, Mode, lists:seq(1, 25)).

sums(0, Acc, _, _) -> Acc;
sums(N, Acc, {Kind, At} = Mode, L0) ->
    L = if
        N =:= At -> odd(Kind);
        true -> L0
    end,
    sums(N - 1, (Acc + sum(L)) rem 1000000007, Mode, L0).

odd(big) -> lists:seq(1, 30) ++ [1 bsl 59 | lists:seq(1, 10)];
odd(deep) -> lists:seq(1, 3000);
odd(atom) -> lists:seq(1, 30) ++ [x | lists:seq(1, 10)];
odd(improper) -> lists:seq(1, 30) ++ [1, 2 | 3];
odd(float) -> lists:seq(1, 30) ++ [0.5 | lists:seq(1, 10)].

sum([H | T]) -> H + sum(T);
sum([]) -> 0.

%% The loop's float accumulator lives in its frame across the call.
fsum(N, F, Acc) ->
    fsum(N, F, Acc, lists:seq(1, 15)).

fsum(0, F, Acc, _) -> {round(F * 1000), Acc};
fsum(N, F, Acc, L) ->
    V = sum(L),
    fsum(N - 1, F * 0.75 + 0.25, Acc + V, L).
