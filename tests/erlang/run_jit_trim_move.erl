%% Return traces whose `trim` keeps more than one word (tree3/2 keeps
%% two: its first two results), which move down to the frame's base, so
%% the frame stays one block in the buffer; and three-call recursions
%% whose results come back in a register (x0 is not written to memory
%% between traces). Their guards fail on purpose: weights that are
%% floats or overflow into bignums, chains deeper than the frame buffer
%% at the push after the trim, leaves of other types and shapes deep
%% inside, errors caught outside.
-module(run_jit_trim_move).
-export([main/0]).

main() ->
    io:format("~p~n", [[sum3(tree3(D, 1)) || D <- lists:seq(0, 7)]]),
    io:format("~p~n", [[mix(tree3(D, 2)) || D <- lists:seq(0, 7)]]),
    io:format("~p~n", [[fl(tree3(D, 3)) || D <- lists:seq(0, 6)]]),
    io:format("~p~n", [sum3(graft(tree3(6, 1), 200, {leaf, 1 bsl 62}))]),
    io:format("~p~n", [mix(graft(tree3(6, 1), 300, {leaf, 0.25}))]),
    io:format("~p~n", [fl(graft(tree3(5, 1), 100, {leaf, 7}))]),
    io:format("~p~n", [caught(fun() -> sum3(graft(tree3(6, 1), 150, {leaf, atom})) end)]),
    io:format("~p~n", [caught(fun() -> mix(graft(tree3(6, 1), 400, {leaf})) end)]),
    io:format("~p~n", [caught(fun() -> fl(graft(tree3(5, 1), 50, {node, x, y})) end)]),
    io:format("~p~n", [caught(fun() -> sum3(graft(tree3(6, 1), 250, boom)) end)]),
    io:format("~p~n", [[{N, sum3(spine(N)), mix(spine(N)), fl(spine(N))}
                        || N <- [1, 100, 300, 700, 2000]]]),
    io:format("~p~n", [[sum3(tree3(D, 1)) || D <- lists:seq(7, 0, -1)]]),
    io:format("~p~n", [[sum3(tree3(D, 0.5)) || D <- lists:seq(0, 5)]]),
    io:format("~p~n", [[sum3(tree3(D, (1 bsl 59) - 3)) || D <- lists:seq(0, 5)]]),
    io:format("~p~n", [[{D, size(lean3(D, 1)), sum3(lean3(D, 1))}
                        || D <- [1, 50, 200, 255, 256, 257, 300, 1000, 3000]]]),
    io:format("~p~n", [caught(fun() -> tree3(4, x) end)]),
    io:format("~p~n", [[trib(N, 0) || N <- lists:seq(0, 18)]]),
    io:format("~p~n", [[trib(N, B) || B <- [0.5, (1 bsl 59) - 1, -(1 bsl 59)], N <- [3, 10, 16]]]),
    io:format("~p~n", [caught(fun() -> trib(12, atom) end)]),
    io:format("~p~n", [[tree3(D, 1) =:= tree3(D, 1) || D <- lists:seq(0, 6)]]).

caught(F) ->
    try F() catch C:R -> {C, R} end.

tree3(0, W) -> {leaf, W};
tree3(D, W) -> {node, tree3(D - 1, W), tree3(D - 1, W + 1), tree3(D - 1, W + 2)}.

%% Three calls: three continuations, each result coming back in x0's
%% register.
trib(N, B) when N < 3 -> B + N;
trib(N, B) -> trib(N - 1, B) + 2 * trib(N - 2, B) - trib(N - 3, B).

%% A chain through the third call: its frame, trimmed, pushed deeper and
%% deeper.
lean3(0, W) -> {leaf, W};
lean3(D, W) -> {node, lean3(0, W), lean3(0, W + 1), lean3(D - 1, W + 2)}.

spine(0) -> {leaf, 1};
spine(N) -> {node, {leaf, N}, spine(N - 1), {leaf, 2}}.

%% Three calls: after the first, two words live (B, C); after the second,
%% one (C) with the first result.
sum3({leaf, W}) -> W;
sum3({node, A, B, C}) ->
    X = sum3(A),
    Y = sum3(B),
    Z = sum3(C),
    X + 2 * Y + 3 * Z.

%% The first result kept as a term beside the subtrees.
mix({leaf, W}) -> W;
mix({node, A, B, C}) ->
    X = mix(A),
    Y = mix(B),
    Z = mix(C),
    {X, Y, Z} =:= {X, Y, Z} andalso true,
    X * 3 + Y - Z.

%% A float made before the first call kept across all three.
fl({leaf, W}) -> W;
fl({node, A, B, C}) ->
    F = element(2, A) =:= leaf andalso true,
    K = case F of true -> 0.5; false -> 1.5 end,
    X = fl(A),
    Y = fl(B),
    Z = fl(C),
    X * K + Y + Z * K.

%% The tree with its K-th leaf (counting from the left) replaced by New.
graft(T, K, New) ->
    {T2, _} = graft1(T, K, New),
    T2.

graft1({leaf, _}, 0, New) -> {New, -1};
graft1({leaf, _} = Leaf, K, _) -> {Leaf, K - 1};
graft1({node, A, B, C}, K, New) ->
    {A2, K2} = graft1(A, K, New),
    {B2, K3} = if K2 < 0 -> {B, K2}; true -> graft1(B, K2, New) end,
    {C2, K4} = if K3 < 0 -> {C, K3}; true -> graft1(C, K3, New) end,
    {{node, A2, B2, C2}, K4}.
