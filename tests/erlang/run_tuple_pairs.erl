%% Pairs built by `test_heap | put_tuple2` (the loader's TestHeapPutPair)
%% and tuples taken apart by two consecutive `get_tuple_element`s (its
%% GetPairXX): elements from X and Y registers and literals, the pair's
%% destination overwriting a source, the second element written over the
%% tuple's register, pairs across collections, and a deep tree.
-module(run_tuple_pairs).
-export([main/0]).

main() ->
    io:format("~w~n", [make(3)]),
    io:format("~w~n", [check(make(12))]),
    io:format("~w~n", [swap_all([{I, -I} || I <- lists:seq(1, 5)])]),
    io:format("~w~n", [middle({a, b, c, d})]),
    io:format("~w~n", [lists:foldl(fun step/2, {0, []}, lists:seq(1, 2000))]),
    io:format("~w~n", [zip_pairs(lists:seq(1, 6), [x, y, z, u, v, w])]),
    io:format("~w~n", [nested({{1, 2}, {3, {4, 5}}})]),
    ok.

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, _}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).

swap_all(Ps) -> [{B, A} || {A, B} <- Ps].

%% Elements 1 and 2 of a 4-tuple: consecutive gets not starting at 0.
middle(T) when tuple_size(T) =:= 4 ->
    {element(2, T), element(3, T)}.

%% The accumulator pair is rebuilt in every step: collections run while
%% the pairs are made.
step(I, {Sum, Acc}) when I rem 100 =:= 0 -> {Sum + I, [{I, Sum} | Acc]};
step(I, {Sum, Acc}) -> {Sum + I, Acc}.

zip_pairs([A | As], [B | Bs]) -> [{A, B} | zip_pairs(As, Bs)];
zip_pairs([], []) -> [].

nested({{A, B}, {C, {D, E}}}) -> {{E, D}, {C, {B, A}}}.
