%% The VM halts while the compile thread may still be compiling a root
%% trace: each loop turns hot (the default threshold) just before the
%% program moves on, the last one just before halt/1. Nothing may crash
%% or hang, and the exit status is the one given. A long loop runs
%% first: the run's first recording waits 200 us of hot loops (hot.rs,
%% COLD_WAIT), the later ones only the threshold.
-module(run_jit_halt_pending).
-export([main/0]).

main() ->
    io:format("~p~n", [warm(300000, 0)]),
    io:format("~p~n", [sum(250, 0)]),
    io:format("~p~n", [fsum(250, 0.0)]),
    Pids = [spawn(fun() -> sum(250, 0) end) || _ <- lists:seq(1, 4)],
    io:format("~p~n", [length(Pids)]),
    io:format("~p~n", [count(210, 0)]),
    halt(7).

warm(0, Acc) -> Acc;
warm(N, Acc) -> warm(N - 1, Acc + N).

sum(0, Acc) -> Acc;
sum(N, Acc) -> sum(N - 1, Acc + N).

fsum(0, Acc) -> Acc;
fsum(N, Acc) -> fsum(N - 1, Acc + N * 0.5).

count(0, Acc) -> Acc;
count(N, Acc) -> count(N - 1, Acc + (N band 7)).
