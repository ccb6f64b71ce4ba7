%% Keeps `N` elements of long-lived data (a list of `{I, Float}` tuples:
%% 7 heap words each) while allocating short-lived lists in a loop, then
%% prints a checksum of both. `tests/tests/gc.rs` runs it on Enigma with
%% `--gc-stats`: a generational collector copies the long-lived data a
%% few times, not at every collection.
-module(gc_longlived).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Long = [{I, I * 0.5} || I <- lists:seq(1, N)],
    Churn = churn(N div 5, 0),
    io:format("~p~n", [{Churn, sum(Long, 0)}]).

churn(0, Acc) -> Acc;
churn(K, Acc) ->
    L = lists:seq(1, 300),
    churn(K - 1, (Acc + lists:sum(L) + K) rem 1000003).

sum([], Acc) -> Acc;
sum([{I, F} | T], Acc) -> sum(T, Acc + I + trunc(F)).
