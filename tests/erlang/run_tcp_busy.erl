-module(run_tcp_busy).
-export([main/0]).

%% Busy sockets (session 23): a send that finds output queued and leaves
%% it at or over high_watermark makes the port busy and its reply waits
%% until the queue is written down to low_watermark, or send_timeout
%% passes ({error, timeout}; send_timeout_close then closes the socket;
%% send_timeout 0 answers timeout at once). While the port is busy,
%% port_command with nosuspend answers false (gen_tcp:send with it
%% {error, busy}), force takes the data, and a plain send waits (another
%% process's too) until a reader drains the peer; the held reply goes to
%% the last command's caller, once; a system monitor watching busy_port
%% hears of the process that waits. The peer reads nothing
%% until the test says so, so each step's state is fixed; queue sizes
%% depend on the kernel's buffers and are shown only as comparisons.

p(Tag, V) -> io:format("~s: ~p~n", [Tag, V]).

pair(L, Port, Opts) ->
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [binary, {active, false},
                                                 {sndbuf, 4096} | Opts], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    {C, A}.

pend(S) ->
    {ok, [{send_pend, N}]} = inet:getstat(S, [send_pend]),
    N.

%% Reads S until Total bytes came; answers the count.
drain(S, Total) -> drain(S, Total, 0).
drain(_, Total, N) when N >= Total -> N;
drain(S, Total, N) ->
    case gen_tcp:recv(S, 0, 5000) of
        {ok, D} -> drain(S, Total, N + byte_size(D));
        {error, E} -> {error, E, N}
    end.

big() -> binary:copy(<<"b">>, 200000).

main() ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, {127,0,0,1}},
                                 {recbuf, 4096}]),
    {ok, Port} = inet:port(L),
    options(L, Port),
    busy(L, Port),
    timeouts(L, Port),
    gen_tcp:close(L).

options(L, Port) ->
    {C, A} = pair(L, Port, []),
    Opts = [high_watermark, low_watermark, send_timeout, send_timeout_close],
    p("defaults", inet:getopts(C, Opts)),
    ok = inet:setopts(C, [{high_watermark, 20000}, {low_watermark, 10000},
                          {send_timeout, 300}, {send_timeout_close, true}]),
    p("set", inet:getopts(C, Opts)),
    {'EXIT', {Bad, _}} = (catch erlang:port_command(C, <<>>, [bad])),
    p("bad flag", Bad),
    gen_tcp:close(A),
    gen_tcp:close(C).

busy(L, Port) ->
    {C, A} = pair(L, Port, []),
    %% Written as far as the socket takes it, the rest queued: ok.
    p("big send", gen_tcp:send(C, big())),
    p("queued over high", pend(C) >= 8192),
    p("not busy yet", erlang:port_command(C, <<"1">>, [nosuspend])),
    %% That command found output queued over high_watermark: busy, and
    %% its reply waits.
    p("busy", erlang:port_command(C, <<"2">>, [nosuspend])),
    p("busy send", prim_inet:send(C, <<"2">>, [nosuspend])),
    p("forced", erlang:port_command(C, <<"3">>, [force])),
    Main = self(),
    Mon = spawn(fun() ->
        receive {monitor, P, busy_port, Po} -> Main ! {busy_port, P, Po} end
    end),
    erlang:system_monitor(Mon, [busy_port]),
    Other = spawn(fun() ->
        Main ! {sending, self()},
        Main ! {sent, self(), gen_tcp:send(C, <<"4">>)}
    end),
    receive {sending, Other} -> ok end,
    p("busy_port", receive {busy_port, P, Po} -> {P =:= Other, Po =:= C}
                   after 5000 -> none end),
    erlang:system_monitor(undefined),
    p("still busy", erlang:port_command(C, <<"5">>, [nosuspend])),
    p("drained", drain(A, 200000 + 3)),
    %% One reply for the command that made the port busy and the forced
    %% one: the driver answers the last caller once.
    p("reply", receive {inet_reply, C, R} -> R after 5000 -> none end),
    p("other", receive {sent, Other, Ro} -> Ro after 5000 -> none end),
    p("after", gen_tcp:send(C, <<"6">>)),
    p("read", gen_tcp:recv(A, 1, 5000)),
    p("stat", inet:getstat(C, [send_cnt, send_oct, send_pend])),
    p("quiet", receive M -> M after 100 -> none end),
    gen_tcp:close(A),
    gen_tcp:close(C).

timeouts(L, Port) ->
    {C, A} = pair(L, Port, [{send_timeout, 100}]),
    p("big send", gen_tcp:send(C, big())),
    p("times out", gen_tcp:send(C, <<"x">>)),
    p("still queued", pend(C) > 0),
    p("not busy", erlang:port_command(C, <<"y">>, [nosuspend])),
    p("times out again", receive {inet_reply, C, R1} -> R1 after 5000 -> none end),
    p("drained", drain(A, 200000 + 2)),
    p("after", gen_tcp:send(C, <<"z">>)),
    p("read", gen_tcp:recv(A, 1, 5000)),
    gen_tcp:close(A),
    gen_tcp:close(C),
    %% send_timeout 0: at once.
    {C2, A2} = pair(L, Port, [{send_timeout, 0}]),
    p("big send", gen_tcp:send(C2, big())),
    p("at once", gen_tcp:send(C2, <<"x">>)),
    p("not busy", erlang:port_command(C2, <<"y">>, [nosuspend])),
    p("reply", receive {inet_reply, C2, R2} -> R2 after 5000 -> none end),
    p("drained", drain(A2, 200000 + 2)),
    gen_tcp:close(A2),
    gen_tcp:close(C2),
    %% send_timeout_close: the socket closes.
    {C3, A3} = pair(L, Port, [{send_timeout, 100}, {send_timeout_close, true}]),
    p("big send", gen_tcp:send(C3, big())),
    p("times out", gen_tcp:send(C3, <<"x">>)),
    p("send", gen_tcp:send(C3, <<"x">>)),
    p("recv", gen_tcp:recv(C3, 0, 100)),
    p("port open", is_list(erlang:port_info(C3))),
    p("peer reads", element(1, drain(A3, 200001))),
    gen_tcp:close(A3),
    gen_tcp:close(C3).
