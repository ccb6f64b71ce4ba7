%% Side traces start with the registers and types their parent trace
%% holds at the exit (no reload, no type check). Their inherited values
%% then change type, overflow, or come from a guard that failed: each
%% exit must still hand the interpreter exactly its state.
-module(run_jit_side).
-export([main/0]).

main() ->
    %% The side path uses a value its parent compared unequal to 0: it
    %% inherits the constant 0.
    io:format("~p~n", [known(5000, 0)]),
    %% Integers inherited by the side path overflow into bignums there.
    io:format("~p~n", [big(3000, 1, 1)]),
    %% A float accumulator inherited unboxed, in the side path and in a
    %% side trace of the side trace.
    io:format("~p~n", [fl(6000, 0.5, 0)]),
    %% The inherited accumulator becomes a float in the side path, then
    %% an atom (badarith raised by the interpreter).
    io:format("~p~n", [turn(4000, 0)]),
    io:format("~p~n", [catch_error(fun() -> turn_bad(4000, 0) end)]),
    %% A list inherited by the side path, walked there.
    L = lists:seq(1, 4000),
    io:format("~p~n", [lists_side(L, 0, 0)]),
    %% Tuples inherited and read in the side path.
    io:format("~p~n", [tup(3000, {1, 2}, 0)]),
    %% Collatz from many starts (the side trace is hot in every call).
    io:format("~p~n", [lists:sum([steps(N, 0) || N <- lists:seq(1, 20000)])]),
    ok.

known(0, Acc) -> Acc;
known(N, Acc) ->
    M = N band 3,
    if
        M =/= 0 -> known(N - 1, Acc + M);
        true -> known(N - 1, Acc + M * 7 + 1)
    end.

big(0, A, B) -> {A, B};
big(N, A, B) when N band 1 =:= 0 -> big(N - 1, A + 1, B);
big(N, A, B) -> big(N - 1, A, B + B).

fl(0, F, K) -> {F, K};
fl(N, F, K) when N rem 3 =:= 0 -> fl(N - 1, F * 1.0001, K + 1);
fl(N, F, K) when N rem 3 =:= 1 -> fl(N - 1, F + 0.25, K);
fl(N, F, K) -> fl(N - 1, F - 0.125, K + 2).

turn(0, Acc) -> Acc;
turn(N, Acc) when N band 1 =:= 1 -> turn(N - 1, Acc + 1);
turn(N, Acc) when N > 2000 -> turn(N - 1, Acc + 2);
turn(N, Acc) -> turn(N - 1, Acc + 0.5).

turn_bad(0, Acc) -> Acc;
turn_bad(N, Acc) when N band 1 =:= 1 -> turn_bad(N - 1, Acc + 1);
turn_bad(1000, _) -> turn_bad(999, x);
turn_bad(N, Acc) -> turn_bad(N - 1, Acc + 2).

lists_side([], A, B) -> {A, B};
lists_side([H | T], A, B) when H rem 5 =/= 0 -> lists_side(T, A + H, B);
lists_side([H | T], A, B) -> lists_side(T, A, B + H * 2).

tup(0, _, Acc) -> Acc;
tup(N, T, Acc) when N rem 4 =:= 0 -> tup(N - 1, T, Acc + element(2, T));
tup(N, {A, B}, Acc) when N =:= 1500 -> tup(N - 1, {A, B * 1.5}, Acc);
tup(N, T, Acc) -> tup(N - 1, T, Acc + element(1, T)).

steps(1, S) -> S;
steps(N, S) when N band 1 =:= 0 -> steps(N bsr 1, S + 1);
steps(N, S) -> steps(3 * N + 1, S + 1).

catch_error(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.
