%% Runs of register moves before a call that the loader fuses with the
%% call (docs/LOADER.md, "Move runs"): tak's three body calls and its
%% tail call, arguments restored from the frame before a tail call
%% (forward and back), results, reductions and stack traces through them.
-module(run_move_runs).
-export([main/0, tak/3, restore/4, restore2/4, mixed/4, forward/3, forward2/3, later/3, deep/3, id/1]).

main() ->
    io:format("tak ~p~n", [[tak(X, Y, Z) || {X, Y, Z} <- [{18, 12, 6}, {6, 12, 18}, {3, 2, 1}, {0, 0, 0}]]]),
    try tak(a, 1, 2) of
        T -> io:format("tak terms ~p~n", [T])
    catch
        error:Why:Trace -> io:format("tak terms ~p ~p~n", [Why, [{F, A, L} || {?MODULE, F, A, L} <- Trace]])
    end,
    io:format("restore ~p~n", [restore(5, a, b, c)]),
    io:format("restore2 ~p~n", [restore2(4, [], x, y)]),
    io:format("mixed ~p~n", [mixed(3, 1, 2, 3)]),
    io:format("forward ~p ~p~n", [forward(1, 2, 3), forward2(4, 5, 6)]),
    {reductions, R0} = process_info(self(), reductions),
    _ = tak(6, 4, 2),
    {reductions, R1} = process_info(self(), reductions),
    _ = restore(10, p, q, r),
    {reductions, R2} = process_info(self(), reductions),
    io:format("reductions ~p ~p~n", [R1 - R0, R2 - R1]),
    try deep(3, 1, 2) of
        V -> io:format("deep ~p~n", [V])
    catch
        error:Reason:Stack ->
            io:format("deep error ~p~n~p~n", [Reason, [{F, A} || {?MODULE, F, A, _} <- Stack]])
    end,
    ok.

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.

%% A body call, then the three arguments back from the frame and the
%% loop's back edge.
restore(0, A, B, C) -> {A, B, C};
restore(N, A, B, C) ->
    M = id(N),
    restore(M - 1, C, A, B).

restore2(0, Acc, X, Y) -> {Acc, X, Y};
restore2(N, Acc, X, Y) ->
    M = id(N),
    restore2(M - 1, [M | Acc], Y, X).

mixed(0, A, B, C) -> [A, B, C];
mixed(N, A, B, C) ->
    D = id(N),
    mixed(D - 1, C, A, B).

forward(A, B, C) ->
    D = id(A),
    later(C, B, D).

%% The result first, then two arguments from the frame (`XX YX YX`).
forward2(A, B, C) ->
    D = id(A),
    later(B, D, C).

later(A, B, C) -> {A, B, C}.

%% A run whose callee raises: the stack trace names the caller.
deep(0, _, _) -> erlang:error(bottom);
deep(N, A, B) ->
    R = deep(N - 1, B, A),
    id(R).

id(X) -> X.
