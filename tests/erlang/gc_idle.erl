%% Memory per idle process: spawns N processes that wait in `receive`
%% and prints how much `erlang:memory(processes)` grew, per process, in
%% bytes (tests/tests/gc.rs compares Enigma's figure with erl's).
-module(gc_idle).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Before = erlang:memory(processes),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    %% Every process has reached its receive once it answers a
    %% process_info (a sync through the target).
    [{status, _} = process_info(P, status) || P <- Pids],
    After = erlang:memory(processes),
    io:format("~w~n", [(After - Before) div N]),
    [P ! stop || P <- Pids],
    ok.
