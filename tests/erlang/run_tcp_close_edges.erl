-module(run_tcp_close_edges).
-export([main/0]).

%% How a TCP socket ends, beyond the peer's plain close (session 23):
%% {linger, {true, 0}} resets the connection (the peer's passive recv
%% answers closed, {error, econnreset} with show_econnreset, an active
%% peer gets tcp_closed, or tcp_error econnreset first with
%% show_econnreset); with {exit_on_close, false} the stream's end closes
%% only the read side: sends go on (and reach a peer that only shut its
%% write side) until one fails, receives answer closed, and the send
%% after the failure answers closed once more; shutdown/2 of each side;
%% a failed send on a passive socket with exit_on_close; setopts active
%% on a closed socket sends tcp_closed once; getstat's counters after
%% each. Waits are for messages by pattern or for a recv's answer; the
%% sleeps let a reset cross the loopback before the next send.

p(Tag, V) -> io:format("~s: ~p~n", [Tag, V]).

stat(S) -> inet:getstat(S, [recv_cnt, recv_oct, send_cnt, send_oct, send_pend]).

pair(L, Port, Opts) ->
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [binary | Opts], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    {C, A}.

%% The next message from socket S, with S left out.
next(S) ->
    receive
        {tcp, S, D} -> {tcp, D};
        {tcp_closed, S} -> tcp_closed;
        {tcp_error, S, E} -> {tcp_error, E};
        {tcp_passive, S} -> tcp_passive
    after 5000 -> none
    end.

%% No message from S (none is sent on erl).
quiet(S) ->
    receive
        {tcp, S, D} -> {tcp, D};
        {tcp_closed, S} -> tcp_closed;
        {tcp_error, S, E} -> {tcp_error, E}
    after 100 -> none
    end.

main() ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, {127,0,0,1}},
                                 {exit_on_close, false}]),
    {ok, Port} = inet:port(L),
    linger(L, Port),
    active_read_closed(L, Port),
    passive_read_closed(L, Port),
    half_closed(L, Port),
    shutdowns(L, Port),
    passive_send_fails(L, Port),
    gen_tcp:close(L).

linger(L, Port) ->
    %% Data, then a reset: the data is read, then closed.
    {C1, A1} = pair(L, Port, [{active, false}]),
    ok = inet:setopts(C1, [{linger, {true, 0}}]),
    p("linger opt", inet:getopts(C1, [linger])),
    ok = gen_tcp:send(C1, <<"hi">>),
    p("first recv", gen_tcp:recv(A1, 2, 5000)),
    ok = gen_tcp:close(C1),
    p("recv after reset", gen_tcp:recv(A1, 0, 5000)),
    p("recv again", gen_tcp:recv(A1, 0, 1000)),
    p("send after reset", gen_tcp:send(A1, <<"x">>)),
    gen_tcp:close(A1),
    %% show_econnreset, passive.
    {C2, A2} = pair(L, Port, [{active, false}, {linger, {true, 0}}]),
    ok = inet:setopts(A2, [{show_econnreset, true}]),
    ok = gen_tcp:close(C2),
    p("reset shown", gen_tcp:recv(A2, 0, 5000)),
    p("reset shown again", gen_tcp:recv(A2, 0, 1000)),
    gen_tcp:close(A2),
    %% Active peers, without and with show_econnreset.
    {C3, A3} = pair(L, Port, [{active, false}, {linger, {true, 0}}]),
    ok = inet:setopts(A3, [{active, true}, {exit_on_close, true}]),
    ok = gen_tcp:close(C3),
    p("active", next(A3)),
    p("active then", quiet(A3)),
    {C4, A4} = pair(L, Port, [{active, false}, {linger, {true, 0}}]),
    ok = inet:setopts(A4, [{active, true}, {show_econnreset, true},
                           {exit_on_close, true}]),
    ok = gen_tcp:close(C4),
    p("active shown", next(A4)),
    p("active shown then", next(A4)),
    p("active shown port", erlang:port_info(A4, connected)),
    %% Queued output is dropped by a reset: the peer reads less than sent.
    {C5, A5} = pair(L, Port, [{active, false}, {linger, {true, 0}},
                              {sndbuf, 4096}]),
    ok = inet:setopts(A5, [{recbuf, 4096}]),
    ok = gen_tcp:send(C5, binary:copy(<<"z">>, 2000000)),
    ok = gen_tcp:close(C5),
    p("dropped", drain(A5, 0) < 2000000),
    gen_tcp:close(A5).

drain(S, N) ->
    case gen_tcp:recv(S, 0, 5000) of
        {ok, D} -> drain(S, N + byte_size(D));
        {error, _} -> N
    end.

active_read_closed(L, Port) ->
    %% The peer sends and closes: tcp_closed, the port stays, sends go on.
    {C, A} = pair(L, Port, [{active, true}, {exit_on_close, false}]),
    ok = gen_tcp:send(A, <<"abc">>),
    ok = gen_tcp:close(A),
    p("data", next(C)),
    p("end", next(C)),
    p("recv while active", gen_tcp:recv(C, 0, 100)),
    p("opts", inet:getopts(C, [active, exit_on_close])),
    p("setopts passive", inet:setopts(C, [{active, false}])),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("peername", element(1, inet:peername(C))),
    p("send", gen_tcp:send(C, <<"x">>)),
    timer:sleep(100),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("send fails", gen_tcp:send(C, <<"x">>)),
    p("send", gen_tcp:send(C, <<"x">>)),
    p("send", gen_tcp:send(C, <<"x">>)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("stat", stat(C)),
    p("shutdown", gen_tcp:shutdown(C, write)),
    p("sockname", element(1, inet:sockname(C))),
    p("close", gen_tcp:close(C)),
    %% Staying active: the failed send says nothing more.
    {C2, A2} = pair(L, Port, [{active, true}, {exit_on_close, false}]),
    ok = gen_tcp:close(A2),
    p("end", next(C2)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    timer:sleep(100),
    p("send fails", gen_tcp:send(C2, <<"x">>)),
    p("quiet", quiet(C2)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    p("recv", gen_tcp:recv(C2, 0, 100)),
    p("stat", stat(C2)),
    gen_tcp:close(C2),
    %% {active, once} again after tcp_closed: nothing more; own shutdown.
    {C3, A3} = pair(L, Port, [{active, once}, {exit_on_close, false}]),
    ok = gen_tcp:close(A3),
    p("end", next(C3)),
    p("once again", inet:setopts(C3, [{active, once}])),
    p("quiet", quiet(C3)),
    p("shutdown write", gen_tcp:shutdown(C3, write)),
    p("send", gen_tcp:send(C3, <<"x">>)),
    p("send", gen_tcp:send(C3, <<"x">>)),
    p("send", gen_tcp:send(C3, <<"x">>)),
    p("stat", stat(C3)),
    gen_tcp:close(C3).

passive_read_closed(L, Port) ->
    {C, A} = pair(L, Port, [{active, false}, {exit_on_close, false}]),
    ok = gen_tcp:send(A, <<"abc">>),
    ok = gen_tcp:close(A),
    p("recv", gen_tcp:recv(C, 0, 5000)),
    p("recv end", gen_tcp:recv(C, 0, 5000)),
    p("recv end", gen_tcp:recv(C, 0, 1000)),
    p("send", gen_tcp:send(C, <<"x">>)),
    timer:sleep(100),
    p("send fails", gen_tcp:send(C, <<"x">>)),
    p("stat", stat(C)),
    p("shutdown", gen_tcp:shutdown(C, read_write)),
    p("setopts active", inet:setopts(C, [{active, true}])),
    p("made active", next(C)),
    p("quiet", quiet(C)),
    gen_tcp:close(C),
    %% Made active while only the read side is closed: tcp_closed, then
    %% the socket still sends until it fails.
    {C2, A2} = pair(L, Port, [{active, false}, {exit_on_close, false}]),
    ok = gen_tcp:close(A2),
    p("recv end", gen_tcp:recv(C2, 0, 5000)),
    p("setopts active", inet:setopts(C2, [{active, true}])),
    p("made active", next(C2)),
    p("setopts passive", inet:setopts(C2, [{active, false}])),
    p("recv", gen_tcp:recv(C2, 0, 1000)),
    p("shutdown write", gen_tcp:shutdown(C2, write)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    p("recv", gen_tcp:recv(C2, 0, 1000)),
    p("recv", gen_tcp:recv(C2, 0, 1000)),
    gen_tcp:close(C2).

half_closed(L, Port) ->
    %% The peer shuts its write side: our sends still reach it.
    {C, A} = pair(L, Port, [{active, false}, {exit_on_close, false}]),
    ok = gen_tcp:shutdown(A, write),
    p("recv end", gen_tcp:recv(C, 0, 5000)),
    p("send", gen_tcp:send(C, <<"after half">>)),
    p("peer recv", gen_tcp:recv(A, 0, 5000)),
    p("recv end", gen_tcp:recv(C, 0, 1000)),
    p("send", gen_tcp:send(C, <<"more">>)),
    p("peer recv", gen_tcp:recv(A, 0, 5000)),
    p("stat", stat(C)),
    p("peer stat", stat(A)),
    ok = gen_tcp:close(A),
    timer:sleep(100),
    p("send", gen_tcp:send(C, <<"more">>)),
    timer:sleep(100),
    p("send fails", gen_tcp:send(C, <<"more">>)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("stat", stat(C)),
    gen_tcp:close(C),
    %% With exit_on_close (the default) the end closes the socket.
    {C2, A2} = pair(L, Port, [{active, false}]),
    ok = gen_tcp:shutdown(A2, write),
    p("recv end", gen_tcp:recv(C2, 0, 5000)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    p("send", gen_tcp:send(C2, <<"x">>)),
    p("peer recv", gen_tcp:recv(A2, 0, 5000)),
    p("stat", stat(C2)),
    gen_tcp:close(A2),
    gen_tcp:close(C2).

shutdowns(L, Port) ->
    %% Our own write side: the peer sees the end, we still read.
    {C, A} = pair(L, Port, [{active, false}, {exit_on_close, false}]),
    p("shutdown write", gen_tcp:shutdown(C, write)),
    p("peer recv", gen_tcp:recv(A, 0, 5000)),
    p("peer send", gen_tcp:send(A, <<"back">>)),
    p("recv", gen_tcp:recv(C, 0, 5000)),
    p("send", gen_tcp:send(C, <<"x">>)),
    p("send", gen_tcp:send(C, <<"x">>)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    gen_tcp:close(A),
    gen_tcp:close(C),
    %% Read side.
    {C2, A2} = pair(L, Port, [{active, false}, {exit_on_close, false}]),
    p("shutdown read", gen_tcp:shutdown(C2, read)),
    p("recv", gen_tcp:recv(C2, 0, 1000)),
    p("send", gen_tcp:send(C2, <<"y">>)),
    p("peer recv", gen_tcp:recv(A2, 0, 5000)),
    p("stat", stat(C2)),
    gen_tcp:close(A2),
    gen_tcp:close(C2),
    %% Both.
    {C3, A3} = pair(L, Port, [{active, false}]),
    p("shutdown read_write", gen_tcp:shutdown(C3, read_write)),
    p("peer recv", gen_tcp:recv(A3, 0, 5000)),
    p("recv", gen_tcp:recv(C3, 0, 1000)),
    p("send", gen_tcp:send(C3, <<"y">>)),
    p("send", gen_tcp:send(C3, <<"y">>)),
    p("shutdown again", gen_tcp:shutdown(C3, write)),
    gen_tcp:close(A3),
    gen_tcp:close(C3).

passive_send_fails(L, Port) ->
    %% exit_on_close (the default), passive: the failed send closes the
    %% socket; the next recv answers closed, and made active it says so.
    {C, A} = pair(L, Port, [{active, false}]),
    ok = gen_tcp:close(A),
    timer:sleep(100),
    p("send", gen_tcp:send(C, <<"x">>)),
    timer:sleep(100),
    p("send fails", gen_tcp:send(C, <<"x">>)),
    p("send", gen_tcp:send(C, <<"x">>)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("recv", gen_tcp:recv(C, 0, 1000)),
    p("stat", stat(C)),
    Ref = erlang:monitor(port, C),
    p("setopts active", inet:setopts(C, [{active, true}])),
    p("made active", next(C)),
    p("port", receive {'DOWN', Ref, port, C, Why} -> Why after 5000 -> none end).
