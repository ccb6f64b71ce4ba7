%% Allocates about `MB` megabytes of short-lived data (tuples, lists,
%% floats, bignums, binaries) in a loop that keeps almost nothing live,
%% and prints a checksum. `tests/tests/gc.rs` runs it on Enigma with
%% `--gc-stats` to check that the heap stays small however much is
%% allocated. Most of each round is two large terms BIFs build in one
%% go (a tuple, a list), so that gigabytes take seconds.
-module(gc_churn).
-export([main/1]).

main([MB]) ->
    %% One round allocates about 49 KB on the heap and 1 KB off it.
    Rounds = list_to_integer(MB) * 1024 div 50,
    io:format("~p~n", [loop(Rounds, 0)]).

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    T = erlang:make_tuple(4096, N),
    L = binary_to_list(binary:copy(<<N:64>>, 128)),
    F = float(N) * 1.5,
    B = (1 bsl 200) + N,
    X = element(4096, T) + trunc(F) rem 7 + B rem 11 + hd(L) + length(L),
    loop(N - 1, (Acc + X) rem 1000000007).
