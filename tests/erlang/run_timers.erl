-module(run_timers).
-export([main/0]).

%% Timers: deadline order, cancel/read results, start_timer's message,
%% timers to registered names, selective receive with timers, receive
%% timeouts. Only deterministic facts are printed: no time values.

main() ->
    order(),
    cancel_read(),
    start_timer_msg(),
    registered_dest(),
    selective(),
    timeouts(),
    errors(),
    time_units(),
    ok.

order() ->
    io:format("order: ~p~n", [out_of_order(10)]),
    io:format("same deadline: ~p~n", [same_deadline(10)]).

%% Timers set out of order fire in deadline order. The deadlines are from
%% one base (relative ones would move apart if this process were
%% descheduled between the calls). One set after its deadline fires at
%% once, though: a round where this process was descheduled past the
%% earliest deadline before it had set them all is tried again (at most
%% Tries rounds), as in the rounds below.
out_of_order(Tries) ->
    Self = self(),
    erlang:send_after(0, Self, zero),
    Base = erlang:monotonic_time(millisecond),
    erlang:send_after(Base + 60, Self, third, [{abs, true}]),
    erlang:send_after(Base + 20, Self, first, [{abs, true}]),
    erlang:send_after(Base + 40, Self, second, [{abs, true}]),
    InTime = erlang:monotonic_time(millisecond) < Base + 20,
    Got = [receive M -> M end || _ <- [1, 2, 3, 4]],
    again(InTime, Tries, Got, fun() -> out_of_order(Tries - 1) end).

%% Equal deadlines fire in the order the timers were set.
same_deadline(Tries) ->
    Self = self(),
    T = erlang:monotonic_time(millisecond) + 30,
    [erlang:send_after(T, Self, N, [{abs, true}]) || N <- lists:seq(1, 5)],
    InTime = erlang:monotonic_time(millisecond) < T,
    Got = [receive N -> N end || _ <- lists:seq(1, 5)],
    again(InTime, Tries, Got, fun() -> same_deadline(Tries - 1) end).

%% A round's result, or the next round's when its timers were not all set
%% in time and rounds are left.
again(InTime, Tries, Got, _Next) when InTime; Tries =< 1 -> Got;
again(_, _, _, Next) -> Next().

cancel_read() ->
    T = erlang:send_after(5000, self(), never),
    Left = erlang:read_timer(T),
    io:format("read: ~p~n", [is_integer(Left) andalso Left > 4000 andalso Left =< 5000]),
    C = erlang:cancel_timer(T),
    io:format("cancel: ~p~n", [is_integer(C) andalso C > 4000 andalso C =< 5000]),
    io:format("cancel again: ~p~n", [erlang:cancel_timer(T)]),
    io:format("read cancelled: ~p~n", [erlang:read_timer(T)]),
    T2 = erlang:send_after(10, self(), fired),
    receive fired -> ok end,
    io:format("cancel after fire: ~p~n", [erlang:cancel_timer(T2)]),
    T3 = erlang:send_after(5000, self(), never),
    io:format("cancel no info: ~p~n", [erlang:cancel_timer(T3, [{info, false}])]),
    io:format("read after: ~p~n", [erlang:read_timer(T3)]),
    T4 = erlang:send_after(5000, self(), never),
    io:format("async cancel: ~p~n", [erlang:cancel_timer(T4, [{async, true}])]),
    receive {cancel_timer, T4, L4} -> io:format("async result: ~p~n", [is_integer(L4)]) end,
    io:format("async read: ~p~n", [erlang:read_timer(T4, [{async, true}])]),
    receive {read_timer, T4, R4} -> io:format("async read result: ~p~n", [R4]) end,
    io:format("async no info: ~p~n", [erlang:cancel_timer(T4, [{async, true}, {info, false}])]),
    receive Unexpected -> io:format("unexpected ~p~n", [Unexpected]) after 20 -> ok end,
    io:format("unknown ref: ~p~n", [erlang:cancel_timer(make_ref())]).

start_timer_msg() ->
    T = erlang:start_timer(10, self(), payload),
    receive {timeout, T, payload} -> io:format("start_timer message ok~n") end,
    T2 = erlang:start_timer(10, self(), {a, [1, 2]}, []),
    receive {timeout, R, M} -> io:format("start_timer/4: ~p ~p~n", [R =:= T2, M]) end.

registered_dest() ->
    Self = self(),
    P = spawn(fun() -> receive M -> Self ! {relayed, M} end end),
    register(relay, P),
    erlang:send_after(10, relay, via_name),
    receive {relayed, M} -> io:format("to name: ~p~n", [M]) end,
    %% A name nobody holds when the timer fires: nothing happens.
    erlang:send_after(10, nobody_here, lost),
    receive X -> io:format("unexpected ~p~n", [X]) after 40 -> io:format("no receiver~n") end,
    %% A timer to a dead process.
    {D, DRef} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', DRef, _, _, _} -> ok end,
    TD = erlang:send_after(1000, D, lost),
    io:format("timer to a dead pid: ~p~n", [erlang:read_timer(TD)]),
    %% A timer to a pid goes when that process exits.
    Q = spawn(fun() -> receive stop -> ok end end),
    TQ = erlang:send_after(1000, Q, lost),
    io:format("pending: ~p~n", [is_integer(erlang:read_timer(TQ))]),
    QRef = monitor(process, Q),
    Q ! stop,
    receive {'DOWN', QRef, _, _, _} -> ok end,
    io:format("after exit: ~p~n", [erlang:cancel_timer(TQ)]).

selective() ->
    erlang:send_after(10, self(), {tick, 1}),
    erlang:send_after(20, self(), other),
    erlang:send_after(30, self(), {tick, 2}),
    A = receive {tick, N} -> N end,
    B = receive {tick, N2} -> N2 end,
    C = receive other -> other end,
    io:format("selective: ~p~n", [{A, B, C}]),
    %% The timer is far off (a short one could fire first if this process
    %% were descheduled before the receive): still pending after it.
    TL = erlang:send_after(60000, self(), late),
    R = receive late -> late after 10 -> timeout end,
    io:format("after beats timer: ~p~n", [R]),
    io:format("timer still pending: ~p~n", [is_integer(erlang:cancel_timer(TL))]).

timeouts() ->
    self() ! queued,
    %% A receive without clauses ignores the queue.
    timer:sleep(10),
    io:format("sleep with a queued message~n"),
    R0 = receive nothing -> x after 0 -> zero end,
    io:format("after 0: ~p~n", [R0]),
    receive queued -> ok end,
    Self = self(),
    P = spawn(fun() -> receive after 20 -> Self ! {done, self()} end end),
    receive {done, P} -> io:format("child timeout fired~n") end,
    Inf = infinity,
    P2 = spawn(fun() -> receive x -> x after Inf -> ok end end),
    io:format("infinity waits: ~p~n", [settled_status(P2, 60000)]),
    exit(P2, kill),
    %% Messages that do not match neither move a receive's deadline nor
    %% disturb a sleep (its operand register is not read again).
    Noisy = spawn(fun() -> noise(Self) end),
    R2 = receive wanted -> wanted after 60 -> timed_out end,
    io:format("deadline kept under noise: ~p~n", [R2]),
    timer:sleep(60),
    io:format("sleep under noise~n"),
    exit(Noisy, kill),
    flush_noise(),
    io:format("wake order: ~p~n", [wake_order(Self, 10)]).

%% Timers set by many processes fire in deadline order (100 ms apart).
%% The deadlines are absolute and the timers send the messages
%% themselves, so when a process runs again after its timer (a loaded
%% machine may deschedule a scheduler thread for longer than the gap) does
%% not change the order. One that started after its deadline, though,
%% fires when set: each process says whether it set its timer in time,
%% and a round where one did not is tried again (at most Tries rounds).
wake_order(Self, Tries) ->
    Base = erlang:monotonic_time(millisecond) + 200,
    Ts = [5, 3, 1, 4, 2],
    [spawn(fun() ->
               erlang:send_after(Base + T * 100, Self, {woke, T}, [{abs, true}]),
               Self ! {set, T, erlang:monotonic_time(millisecond) < Base + T * 100}
           end) || T <- Ts],
    InTime = lists:all(fun(P) -> P end, [receive {set, T, P} -> P end || T <- Ts]),
    Got = [receive {woke, T} -> T end || _ <- Ts],
    again(InTime, Tries, Got, fun() -> wake_order(Self, Tries - 1) end).

%% P's status once it has run up to where it waits (a new process may
%% not have run yet on a loaded machine: runnable), polled at most Tries
%% times.
settled_status(P, Tries) ->
    case process_info(P, status) of
        {status, S} when (S =:= runnable orelse S =:= running), Tries > 0 ->
            receive after 1 -> settled_status(P, Tries - 1) end;
        Status -> Status
    end.

noise(To) ->
    receive after 5 -> To ! noise, noise(To) end.

flush_noise() ->
    receive noise -> flush_noise() after 0 -> ok end.

errors() ->
    Err = fun(F) -> try F() of V -> {ok, V} catch C:E -> {C, E} end end,
    io:format("~p~n", [Err(fun() -> erlang:send_after(-1, self(), x) end)]),
    io:format("~p~n", [Err(fun() -> erlang:send_after(a, self(), x) end)]),
    io:format("~p~n", [Err(fun() -> erlang:send_after(1, 123, x) end)]),
    io:format("~p~n", [Err(fun() -> erlang:start_timer(1, self(), x, [{abs, foo}]) end)]),
    io:format("~p~n", [Err(fun() -> erlang:start_timer(1, self(), x, [bad]) end)]),
    io:format("~p~n", [Err(fun() -> erlang:cancel_timer(foo) end)]),
    io:format("~p~n", [Err(fun() -> erlang:cancel_timer(make_ref(), [{bad, true}]) end)]),
    io:format("~p~n", [Err(fun() -> erlang:read_timer(1) end)]),
    io:format("~p~n", [Err(fun() -> receive after -1 -> ok end end)]),
    io:format("~p~n", [Err(fun() -> receive after foo -> ok end end)]).

time_units() ->
    io:format("~p~n", [erlang:convert_time_unit(3, second, millisecond)]),
    io:format("~p~n", [erlang:convert_time_unit(1500, millisecond, second)]),
    io:format("~p~n", [erlang:convert_time_unit(-1500, millisecond, second)]),
    M1 = erlang:monotonic_time(millisecond),
    timer:sleep(20),
    M2 = erlang:monotonic_time(millisecond),
    io:format("monotonic advances: ~p~n", [M2 - M1 >= 20]),
    S = erlang:system_time(second),
    io:format("system time sane: ~p~n", [S > 1600000000]),
    O = erlang:time_offset(second),
    io:format("offset sum: ~p~n", [abs(erlang:monotonic_time(second) + O - S) =< 1]).
