%% A receive sees messages that other processes (on other schedulers,
%% with several) send while the receiver is in the middle of its slice:
%% the receiver polls with `after 0` in a tight loop, never waiting, so
%% what it sees arrived while it ran. Output is deterministic: signals
%% between a pair of processes arrive in the order they were sent, so once
%% a sender's `done` is seen, everything it sent before is there too.
-module(run_recv_midslice).
-export([main/0]).

-define(SENDERS, 4).
-define(COUNT, 400).

main() ->
    Self = self(),
    Senders = [spawn(fun() -> sender(Self, S) end) || S <- lists:seq(1, ?SENDERS)],
    [S ! go || S <- Senders],
    %% Spin (never wait) until every sender's `done` is seen.
    Spins = poll_done(lists:seq(1, ?SENDERS), 0),
    io:format("saw every done: ~p~n", [is_integer(Spins)]),
    %% Then everything each sender sent before `done` is in the queue, in
    %% the order it was sent: take the odd numbers first (selective
    %% receive skips the even ones), then the even ones.
    Odd = [take_odd(S) || S <- lists:seq(1, ?SENDERS)],
    Even = [take_even(S) || S <- lists:seq(1, ?SENDERS)],
    io:format("odd in order: ~p~n", [[L =:= odd() || L <- Odd]]),
    io:format("even in order: ~p~n", [[L =:= even() || L <- Even]]),
    io:format("left: ~p~n", [drain()]),
    %% A message sent after the receiver polled its queue empty, while it
    %% keeps running, is seen by its next poll.
    Echo = spawn(fun() -> receive {From, X} -> From ! {echo, X} end end),
    Echo ! {Self, hello},
    io:format("echo: ~p~n", [poll_echo(0)]).

sender(To, S) ->
    receive go -> ok end,
    [To ! {msg, S, I} || I <- lists:seq(1, ?COUNT)],
    To ! {done, S}.

poll_done([], Spins) ->
    Spins;
poll_done(Pending, Spins) ->
    receive
        {done, S} -> poll_done(lists:delete(S, Pending), Spins + 1)
    after 0 ->
        poll_done(Pending, Spins + 1)
    end.

%% Sender `S`'s odd (even) numbers, oldest first, none waited for: the
%% guard makes the receive skip the others, which stay in place.
take_odd(S) ->
    receive {msg, S, I} when I rem 2 =:= 1 -> [I | take_odd(S)] after 0 -> [] end.

take_even(S) ->
    receive {msg, S, I} when I rem 2 =:= 0 -> [I | take_even(S)] after 0 -> [] end.

odd() -> [I || I <- lists:seq(1, ?COUNT), I rem 2 =:= 1].
even() -> [I || I <- lists:seq(1, ?COUNT), I rem 2 =:= 0].

drain() ->
    receive M -> [M | drain()] after 0 -> [] end.

poll_echo(N) ->
    receive
        {echo, X} -> X
    after 0 ->
        poll_echo(N + 1)
    end.
