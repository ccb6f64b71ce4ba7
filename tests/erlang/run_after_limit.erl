%% receive ... after T takes 0..4294967295 ms (2^32 - 1) and infinity;
%% anything else raises timeout_value, as on OTP 25. Timers take larger
%% times.
-module(run_after_limit).
-export([main/0]).
id(X) -> X.

main() ->
    [io:format("~p~n", [try receive x -> x after id(T) -> t end catch C:R -> {C, R} end])
     || T <- [-1, 1 bsl 32, (1 bsl 32) + 1, 1 bsl 59, 1 bsl 64, 1.0e3, infinity2, "1"]],
    %% The largest allowed time waits: a message already there ends it.
    self() ! x,
    io:format("~p~n", [receive x -> got after id((1 bsl 32) - 1) -> t end]),
    io:format("~p~n", [receive x -> x after id(0) -> t end]),
    T1 = erlang:send_after(1 bsl 32, self(), m),
    T2 = erlang:start_timer(1 bsl 40, self(), m),
    io:format("~p~n", [{is_reference(T1), is_reference(T2)}]),
    io:format("~p~n", [{erlang:cancel_timer(T1) > 1 bsl 31, erlang:cancel_timer(T2) > 1 bsl 39}]),
    io:format("~p~n", [try erlang:send_after(-1, some_name, m) catch C:E:S -> {C, E, hd(S)} end]),
    ok.
