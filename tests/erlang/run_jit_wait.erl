%% Loops that call another loop before that one has a trace: the
%% caller's recordings abort ("call of a function without a trace")
%% without counting toward its blacklisting, so once the callee's loop
%% grows long enough to get a trace, the caller is recorded again and
%% calls it. Then guards fail on purpose on that path: the callee's
%% argument turns into a float or a bignum now and then (its entry
%% fails), the caller's sum overflows, and lists built on both sides
%% (collections in the middle under GC stress) must come out the same.
-module(run_jit_wait).
-export([main/0]).

main() ->
    io:format("~p~n", [outer(3000, 0)]),
    io:format("~p~n", [mixed(3000, 0)]),
    io:format("~p~n", [build(2500, [])]),
    %% The callee never gets a trace: the caller gives up, still right.
    io:format("~p~n", [never(5000, 0)]),
    ok.

%% The first 800 calls run no inner step, the rest up to twelve; every
%% 53rd starts the callee on a float (its trace's entry fails) and makes
%% the sum a float (the caller's add fails).
outer(0, Acc) -> Acc;
outer(N, Acc) ->
    K = if N > 2200 -> 0; true -> N rem 13 end,
    S = if N rem 53 =:= 0 -> N * 0.25; true -> N end,
    outer(N - 1, Acc + count(K, S)).

count(K, S) when K =< 0 -> S;
count(K, S) -> count(K - 1, S + K).

%% As outer/2, but the callee's start is a float every 37th call and a
%% bignum every 41st, and the sum overflows into bignums.
mixed(0, Acc) -> Acc;
mixed(N, Acc) ->
    K = if N > 2200 -> 0; true -> N rem 11 end,
    S = if
        N rem 37 =:= 0 -> N * 0.5;
        N rem 41 =:= 0 -> N * (1 bsl 62);
        true -> N * (1 bsl 40)
    end,
    mixed(N - 1, Acc + count(K, S)).

%% Lists built by the callee, kept by the caller.
build(0, Acc) -> {length(Acc), lists:sum(lists:append(Acc)), hd(Acc)};
build(N, Acc) ->
    L = if N > 1800 -> 0; true -> N rem 9 end,
    build(N - 1, [mk(L, [N]) | Acc]).

mk(K, T) when K =< 0 -> T;
mk(K, T) -> mk(K - 1, [K | T]).

%% The callee runs at most one step per call: no trace of its own.
never(0, Acc) -> Acc;
never(N, Acc) -> never(N - 1, Acc + one(N rem 2, N)).

one(K, S) when K =< 0 -> S;
one(K, S) -> one(K - 1, S * 3).
