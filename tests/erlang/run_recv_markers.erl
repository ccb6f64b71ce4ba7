%% Receive markers (`recv_marker_reserve/bind/use/clear`): a receive on a
%% reference made in the same function starts after the messages queued
%% before the reference. Calls with many unrelated messages queued, a
%% marker whose earlier messages are taken by a nested receive, markers
%% nested deeper than a process keeps, a monitor's reference (the
%% `gen_server:call` shape), and receives with timeouts.
-module(run_recv_markers).
-export([main/0, take_old/0]).

-define(QUEUED, 20000).
-define(CALLS, 5000).

main() ->
    Server = spawn(fun server/0),
    fill(?QUEUED),
    io:format("calls: ~p~n", [calls(Server, ?CALLS, 0)]),
    io:format("queued: ~p~n", [queue_len()]),
    io:format("late reply: ~p~n", [late(Server)]),
    io:format("nested take: ~p~n", [nested(Server)]),
    io:format("queued: ~p~n", [queue_len()]),
    io:format("deep: ~p~n", [deep(Server, 20)]),
    io:format("monitor calls: ~p~n", [mon_calls(Server, 2000, 0)]),
    io:format("timeouts: ~p~n", [timeouts(Server)]),
    %% A server that ends on the call without replying: its DOWN ends the
    %% receive. (It exits only then: a process that exited on its own could
    %% be gone before the monitor, noproc, or not, normal.)
    Quitter = spawn(fun() -> receive _ -> ok end end),
    io:format("dies: ~p~n", [mon_call(Quitter, 1)]),
    io:format("queued: ~p~n", [queue_len()]),
    io:format("first unrelated: ~p~n", [receive M -> M end]),
    io:format("drained: ~p~n", [drain(0)]).

queue_len() ->
    {message_queue_len, N} = process_info(self(), message_queue_len),
    N.

fill(0) -> ok;
fill(N) ->
    self() ! {unrelated, N},
    fill(N - 1).

drain(N) ->
    receive _ -> drain(N + 1) after 0 -> N end.

%% Replies `{Ref, N * 2}`; `{delay, ...}` replies after the caller's next
%% `go`; `{twice, ...}` replies twice.
server() ->
    receive
        {call, From, Ref, N} ->
            From ! {Ref, N * 2};
        {delay, From, Ref, N} ->
            receive go -> From ! {Ref, N} end;
        {twice, From, Ref, N} ->
            From ! {Ref, N},
            From ! {Ref, N + 1};
        {mcall, From, Ref, N} ->
            From ! {Ref, N + 1}
    end,
    server().

calls(_, 0, Acc) -> Acc;
calls(S, N, Acc) ->
    Ref = make_ref(),
    S ! {call, self(), Ref, N},
    receive {Ref, R} -> calls(S, N - 1, Acc + R) end.

%% The reply arrives while the receive waits: the marker made before the
%% send must still see it.
late(S) ->
    Ref = make_ref(),
    S ! {delay, self(), Ref, 7},
    spawn(fun() -> timer:sleep(5), S ! go end),
    receive {Ref, R} -> R end.

%% Messages before the marker leave the queue (taken by another receive)
%% while the reference's receive is pending: the marker moves with them.
nested(S) ->
    self() ! {old, 1},
    self() ! {old, 2},
    Ref = make_ref(),
    self() ! {old, 3},
    S ! {delay, self(), Ref, 42},
    Olds = [?MODULE:take_old(), ?MODULE:take_old()],
    S ! go,
    receive {Ref, R} -> {Olds, R, ?MODULE:take_old()} end.

take_old() ->
    receive {old, X} -> X end.

%% More references outstanding than markers kept: the oldest lose theirs.
deep(_, 0) -> [];
deep(S, N) ->
    Ref = make_ref(),
    S ! {call, self(), Ref, N},
    Rest = deep(S, N - 1),
    receive {Ref, R} -> [R | Rest] end.

mon_calls(_, 0, Acc) -> Acc;
mon_calls(S, N, Acc) ->
    mon_calls(S, N - 1, Acc + mon_call(S, N)).

mon_call(S, N) ->
    Mref = erlang:monitor(process, S),
    S ! {mcall, self(), Mref, N},
    receive
        {Mref, R} ->
            erlang:demonitor(Mref, [flush]),
            R;
        {'DOWN', Mref, process, _, Reason} ->
            {down, Reason}
    end.

%% A receive that times out before the reply, then one that takes it;
%% a reference answered twice, taken twice.
timeouts(S) ->
    Ref = make_ref(),
    S ! {delay, self(), Ref, 5},
    First = receive {Ref, R} -> R after 0 -> timeout end,
    S ! go,
    Second = receive {Ref, R2} -> R2 after 60000 -> timeout end,
    Ref2 = make_ref(),
    S ! {twice, self(), Ref2, 10},
    A = receive {Ref2, X} -> X end,
    B = receive {Ref2, Y} -> Y end,
    {First, Second, A, B}.
