%% The TLS failures a user of ssl meets, each on both sides of one
%% connection over 127.0.0.1: a server certificate from a CA the client
%% does not trust, a host name the certificate does not name, a server
%% demanding a client certificate (given, and not), a handshake that
%% times out on either side, a peer that closes during the handshake, a
%% refused connection and options ssl refuses. Only the error's shape is
%% printed (the alert's text names the reason). Certificates from
%% ssl_certs/ (made once by openssl).
-module(run_ssl_errors).
-export([main/0]).

-include("ssl_cert_file.hrl").

%% An error's deterministic part: the alert's atom, not its description.
shape({error, {tls_alert, {Alert, _Text}}}) -> {error, {tls_alert, Alert}};
shape({ok, _}) -> ok;
shape(Other) -> Other.

main() ->
    logger:set_primary_config(level, none),
    {ok, _} = application:ensure_all_started(ssl),
    [begin
         io:format("== ~p~n", [V]),
         case_(V, unknown_ca, rsa, [], [{verify, verify_peer}, {cacertfile, file("other_ca.pem")}]),
         case_(V, hostname, rsa, [], [{verify, verify_peer}, {cacertfile, file("ca.pem")},
                                      {server_name_indication, "other.example"}]),
         case_(V, hostname_ok, ec, [], [{verify, verify_peer}, {cacertfile, file("ca.pem")},
                                         {server_name_indication, "localhost"}]),
         case_(V, no_client_cert, ec, [{verify, verify_peer}, {fail_if_no_peer_cert, true},
                                        {cacertfile, file("ca.pem")}],
               [{verify, verify_none}]),
         case_(V, client_cert, ec, [{verify, verify_peer}, {fail_if_no_peer_cert, true},
                                     {cacertfile, file("ca.pem")}],
               [{verify, verify_peer}, {cacertfile, file("ca.pem")},
                {certfile, file("rsa_cert.pem")}, {keyfile, file("rsa_key.pem")}]),
         case_(V, client_cert_unknown_ca, ec, [{verify, verify_peer}, {fail_if_no_peer_cert, true},
                                                {cacertfile, file("other_ca.pem")}],
               [{verify, verify_none},
                {certfile, file("rsa_cert.pem")}, {keyfile, file("rsa_key.pem")}])
     end || V <- ['tlsv1.3', 'tlsv1.2']],
    server_timeout(),
    client_timeout(),
    peer_closes(),
    refused(),
    options(),
    ok.

%% One connection: the server (a process of its own) reports its
%% handshake's result, then the client's is printed.
case_(V, Name, K, ServerOpts, ClientOpts) ->
    {ok, L} = ssl:listen(0, [{certfile, file(atom_to_list(K) ++ "_cert.pem")},
                             {keyfile, file(atom_to_list(K) ++ "_key.pem")},
                             {versions, [V]}, {active, false} | ServerOpts]),
    {ok, {_, Port}} = ssl:sockname(L),
    Test = self(),
    Server = spawn_link(fun() ->
        {ok, T} = ssl:transport_accept(L, 5000),
        R = ssl:handshake(T, 5000),
        Test ! {self(), shape(R)},
        case R of
            {ok, S} ->
                Test ! {self(), peer, element(1, ssl:peercert(S))},
                receive close -> ssl:close(S) end;
            _ -> ok
        end
    end),
    %% Active, so that an alert after the handshake comes as a message
    %% whether or not the connection has ended by the time it is read.
    C = ssl:connect("localhost", Port, [{versions, [V]}, {active, once} | ClientOpts], 5000),
    S = receive {Server, SR} -> SR end,
    io:format("~p: client ~p server ~p~n", [Name, shape(C), S]),
    case {C, S} of
        {{ok, Sock}, ok} ->
            receive {Server, peer, P} -> io:format("  server peercert ~p~n", [P]) end,
            Server ! close,
            ssl:close(Sock);
        {{ok, Sock}, _} ->
            %% TLS 1.3's client finishes before the server checks its
            %% certificate: the refusal arrives after, as an alert.
            io:format("  then ~p~n", [receive
                                          {ssl_error, Sock, E} -> {ssl_error, shape({error, E})};
                                          {ssl_closed, Sock} -> ssl_closed
                                      after 5000 -> timeout
                                      end]),
            ssl:close(Sock);
        _ -> ok
    end,
    ssl:close(L).

%% A client that connects over TCP and says nothing: the server's
%% handshake times out.
server_timeout() ->
    {ok, L} = ssl:listen(0, [{certfile, file("ec_cert.pem")}, {keyfile, file("ec_key.pem")}]),
    {ok, {_, Port}} = ssl:sockname(L),
    {ok, Tcp} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}]),
    {ok, T} = ssl:transport_accept(L, 5000),
    io:format("server timeout: ~p~n", [ssl:handshake(T, 100)]),
    io:format("  tcp client sees: ~p~n", [gen_tcp:recv(Tcp, 0, 5000)]),
    gen_tcp:close(Tcp),
    ssl:close(L).

%% A TCP server that accepts and says nothing: the client's handshake
%% times out.
client_timeout() ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(L),
    Test = self(),
    Acceptor = spawn_link(fun() ->
        {ok, A} = gen_tcp:accept(L, 5000),
        {ok, Hello} = gen_tcp:recv(A, 5, 5000),
        Test ! {self(), record_header, Hello},
        receive close -> gen_tcp:close(A) end
    end),
    R = ssl:connect({127, 0, 0, 1}, Port, [{verify, verify_none}], 100),
    io:format("client timeout: ~p~n", [R]),
    receive {Acceptor, record_header, <<22, 3, _, _, _>>} -> io:format("  client hello seen~n") end,
    Acceptor ! close,
    gen_tcp:close(L).

%% A TCP server that reads the ClientHello and closes: the client sees
%% the connection closed; and a server whose TCP client closes at once.
peer_closes() ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(L),
    spawn_link(fun() ->
        {ok, A} = gen_tcp:accept(L, 5000),
        {ok, _} = gen_tcp:recv(A, 5, 5000),
        gen_tcp:close(A)
    end),
    io:format("peer closes: ~p~n", [ssl:connect({127, 0, 0, 1}, Port, [{verify, verify_none}], 5000)]),
    gen_tcp:close(L),
    {ok, SL} = ssl:listen(0, [{certfile, file("ec_cert.pem")}, {keyfile, file("ec_key.pem")}]),
    {ok, {_, SPort}} = ssl:sockname(SL),
    {ok, Tcp} = gen_tcp:connect({127, 0, 0, 1}, SPort, [binary, {active, false}]),
    ok = gen_tcp:close(Tcp),
    {ok, T} = ssl:transport_accept(SL, 5000),
    io:format("client closes: ~p~n", [ssl:handshake(T, 5000)]),
    {ok, Tcp2} = gen_tcp:connect({127, 0, 0, 1}, SPort, [binary, {active, false}]),
    ok = gen_tcp:send(Tcp2, <<"GET / HTTP/1.0\r\n\r\n">>),
    {ok, T2} = ssl:transport_accept(SL, 5000),
    io:format("not tls: ~p~n", [shape(ssl:handshake(T2, 5000))]),
    gen_tcp:close(Tcp2),
    ssl:close(SL).

refused() ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(L),
    gen_tcp:close(L),
    io:format("refused: ~p~n", [ssl:connect({127, 0, 0, 1}, Port, [{verify, verify_none}], 5000)]).

options() ->
    io:format("no cacerts: ~p~n", [ssl:connect("localhost", 1, [{verify, verify_peer}], 1000)]),
    io:format("bad version: ~p~n", [ssl:connect("localhost", 1, [{versions, [tlsv9]}], 1000)]),
    io:format("bad suite: ~p~n", [ssl:listen(0, [{ciphers, [nonsense]}])]),
    %% (the file is read at the first handshake)
    io:format("missing cert file: ~p~n",
              [element(1, ssl:listen(0, [{certfile, file("absent.pem")},
                                         {keyfile, file("ec_key.pem")}]))]),
    io:format("no cert: ~p~n", [ssl:listen(0, [])]).
