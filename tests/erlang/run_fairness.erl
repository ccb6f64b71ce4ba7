-module(run_fairness).
-export([main/0]).

%% Processes in endless tail-recursive loops do not starve the others:
%% messages, timeouts and spawns still make progress around them.

main() ->
    Self = self(),
    Spinners = [spawn(fun() -> spin(I) end) || I <- lists:seq(1, 3)],
    [spawn(fun() -> Self ! {done, I} end) || I <- lists:seq(1, 10)],
    io:format("~p~n", [lists:sort([receive {done, I} -> I end || _ <- lists:seq(1, 10)])]),
    receive after 30 -> io:format("timeout fires~n") end,
    Pong = spawn(fun pong/0),
    io:format("ping-pong: ~p~n", [ping(Pong, 1000)]),
    Ref = erlang:send_after(20, self(), tick),
    receive tick -> io:format("timer fires~n") end,
    _ = Ref,
    io:format("alive: ~p~n", [[is_process_alive(S) || S <- Spinners]]),
    {reductions, R} = process_info(hd(Spinners), reductions),
    io:format("spinner ran: ~p~n", [R > 4000]),
    [exit(S, kill) || S <- Spinners],
    receive after 10 -> ok end,
    io:format("killed: ~p~n", [[is_process_alive(S) || S <- Spinners]]),
    Low = spawn_opt(fun() -> spin(0) end, [{priority, low}]),
    [spawn(fun() -> Self ! {low_done, I} end) || I <- lists:seq(1, 3)],
    io:format("~p~n", [lists:sort([receive {low_done, I} -> I end || _ <- lists:seq(1, 3)])]),
    exit(Low, kill).

spin(N) -> spin(N + 1).

pong() ->
    receive {ping, From, N} -> From ! {pong, N}, pong() end.

ping(_, 0) -> done;
ping(P, N) ->
    P ! {ping, self(), N},
    receive {pong, N} -> ping(P, N - 1) end.
