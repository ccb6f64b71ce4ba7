-module(run_smp).
-export([main/0]).

%% Work spread over several schedulers: CPU-bound processes computing at
%% once, ping-pong between pairs while spinners hog schedulers, the order
%% of messages from each of many concurrent senders, signals to processes
%% running on another scheduler, monitors and link chains.

main() ->
    Self = self(),
    Ws = [spawn_link(fun() -> Self ! {result, I, fib(18 + I rem 4)} end)
          || I <- lists:seq(1, 8)],
    io:format("~p~n", [[receive {result, I, R} -> {I, R} end || I <- lists:seq(1, 8)]]),
    _ = Ws,
    Spinners = [spawn(fun() -> spin(0) end) || _ <- lists:seq(1, 4)],
    [begin
         P = spawn(fun pong/0),
         spawn(fun() -> Self ! {pinged, I, ping(P, 2000, 0)} end)
     end || I <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {pinged, I, S} -> {I, S} end || I <- lists:seq(1, 4)]]),
    %% Signals to a process that may be running on another scheduler.
    S1 = hd(Spinners),
    [S1 ! {hello, K} || K <- lists:seq(1, 3)],
    io:format("~p~n", [process_info(S1, message_queue_len)]),
    {messages, Msgs} = process_info(S1, messages),
    io:format("~p~n", [Msgs]),
    [exit(S, kill) || S <- Spinners],
    io:format("alive after kill: ~p~n", [[is_process_alive(S) || S <- Spinners]]),
    Ref = monitor(process, S1),
    receive {'DOWN', Ref, process, S1, Why1} -> io:format("down: ~p~n", [Why1]) end,
    %% Each sender's messages arrive in the order it sent them.
    Recv = spawn(fun() -> collect(Self, #{}, 10 * 500, true) end),
    [spawn(fun() -> [Recv ! {seq, I, K} || K <- lists:seq(1, 500)] end)
     || I <- lists:seq(1, 10)],
    receive {collected, InOrder} -> io:format("in order: ~p~n", [InOrder]) end,
    Ms = [spawn_monitor(fun() -> burn(20000), exit({done, I}) end) || I <- lists:seq(1, 6)],
    io:format("~p~n", [lists:sort([receive {'DOWN', R, process, P, Why} -> Why end
                                   || {P, R} <- Ms])]),
    process_flag(trap_exit, true),
    Head = spawn_link(fun() -> chain_link(50, Self) end),
    Tail = receive {chain_ready, T} -> T end,
    TailRef = monitor(process, Tail),
    Tail ! {ping, Self},
    receive {pong, Tail} -> ok end,
    exit(Head, boom),
    receive {'EXIT', Head, Reason} -> io:format("chain head: ~p~n", [Reason]) end,
    receive {'DOWN', TailRef, process, Tail, TailWhy} -> io:format("chain tail: ~p~n", [TailWhy]) end,
    Ring = ring(100, 20),
    io:format("ring: ~p~n", [Ring]),
    io:format("schedulers agree: ~p~n",
              [erlang:system_info(schedulers) =:= erlang:system_info(schedulers_online)]),
    %% The VM stops after main/0 returns, though a process still spins.
    spawn(fun() -> spin(0) end),
    ok.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

spin(N) -> spin(N + 1).

burn(0) -> ok;
burn(N) -> burn(N - 1).

pong() ->
    receive
        {ping, From, N} -> From ! {pong, N}, pong()
    end.

ping(_, 0, Sum) -> Sum;
ping(P, N, Sum) ->
    P ! {ping, self(), N},
    receive {pong, N} -> ping(P, N - 1, Sum + N) end.

collect(To, _, 0, Ok) -> To ! {collected, Ok};
collect(To, Last, Left, Ok) ->
    receive
        {seq, I, K} ->
            Prev = maps:get(I, Last, 0),
            collect(To, Last#{I => K}, Left - 1, Ok andalso K =:= Prev + 1)
    end.

%% A chain of N + 1 linked processes; the last tells Top it is there and
%% answers a ping (so Top knows its monitor reached it: on BEAM a monitor
%% is a signal, and without the answer the chain's exit may overtake it,
%% giving 'DOWN' with noproc).
chain_link(0, Top) ->
    Top ! {chain_ready, self()},
    receive {ping, From} -> From ! {pong, self()} end,
    receive never -> ok end;
chain_link(N, Top) ->
    spawn_link(fun() -> chain_link(N - 1, Top) end),
    burn(1000),
    receive never -> ok end.

%% A ring of N processes passing a counter M times around.
ring(N, M) ->
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next) end) end, Self,
                        lists:seq(1, N)),
    First ! {token, 0},
    ring_wait(First, M, 0).

ring_wait(_, 0, Count) -> Count;
ring_wait(First, M, _) ->
    receive {token, C} -> First ! {token, C + 1}, ring_wait(First, M - 1, C + 1) end.

relay(Next) ->
    receive {token, C} -> Next ! {token, C + 1}, relay(Next) end.
