%% Peak memory per idle process (the runner's `--idle-memory` mode, not a
%% timed program): spawns N processes that wait in `receive`, waits until
%% each has reached it, prints `ready N` and stays alive while the runner
%% reads the VM's resident memory from /proc; the runner compares it with
%% a run of N = 0 and kills the VM.
-module(bench_idle).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    %% A process answers process_info once it waits in its receive.
    [{status, _} = process_info(P, status) || P <- Pids],
    io:format("ready ~w~n", [length(Pids)]),
    receive after 600000 -> ok end.
