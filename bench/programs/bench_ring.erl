%% Ring message passing: a token sent N hops around a ring of 1,000
%% processes.
-module(bench_ring).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> run(N) end),
    io:format("~w ~w~n", [Micros, Result]).

run(N) ->
    First = ring(1000, self()),
    First ! N,
    around(First).

ring(0, Next) -> Next;
ring(K, Next) -> ring(K - 1, spawn(fun() -> relay(Next) end)).

relay(Next) ->
    receive
        0 -> Next ! 0;
        N -> Next ! N - 1, relay(Next)
    end.

around(First) ->
    receive
        0 -> done;
        N -> First ! N - 1, around(First)
    end.
