-module(run_tcp_basic).
-export([main/0]).

%% gen_tcp in passive mode, both ends in one process over 127.0.0.1:
%% listen, accept, connect, send and recv, framing, options, shutdown,
%% close. Only deterministic values are printed.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

pair(LOpts, COpts) ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, {active, false} | LOpts]),
    {ok, Port} = inet:port(L),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [{active, false} | COpts], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    ok = gen_tcp:close(L),
    {C, A}.

main() ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, {reuseaddr, true}, {active, false}]),
    {ok, Port} = inet:port(L),
    p(port_positive, Port > 0),
    {ok, {SIp, SPort}} = inet:sockname(L),
    p(sockname, {SIp, SPort =:= Port}),
    p(listen_opts, inet:getopts(L, [reuseaddr, active, packet, mode])),
    p(accept_timeout, gen_tcp:accept(L, 50)),
    p(accept_zero, gen_tcp:accept(L, 0)),
    p(peername_listen, inet:peername(L)),
    {ok, C} = gen_tcp:connect("localhost", Port, [binary, {active, false}], 5000),
    {ok, A} = gen_tcp:accept(L),
    {ok, CName} = inet:sockname(C),
    {ok, APeer} = inet:peername(A),
    p(names_agree, CName =:= APeer),
    {ok, {CPeerIp, CPeerPort}} = inet:peername(C),
    p(peer, {CPeerIp, CPeerPort =:= Port}),
    p(port_info_name, erlang:port_info(C, name)),
    p(modes, {inet:getopts(C, [mode]), inet:getopts(A, [mode])}),
    %% passive send and recv
    p(send, gen_tcp:send(C, <<"hello world">>)),
    p(recv5, gen_tcp:recv(A, 5)),
    p(recv6, gen_tcp:recv(A, 6, 1000)),
    p(recv_timeout, gen_tcp:recv(A, 0, 50)),
    p(send_iolist, gen_tcp:send(A, ["ab", [$c, <<"de">>], <<>>])),
    p(recv_bin, gen_tcp:recv(C, 5, 1000)),
    p(send_more, gen_tcp:send(C, "xyz")),
    p(recv_more, gen_tcp:recv(A, 3, 1000)),
    p(send_empty, gen_tcp:send(C, <<>>)),
    p(recv_len_2_of_3, [gen_tcp:send(C, "123"), gen_tcp:recv(A, 2, 1000), gen_tcp:recv(A, 1, 1000)]),
    Big = binary:copy(<<"0123456789">>, 50000),
    p(send_big, gen_tcp:send(C, Big)),
    p(recv_big, recv_all(A, byte_size(Big), []) =:= binary_to_list(Big)),
    %% options
    p(setopts, inet:setopts(C, [{nodelay, true}, {keepalive, true}, {buffer, 4096},
                                {send_timeout, 3000}, {recbuf, 8192}, {sndbuf, 8192}])),
    p(getopts, inet:getopts(C, [nodelay, keepalive, buffer, send_timeout, active, packet, header])),
    {ok, [{recbuf, RB}, {sndbuf, SB}]} = inet:getopts(C, [recbuf, sndbuf]),
    p(bufs_set, {RB >= 8192, SB >= 8192}),
    p(bad_opt, inet:setopts(C, [{packet, 17}])),
    p(bad_opt2, inet:setopts(C, [{active, maybe}])),
    p(getopt_unknown, inet:getopts(C, [no_such_option])),
    %% IPv6's options on an IPv4 socket are left out of the answer.
    p(getopt_v6_on_v4, inet:getopts(C, [tclass, nodelay, ipv6_v6only, recvtclass])),
    p(recv_active, [inet:setopts(A, [{active, true}]), gen_tcp:recv(A, 0, 10),
                    inet:setopts(A, [{active, false}])]),
    %% getstat
    {ok, St} = inet:getstat(C, [send_oct, send_cnt]),
    p(getstat, St),
    ok = gen_tcp:close(C),
    ok = gen_tcp:close(A),
    framing(),
    closing(),
    refused(L),
    ok.

recv_all(_S, 0, Acc) -> lists:append(lists:reverse(Acc));
recv_all(S, N, Acc) ->
    {ok, D} = gen_tcp:recv(S, 0, 5000),
    recv_all(S, N - length(D), [D | Acc]).

framing() ->
    {C, A} = pair([binary], [binary]),
    [begin
         ok = inet:setopts(C, [{packet, P}]),
         ok = inet:setopts(A, [{packet, P}]),
         p({packet, P}, [gen_tcp:send(C, <<"one">>), gen_tcp:send(C, <<>>),
                         gen_tcp:send(C, binary:copy(<<"z">>, 200)),
                         gen_tcp:recv(A, 0, 1000), gen_tcp:recv(A, 0, 1000),
                         byte_size(element(2, gen_tcp:recv(A, 0, 1000)))])
     end || P <- [1, 2, 4]],
    p(recv_len_in_packet_mode, gen_tcp:recv(A, 3, 10)),
    %% what a {packet, 2} sender puts on the wire, seen raw
    ok = inet:setopts(A, [{packet, raw}]),
    ok = inet:setopts(C, [{packet, 2}]),
    p(raw_view, [gen_tcp:send(C, "hi"), gen_tcp:recv(A, 4, 1000)]),
    ok = inet:setopts(C, [{packet, raw}]),
    %% lines
    ok = inet:setopts(A, [{packet, line}]),
    p(lines, [gen_tcp:send(C, "first\nsecond\nthi"), gen_tcp:recv(A, 0, 1000),
              gen_tcp:recv(A, 0, 1000), gen_tcp:recv(A, 0, 50),
              gen_tcp:send(C, "rd\n"), gen_tcp:recv(A, 0, 1000)]),
    %% header in binary mode, then list mode
    ok = inet:setopts(A, [{packet, 1}, {header, 2}]),
    ok = inet:setopts(C, [{packet, 1}]),
    p(header, [gen_tcp:send(C, "abcdef"), gen_tcp:recv(A, 0, 1000)]),
    ok = inet:setopts(A, [list, {header, 0}]),
    p(list_mode, [gen_tcp:send(C, "abc"), gen_tcp:recv(A, 0, 1000), inet:getopts(A, [mode])]),
    %% packet_size: a longer packet is an error and closes the socket
    ok = inet:setopts(A, [{packet_size, 4}]),
    p(packet_size, [gen_tcp:send(C, "abcd"), gen_tcp:recv(A, 0, 1000),
                    gen_tcp:send(C, "abcde"), gen_tcp:recv(A, 0, 1000),
                    gen_tcp:recv(A, 0, 1000)]),
    gen_tcp:close(A),
    gen_tcp:close(C).

closing() ->
    %% shutdown(write): the peer reads the data then the end; the other
    %% direction still works
    {C, A} = pair([], []),
    p(shutdown, [gen_tcp:send(C, "bye"), gen_tcp:shutdown(C, write),
                 gen_tcp:recv(A, 3, 1000), gen_tcp:recv(A, 0, 1000),
                 gen_tcp:send(A, "back"), gen_tcp:recv(C, 4, 1000)]),
    gen_tcp:close(A),
    gen_tcp:close(C),
    %% close: the peer reads what was sent, then closed, then enotconn
    {C2, A2} = pair([], []),
    p(close, [gen_tcp:send(C2, "last"), gen_tcp:close(C2), gen_tcp:recv(A2, 4, 1000),
              gen_tcp:recv(A2, 0, 1000), gen_tcp:recv(A2, 0, 1000),
              gen_tcp:send(A2, "x"), gen_tcp:send(A2, "x")]),
    p(closed_ops, [gen_tcp:send(C2, "x"), gen_tcp:recv(C2, 0), inet:setopts(C2, [{active, true}]),
                   gen_tcp:close(C2)]),
    gen_tcp:close(A2).

refused(L) ->
    {ok, Port} = inet:port(L),
    ok = gen_tcp:close(L),
    p(accept_closed, gen_tcp:accept(L, 10)),
    p(refused, gen_tcp:connect({127,0,0,1}, Port, [], 5000)),
    p(bad_port, err(fun() -> gen_tcp:connect({127,0,0,1}, -1, []) end)),
    p(bad_address, err(fun() -> gen_tcp:connect({127,0,0,1,5}, 80, []) end)),
    p(bad_listen_opt, err(fun() -> gen_tcp:listen(0, [{packet, nine}]) end)).

err(F) ->
    try F() catch C:R -> {C, if is_tuple(R) -> element(1, R); true -> R end} end.
