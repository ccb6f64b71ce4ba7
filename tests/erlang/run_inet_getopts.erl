-module(run_inet_getopts).
-export([main/0]).

%% inet:getopts/2 of every option, one at a time and all at once, for a
%% UDP socket and a listening TCP socket (session 23): socket options are
%% read back from the socket (the kernel's sizes, multicast defaults),
%% driver options have erl's defaults, and options of the other protocol
%% are left out (not multicast_if: erl's answer holds bytes its driver
%% did not set). Then multicast and socket options set on a UDP socket
%% before and after it is bound, gen_tcp:listen's options, and gen_udp's
%% {active, N} ending in udp_passive.

opts() ->
    [active, broadcast, buffer, delay_send, deliver, dontroute,
     exit_on_close, header, high_msgq_watermark, high_watermark,
     ipv6_v6only, keepalive, linger, low_msgq_watermark, low_watermark,
     mode, nodelay, packet, packet_size, priority, read_packets, recbuf,
     reuseaddr, send_timeout, send_timeout_close, show_econnreset, sndbuf,
     tos, tclass, ttl, recvtos, recvttl, recvtclass, multicast_loop,
     multicast_ttl, bind_to_device, netns].

each(Tag, S) ->
    [io:format("~s ~p: ~p~n", [Tag, O, inet:getopts(S, [O])]) || O <- opts()],
    Good = [O || O <- opts(), element(1, inet:getopts(S, [O])) =:= ok],
    io:format("~s all: ~p~n", [Tag, inet:getopts(S, Good)]).

main() ->
    {ok, U} = gen_udp:open(0, [{ip, {127,0,0,1}}]),
    each("udp", U),
    gen_udp:close(U),
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, {backlog, 7},
                                 {reuseaddr, true}]),
    each("listen", L),
    io:format("listen peername: ~p~n", [inet:peername(L)]),
    gen_tcp:close(L),
    multicast(),
    listen_opts(),
    active_n().

multicast() ->
    {ok, U} = gen_udp:open(0, [{ip, {127,0,0,1}}, {multicast_ttl, 4},
                               {multicast_loop, false}, {recbuf, 20000},
                               {reuseaddr, true}, {broadcast, true}]),
    Opts = [multicast_ttl, multicast_loop, recbuf, reuseaddr, broadcast, ttl],
    io:format("set at open: ~p~n", [inet:getopts(U, Opts)]),
    ok = inet:setopts(U, [{multicast_ttl, 9}, {multicast_loop, true},
                          {multicast_if, {127,0,0,1}}, {ttl, 33},
                          {sndbuf, 30000}, {priority, 3}, {tos, 16}]),
    io:format("set after: ~p~n",
              [inet:getopts(U, Opts ++ [sndbuf, priority, tos])]),
    gen_udp:close(U).

listen_opts() ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, {backlog, 1},
                                 {reuseaddr, false}, {recbuf, 10000},
                                 {keepalive, true}, {nodelay, true}]),
    io:format("listen set: ~p~n",
              [inet:getopts(L, [reuseaddr, recbuf, keepalive, nodelay])]),
    {ok, P} = inet:port(L),
    io:format("port nonzero: ~p~n", [P > 0]),
    %% The same port again while it listens: eaddrinuse.
    io:format("again: ~p~n", [gen_tcp:listen(P, [{ip, {127,0,0,1}}])]),
    gen_tcp:close(L),
    {ok, L2} = gen_tcp:listen(0, [{ifaddr, {127,0,0,1}}]),
    {ok, {Addr, _}} = inet:sockname(L2),
    io:format("ifaddr: ~p~n", [Addr]),
    gen_tcp:close(L2).

active_n() ->
    {ok, S} = gen_udp:open(0, [{ip, {127,0,0,1}}]),
    {ok, R} = gen_udp:open(0, [{ip, {127,0,0,1}}, binary, {active, 2}]),
    {ok, RP} = inet:port(R),
    [ok = gen_udp:send(S, {127,0,0,1}, RP, <<N>>) || N <- [1, 2, 3]],
    Got = [receive
               {udp, R, _, _, D} -> D;
               {udp_passive, R} -> passive
           after 5000 -> none
           end || _ <- [1, 2, 3]],
    io:format("active 2: ~p~n", [Got]),
    io:format("now: ~p~n", [inet:getopts(R, [active])]),
    io:format("third: ~p~n", [element(3, element(2, gen_udp:recv(R, 0, 5000)))]),
    ok = inet:setopts(R, [{active, 1}]),
    ok = gen_udp:send(S, {127,0,0,1}, RP, <<4>>),
    Got2 = [receive
                {udp, R, _, _, D} -> D;
                {udp_passive, R} -> passive
            after 5000 -> none
            end || _ <- [1, 2]],
    io:format("active 1: ~p~n", [Got2]),
    gen_udp:close(R),
    gen_udp:close(S).
