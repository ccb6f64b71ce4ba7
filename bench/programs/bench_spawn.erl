%% Spawn/exit throughput: N processes spawned, each answering its parent
%% and exiting; the parent waits for every answer.
-module(bench_spawn).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> run(N) end),
    io:format("~w ~w~n", [Micros, Result]).

run(N) ->
    Self = self(),
    [spawn(fun() -> Self ! {done, I} end) || I <- lists:seq(1, N)],
    collect(N, 0).

collect(0, Sum) -> Sum;
collect(K, Sum) -> receive {done, I} -> collect(K - 1, Sum + I) end.
