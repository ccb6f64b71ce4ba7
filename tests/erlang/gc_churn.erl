%% Allocates about `MB` megabytes of short-lived data (lists, tuples,
%% floats, bignums, binaries) in a loop that keeps almost nothing live,
%% and prints a checksum. `tests/tests/gc.rs` runs it on Enigma with
%% `--gc-stats` to check that the heap stays small however much is
%% allocated.
-module(gc_churn).
-export([main/1]).

main([MB]) ->
    %% One round allocates about 8 KB on the heap and 1 KB off it.
    Rounds = list_to_integer(MB) * 1024 div 9,
    io:format("~p~n", [loop(Rounds, 0)]).

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    L = lists:seq(1, 300),
    T = list_to_tuple(L),
    F = float(N) * 1.5,
    B = (1 bsl 200) + N,
    Bin = binary:copy(<<N:64>>, 128),
    X = element(300, T) + trunc(F) rem 7 + B rem 11 + binary:first(Bin),
    loop(N - 1, (Acc + X) rem 1000000007).
