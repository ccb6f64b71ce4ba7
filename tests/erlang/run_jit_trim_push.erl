%% Return traces of a binary_trees-like check/1: after its first call
%% the frame is trimmed (the word kept moved down to the frame's base)
%% and pushed again, the base case's side trace re-tests
%% the guard its parent's exit failed (folded away), and results come
%% back in registers of their own. Their guards fail on purpose: spines
%% deep enough to fill the frame buffer at that push (right and left),
%% leaves weighing a float, a bignum or an atom deep inside, a leaf of
%% the wrong shape, and returns into an empty buffer (the recursion's
%% end) from every depth.
-module(run_jit_trim_push).
-export([main/0]).

main() ->
    io:format("~p~n", [[check(make(D)) || D <- lists:seq(0, 10)]]),
    io:format("~p~n", [[{N, check(rspine(N)), check(lspine(N))}
                        || N <- [1, 10, 300, 341, 342, 343, 400, 1000, 3000]]]),
    io:format("~p~n", [[weigh(make_w(D, 2)) || D <- lists:seq(0, 8)]]),
    io:format("~p~n", [weigh(graft(make_w(9, 1), 300, {nil, 0.5}))]),
    io:format("~p~n", [weigh(graft(make_w(9, 1), 500, {nil, 1 bsl 70}))]),
    io:format("~p~n", [caught(fun() -> weigh(graft(make_w(9, 1), 200, {nil, heavy})) end)]),
    io:format("~p~n", [caught(fun() -> check(graft(make(9), 100, {nil})) end)]),
    io:format("~p~n", [caught(fun() -> check(graft(make(9), 400, {x, y, z})) end)]),
    io:format("~p~n", [[weigh(rspine_w(N)) || N <- [5, 500, 2000]]]),
    io:format("~p~n", [[check(make(D)) || D <- lists:seq(10, 0, -1)]]).

caught(F) ->
    try F() catch C:R -> {C, R} end.

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, _}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).

make_w(0, W) -> {nil, W};
make_w(D, W) -> {make_w(D - 1, W), make_w(D - 1, W + 1)}.

weigh({nil, W}) -> W;
weigh({L, R}) -> 1 + weigh(L) + weigh(R).

%% Trees going N deep along their right (left) edge.
rspine(0) -> {nil, nil};
rspine(N) -> {{nil, nil}, rspine(N - 1)}.

lspine(0) -> {nil, nil};
lspine(N) -> {lspine(N - 1), {nil, nil}}.

rspine_w(0) -> {nil, 1.5};
rspine_w(N) -> {{nil, N}, rspine_w(N - 1)}.

%% The tree with its K-th leaf (counting from the left) replaced by New.
graft(T, K, New) ->
    {T2, _} = graft1(T, K, New),
    T2.

graft1({nil, _}, 0, New) -> {New, -1};
graft1({nil, _} = Leaf, K, _) -> {Leaf, K - 1};
graft1({L, R}, K, New) ->
    {L2, K2} = graft1(L, K, New),
    case K2 < 0 of
        true -> {{L2, R}, K2};
        false ->
            {R2, K3} = graft1(R, K2, New),
            {{L2, R2}, K3}
    end.
