%% The system-wide collection settings (system_info(garbage_collection))
%% and the collection statistics (statistics(garbage_collection):
%% collections and words reclaimed so far, then 0).
-module(run_gc_info).
-export([main/0]).

main() ->
    io:format("~p~n", [erlang:system_info(garbage_collection)]),
    Old = erlang:system_flag(min_heap_size, 1000),
    io:format("~p~n", [lists:keyfind(min_heap_size, 1, erlang:system_info(garbage_collection))]),
    erlang:system_flag(min_heap_size, Old),
    _ = [lists:seq(1, 1000) || _ <- lists:seq(1, 100)],
    erlang:garbage_collect(),
    {N, W, Z} = statistics(garbage_collection),
    io:format("~p~n", [{is_integer(N), N > 0, W > 0, Z}]),
    _ = [lists:seq(1, 1000) || _ <- lists:seq(1, 100)],
    erlang:garbage_collect(),
    {N2, W2, _} = statistics(garbage_collection),
    io:format("~p~n", [{N2 > N, W2 > W}]),
    io:format("~p~n", [try statistics(bad) catch C:E:S -> {C, E, hd(S)} end]),
    ok.
