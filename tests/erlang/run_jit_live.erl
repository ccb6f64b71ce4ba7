%% Exits whose snapshots leave out the registers dead where they resume:
%% float registers a float block left behind once its results are moved
%% out, X registers the code writes again before reading them, those at
%% or above a heap check's or a call's live count. Guards fail on purpose
%% right after such points (a field that is an integer or no number, a
%% list ending improperly, a heap check at each collection, yields in
%% several processes); every register read after each exit must hold
%% BEAM's value.
-module(run_jit_live).
-export([main/0]).

main() ->
    Bs = [{float(I), I / 3, 1.0 / I, float(I rem 7), 2.0} || I <- lists:seq(1, 600)],
    io:format("~p~n", [sum(blocks(Bs, []))]),
    %% An integer now and then where the second block reads a float.
    Ints = [case I rem 11 of 0 -> {A, B, C, I, E}; _ -> X end
            || {I, {A, B, C, _, E} = X} <- lists:zip(lists:seq(1, 600), Bs)],
    io:format("~p~n", [sum(blocks(Ints, []))]),
    %% No number at all: badarith in the second block.
    io:format("~p~n", [catching(fun() -> blocks(Bs ++ [{1.0, 2.0, 3.0, x, 1.0}] ++ Bs, []) end)]),
    %% A non-float among the first block's operands, then an improper end.
    io:format("~p~n", [catching(fun() -> sum(blocks(Bs ++ [{1, 2.0, 3.0, 4.0, 5.0}] ++ Bs, [])) end)]),
    io:format("~p~n", [catching(fun() -> blocks(Bs ++ tail, []) end)]),
    io:format("~p~n", [wide(Bs, 0, [])]),
    io:format("~p~n", [wide(Ints, 0, [])]),
    io:format("~p~n", [catching(fun() -> wide(Bs ++ [{a, b, c, d, e}], 0, []) end)]),
    io:format("~p~n", [pairs(Bs, 0.25, [])]),
    io:format("~p~n", [pairs(Ints, 0.25, [])]),
    io:format("~p~n", [spawned(Bs, Ints)]).

%% Two float blocks as in bench_nbody's pull/4: the first block's
%% results go into a tuple (its float registers stale from then on), the
%% second reads a field that is now and then an integer or no number.
blocks([], Acc) -> Acc;
blocks([{A, B, C, D, E} | T], Acc) when is_float(A), is_float(B), is_float(C) ->
    P = A * B - C, Q = B * C + A, R = C * A - B,
    T1 = {P, Q, R},
    S = D * P + E, U = D * Q - E, V = (D + E) * R,
    blocks(T, [{T1, S, U, V} | Acc]);
blocks([{A, B, C, D, E} | T], Acc) ->
    blocks(T, [{A + B, C, D, E} | Acc]).

sum(L) -> lists:foldl(fun({{P, Q, R}, S, U, V}, Acc) -> Acc + P + Q + R + S + U + V;
                         ({W, C, D, E}, Acc) -> Acc + W + C + D + E end, 0.0, L).

%% Many values at once in X registers, most of them dead after the
%% tuple is built and the next heap check; the count overflows nothing
%% but tags each element.
wide([], N, Acc) -> {N, lists:sum([A + B + C + D || {A, B, C, D} <- Acc])};
wide([{A, B, C, D, E} | T], N, Acc) ->
    X = A + B, Y = B + C, Z = C + D, W = D + E,
    wide(T, N + 1, [{X, Y, Z, W - N} | Acc]).

%% A float kept across a call of math:sqrt/1 (every float register dead
%% at the call) and a guard after it on a field read from the list.
pairs([], K, Acc) -> {K, length(Acc), lists:sum(Acc)};
pairs([{A, B, _, D, _} | T], K, Acc) ->
    Q = A * A + B * B,
    R = math:sqrt(Q) * K,
    pairs(T, K, [R * D + Q | Acc]).

catching(F) ->
    try F() catch C:R -> {C, R} end.

spawned(Bs, Ints) ->
    Self = self(),
    Long = lists:append(lists:duplicate(2, Ints)),
    Pids = [spawn(fun() -> Self ! {self(), {sum(blocks(Long, [])), wide(Long, K, []),
                                             pairs(Bs, float(K), [])}} end)
            || K <- [1, 2, 3]],
    [receive {P, R} -> R end || P <- Pids].
