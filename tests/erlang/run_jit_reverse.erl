%% Loops calling lists:reverse/1, which a trace calls out to Rust for:
%% lists that stop being proper (the call raises in lists, as BEAM
%% does), lists growing past the heap's room (the trace leaves to the
%% call, where the interpreter collects), floats and integers kept in the
%% loop's frame across the call, empty and one-element lists, and a
%% result the next iteration reads.
-module(run_jit_reverse).
-export([main/0]).

main() ->
    io:format("~p~n", [rev(1001, [1, 2, 3], 0)]),
    io:format("~p~n", [rev(1000, [], 0)]),
    io:format("~p~n", [rev(999, [x], 0)]),
    io:format("~p~n", [grow(3000, [])]),
    Ls = [[I, I + 1, I * 2] || I <- lists:seq(1, 1500)],
    io:format("~p~n", [each(Ls, [])]),
    [io:format("~p~n", [try each(Ls ++ [Bad] ++ Ls, []) catch error:R -> R end])
     || Bad <- [[1, 2 | 3], [1 | 2], nope, {1, 2}, [a, b, c, d | []]]],
    io:format("~p~n", [try fl(3000, [1.5, 2.5], 1.0, 7) catch error:R2 -> R2 end]),
    io:format("~p~n", [fl(1000, [1.5, 2.5], 1.0, 7)]),
    io:format("~p~n", [try fl(1000, [1.5 | 2.5], 1.0, 7) catch error:R3 -> R3 end]),
    io:format("~p~n", [over(2000, [3, 4], 1 bsl 58)]).

%% Reverses the same list back and forth, reading its head.
rev(0, L, Acc) -> {L, Acc};
rev(N, [H | _] = L, Acc) when is_integer(H) ->
    R = lists:reverse(L),
    rev(N - 1, R, Acc + H);
rev(N, L, Acc) ->
    rev(N - 1, lists:reverse(L), Acc + 1).

%% A list growing by one per iteration, reversed each time: up to 6000
%% words per call, past the heap's room many times.
grow(0, L) -> {length(L), lists:sum(L), hd(L)};
grow(N, L) ->
    R = lists:reverse(L),
    grow(N - 1, [N | R]).

%% One reverse per element of a list of lists; the results kept.
each([], Acc) -> {length(Acc), hd(Acc)};
each([L | T], Acc) ->
    each(T, [lists:reverse(L) | Acc]).

%% A float and an integer live in the frame across the call; the float
%% overflows (badarith) after about 1750 iterations.
fl(0, L, F, K) -> {L, F, K};
fl(N, L, F, K) ->
    R = lists:reverse(L),
    fl(N - 1, R, F * 1.5, K + 1).

%% An integer in the frame overflowing into bignums after the call.
over(0, L, X) -> {L, X};
over(N, L, X) ->
    R = lists:reverse(L),
    over(N - 1, R, X + (1 bsl 50)).
