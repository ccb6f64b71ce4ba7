-module(run_tcp_socket_backend).
-export([main/0]).

%% gen_tcp and gen_udp with {inet_backend, socket} (gen_tcp_socket and
%% gen_udp_socket on OTP's socket module) over 127.0.0.1: passive and
%% active modes, packet framing, options, close seen by the peer, errors;
%% a server process echoing to two client processes. Only deterministic
%% values are printed.

-define(B, {inet_backend, socket}).

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

pair(LOpts, COpts) ->
    {ok, L} = gen_tcp:listen(0, [?B, {ip, {127,0,0,1}}, {active, false} | LOpts]),
    {ok, Port} = inet:port(L),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [?B, {active, false} | COpts], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    ok = gen_tcp:close(L),
    {C, A}.

main() ->
    logger:set_primary_config(level, none),
    {ok, L} = gen_tcp:listen(0, [?B, binary, {active, false}, {reuseaddr, true}, {ip, {127,0,0,1}}]),
    {ok, Port} = inet:port(L),
    p(port_positive, Port > 0),
    p(listen_opts, inet:getopts(L, [active, reuseaddr, mode, packet])),
    p(accept_timeout, gen_tcp:accept(L, 50)),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [?B, binary, {active, false}], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    {ok, {_, CPort}} = inet:sockname(C),
    p(peer_matches, inet:peername(A) =:= {ok, {{127,0,0,1}, CPort}}),
    ok = gen_tcp:send(C, <<"ping">>),
    p(recv4, gen_tcp:recv(A, 4, 2000)),
    ok = gen_tcp:send(C, ["ab", <<"cd">>, $e]),
    p(recv5, gen_tcp:recv(A, 5, 2000)),
    p(recv_timeout, gen_tcp:recv(A, 0, 50)),
    Big = binary:copy(<<"0123456789">>, 50000),
    ok = gen_tcp:send(A, Big),
    p(big, begin {ok, Got} = gen_tcp:recv(C, byte_size(Big), 5000), Got =:= Big end),
    p(opts, inet:getopts(A, [active, nodelay, mode, packet, keepalive])),
    p(setopts, inet:setopts(A, [{nodelay, true}, {keepalive, true}])),
    p(opts_after, inet:getopts(A, [nodelay, keepalive])),
    %% Active modes.
    ok = inet:setopts(A, [{active, once}]),
    ok = gen_tcp:send(C, <<"one">>),
    p(active_once, receive {tcp, A, D1} -> D1 after 2000 -> none end),
    p(after_once, inet:getopts(A, [active])),
    ok = inet:setopts(A, [{active, 2}]),
    ok = gen_tcp:send(C, <<"two">>),
    p(active_n1, receive {tcp, A, D2} -> D2 after 2000 -> none end),
    ok = gen_tcp:send(C, <<"three">>),
    p(active_n2, receive {tcp, A, D3} -> D3 after 2000 -> none end),
    p(passive_msg, receive {tcp_passive, A} -> tcp_passive after 2000 -> none end),
    ok = inet:setopts(A, [{active, true}, list]),
    ok = gen_tcp:close(C),
    p(closed_msg, receive {tcp_closed, A} -> tcp_closed after 2000 -> none end),
    p(send_after_close, case gen_tcp:send(A, <<"x">>) of
                            ok -> ok;
                            {error, E} when E =:= closed; E =:= epipe; E =:= econnreset -> error
                        end),
    gen_tcp:close(A),
    %% Packet framing.
    {C4, A4} = pair([binary, {packet, 4}], [binary, {packet, 4}]),
    ok = gen_tcp:send(C4, <<"framed message">>),
    ok = gen_tcp:send(C4, <<>>),
    ok = gen_tcp:send(C4, <<"second">>),
    p(packet4, [gen_tcp:recv(A4, 0, 2000) || _ <- [1, 2, 3]]),
    ok = inet:setopts(A4, [{active, true}]),
    ok = gen_tcp:send(C4, <<"active framed">>),
    p(packet4_active, receive {tcp, A4, F} -> F after 2000 -> none end),
    gen_tcp:close(C4), gen_tcp:close(A4),
    {C2, A2} = pair([list, {packet, 2}], [binary, {packet, 2}]),
    ok = gen_tcp:send(C2, <<"two-byte header">>),
    p(packet2_list, gen_tcp:recv(A2, 0, 2000)),
    gen_tcp:close(C2), gen_tcp:close(A2),
    {CL, AL} = pair([binary, {packet, line}], [binary]),
    ok = gen_tcp:send(CL, <<"line one\nline two\npartial">>),
    p(line1, gen_tcp:recv(AL, 0, 2000)),
    p(line2, gen_tcp:recv(AL, 0, 2000)),
    gen_tcp:close(CL), gen_tcp:close(AL),
    %% Shutdown: the peer reads the end.
    {CS, AS} = pair([binary], [binary]),
    ok = gen_tcp:send(CS, <<"last">>),
    p(shutdown, gen_tcp:shutdown(CS, write)),
    p(before_end, gen_tcp:recv(AS, 0, 2000)),
    p(at_end, gen_tcp:recv(AS, 0, 2000)),
    gen_tcp:close(CS), gen_tcp:close(AS),
    %% Errors.
    ok = gen_tcp:close(L),
    p(refused, gen_tcp:connect({127,0,0,1}, Port, [?B], 2000)),
    p(closed_recv, gen_tcp:recv(A, 0, 10)),
    %% A server process echoing (active once) to two clients in turn.
    echo(),
    udp(),
    ok.

echo() ->
    Self = self(),
    {ok, L} = gen_tcp:listen(0, [?B, binary, {active, false}, {ip, {127,0,0,1}}, {packet, 2}]),
    {ok, Port} = inet:port(L),
    Server = spawn_link(fun() -> server(L, Self, 2) end),
    %% One client at a time: the server serves in turn.
    Results = [begin
                   Pid = spawn_link(fun() -> client(Port, Self, N) end),
                   receive {client, Pid, R} -> R end
               end || N <- [1, 2]],
    p(echo, Results),
    receive {server_done, Server} -> p(server, done) end,
    gen_tcp:close(L).

server(_L, Parent, 0) ->
    Parent ! {server_done, self()};
server(L, Parent, K) ->
    {ok, S} = gen_tcp:accept(L, 5000),
    serve(S),
    server(L, Parent, K - 1).

serve(S) ->
    ok = inet:setopts(S, [{active, once}]),
    receive
        {tcp, S, <<"bye">>} -> gen_tcp:close(S);
        {tcp, S, Data} -> ok = gen_tcp:send(S, <<"echo:", Data/binary>>), serve(S);
        {tcp_closed, S} -> ok
    end.

client(Port, Parent, N) ->
    {ok, S} = gen_tcp:connect({127,0,0,1}, Port, [?B, binary, {active, false}, {packet, 2}], 5000),
    Rs = [begin
              ok = gen_tcp:send(S, <<"msg", (integer_to_binary(N))/binary, "-", (integer_to_binary(I))/binary>>),
              {ok, R} = gen_tcp:recv(S, 0, 5000),
              R
          end || I <- [1, 2, 3]],
    ok = gen_tcp:send(S, <<"bye">>),
    Closed = gen_tcp:recv(S, 0, 5000),
    gen_tcp:close(S),
    Parent ! {client, self(), {Rs, Closed}}.

udp() ->
    {ok, U} = gen_udp:open(0, [?B, binary, {active, false}, {ip, {127,0,0,1}}]),
    {ok, UPort} = inet:port(U),
    {ok, U2} = gen_udp:open(0, [?B, binary, {active, false}, {ip, {127,0,0,1}}]),
    {ok, U2Port} = inet:port(U2),
    ok = gen_udp:send(U2, {127,0,0,1}, UPort, <<"datagram">>),
    p(udp_recv, case gen_udp:recv(U, 0, 2000) of
                    {ok, {{127,0,0,1}, U2Port, D}} -> {from_u2, D};
                    Other -> Other
                end),
    p(udp_timeout, gen_udp:recv(U, 0, 50)),
    ok = inet:setopts(U, [{active, once}]),
    ok = gen_udp:send(U2, {127,0,0,1}, UPort, <<"active">>),
    p(udp_active, receive {udp, U, {127,0,0,1}, U2Port, DA} -> DA after 2000 -> none end),
    p(udp_opts, inet:getopts(U, [active, mode])),
    gen_udp:close(U),
    gen_udp:close(U2).
