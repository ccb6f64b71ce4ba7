%% timer's server-side functions (apply_after, send_interval,
%% apply_interval, exit_after, kill_after, cancel), which run through
%% timer_server and its ETS table.
-module(run_timer_server).
-export([main/0, note/2, say/2]).

p(X) -> io:format("~p~n", [X]).

note(Pid, X) -> Pid ! {note, X}.

%% Output from a process timer_server spawns goes through the group
%% leader it inherits (kernel's application master on erl).
say(Pid, X) ->
    io:format("said ~p~n", [X]),
    Pid ! {note, X}.

main() ->
    Self = self(),
    {ok, _} = timer:apply_after(20, ?MODULE, note, [Self, once]),
    receive {note, X} -> p(X) end,
    {ok, TRef} = timer:send_interval(5, tick),
    p([receive tick -> tick end || _ <- lists:seq(1, 3)]),
    p(timer:cancel(TRef)),
    flush(tick),
    receive tick -> p(late_tick) after 30 -> p(no_more_ticks) end,
    {ok, A} = timer:apply_interval(5, ?MODULE, note, [Self, iv]),
    p([receive {note, V} -> V end || _ <- lists:seq(1, 3)]),
    p(timer:cancel(A)),
    {ok, C} = timer:apply_after(10000, ?MODULE, note, [Self, never]),
    p(timer:cancel(C)),
    receive {note, never} -> p(fired) after 30 -> p(cancelled) end,
    process_flag(trap_exit, true),
    P = spawn_link(fun() -> receive after infinity -> ok end end),
    {ok, _} = timer:exit_after(10, P, because),
    receive {'EXIT', P, R} -> p({exited, R}) end,
    Q = spawn_link(fun() -> receive after infinity -> ok end end),
    {ok, _} = timer:kill_after(10, Q),
    receive {'EXIT', Q, R2} -> p({killed, R2}) end,
    {ok, _} = timer:send_after(5, Self, direct),
    receive direct -> p(direct) end,
    {ok, _} = timer:send_after(5, msg_to_self),
    receive msg_to_self -> p(msg_to_self) end,
    p(timer:cancel(not_a_tref)),
    p(is_pid(whereis(timer_server))),
    {ok, _} = timer:apply_after(5, ?MODULE, say, [Self, after_5]),
    receive {note, after_5} -> p(heard) end,
    {ok, _} = timer:apply_after(0, ?MODULE, say, [Self, at_once]),
    receive {note, at_once} -> p(heard) end,
    ok.

flush(M) -> receive M -> flush(M) after 0 -> ok end.
