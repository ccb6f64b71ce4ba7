%% Loops with loop-invariant guards, which the JIT peels (the first
%% iteration runs in front of the loop, and the invariant guards only
%% there): a tuple argument that never changes and the type of its
%% elements. The invariant values' types change between calls on purpose,
%% so the guards of the peeled iteration fail.
-module(run_jit_peel).
-export([main/0]).

main() ->
    io:format("~p~n", [scale(5000, {3, x}, 0)]),
    io:format("~p~n", [scale(5000, {1.5, x}, 0)]),
    io:format("~p~n", [scale(5000, {1 bsl 40, x}, 0)]),
    io:format("~p~n", [reason(fun() -> scale(10, {foo, x}, 0) end)]),
    io:format("~p~n", [reason(fun() -> scale(10, {1}, 0) end)]),
    io:format("~p~n", [reason(fun() -> scale(10, [1, 2], 0) end)]),
    io:format("~p~n", [[scale(N, {N, x}, 0) || N <- lists:seq(1, 40)]]),
    %% The invariant argument is a float; the counter a float part way.
    io:format("~p~n", [damp(3000, 0.999, 1.0)]),
    io:format("~p~n", [damp(3000, 1, 1.0)]),
    io:format("~p~n", [damp(3000.0, 0.5, 1.0)]),
    %% An invariant list head.
    io:format("~p~n", [heads(4000, [7 | tail], 0)]),
    io:format("~p~n", [reason(fun() -> heads(4000, [], 0) end)]),
    %% is_list on an invariant argument: a cons, [], then neither.
    io:format("~p~n", [lists(3000, [a], 0)]),
    io:format("~p~n", [lists(3000, [], 0)]),
    io:format("~p~n", [lists(3000, {a}, 0)]),
    io:format("~p~n", [switch(3000, [a], 0)]),
    ok.

%% The error and the function it was raised in.
reason(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:R:St ->
            [{M, Fn, A, _} | _] = St,
            {R, M, Fn, A}
    end.

scale(0, _, Acc) -> Acc;
scale(N, T, Acc) -> scale(N - 1, T, Acc + element(1, T) * N).

damp(N, _, X) when N =< 0 -> X;
damp(N, F, X) -> damp(N - 1, F, X * F + 0.001).

lists(0, _, Acc) -> Acc;
lists(N, L, Acc) when is_list(L) -> lists(N - 1, L, Acc + 1);
lists(N, L, Acc) -> lists(N - 1, L, Acc + 2).

%% The argument stops being a list part way.
switch(0, _, Acc) -> Acc;
switch(N, L, Acc) when is_list(L), N > 1000 -> switch(N - 1, L, Acc + 1);
switch(N, _, Acc) -> switch(N - 1, nil, Acc + 3).

heads(0, _, Acc) -> Acc;
heads(N, L, Acc) -> heads(N - 1, L, Acc + hd(L)).
