-module(run_stress).
-export([main/0]).

%% Stress, checked for correctness only: 100,000 processes alive at once,
%% each answering a message, then a token passed 1,000,000 hops around a
%% ring of 1,000 processes.

main() ->
    N = 100000,
    Self = self(),
    Pids = [spawn(fun() -> receive {go, From} -> From ! {self(), ok} end end) || _ <- lists:seq(1, N)],
    io:format("alive: ~p~n", [length([P || P <- Pids, is_process_alive(P)])]),
    io:format("processes >= N: ~p~n", [length(processes()) >= N]),
    [P ! {go, Self} || P <- Pids],
    Oks = [receive {P, ok} -> 1 end || P <- Pids],
    io:format("answered: ~p~n", [lists:sum(Oks)]),
    Hops = 1000000,
    Ring = 1000,
    First = ring(Ring, self()),
    First ! Hops,
    io:format("ring: ~p~n", [around(First)]).

around(First) ->
    receive
        0 -> done;
        N -> First ! N - 1, around(First)
    end.

ring(0, Next) -> Next;
ring(K, Next) ->
    P = spawn(fun() -> relay(Next) end),
    ring(K - 1, P).

relay(Next) ->
    receive
        0 -> Next ! 0;
        N -> Next ! N - 1, relay(Next)
    end.
