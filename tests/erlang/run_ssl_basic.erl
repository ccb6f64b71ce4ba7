%% TLS through OTP's own ssl application over 127.0.0.1: the application
%% starts, a server (ssl:listen with a certificate and key made once by
%% openssl, in ssl_certs/) and a client in the same node, for TLS 1.3 and
%% 1.2 with the default suites and RSA and ECDSA certificates: the
%% handshake with verify_peer against the test CA and with verify_none,
%% the negotiated protocol and suite on both sides, the peer certificate,
%% data echoed in passive mode (whole and by length), in active once/true/N
%% mode, and each side seeing the other close. Every step waits for the
%% one before it (the server reports each stage to the test process).
-module(run_ssl_basic).
-export([main/0]).

-include_lib("public_key/include/public_key.hrl").

-include("ssl_cert_file.hrl").

cert_der(Name) ->
    {ok, Pem} = file:read_file(file(Name)),
    [{'Certificate', Der, not_encrypted}] = public_key:pem_decode(Pem),
    Der.

main() ->
    logger:set_primary_config(level, none),
    io:format("start: ~p~n", [application:ensure_all_started(ssl)]),
    io:format("versions: ~p~n", [ssl:versions()]),
    io:format("tls13 suites: ~p~n", [ssl:cipher_suites(default, 'tlsv1.3')]),
    io:format("tls12 suites: ~p~n",
              [[ssl:suite_to_str(S) || S <- ssl:cipher_suites(default, 'tlsv1.2')]]),
    io:format("tls12 all: ~p~n", [length(ssl:cipher_suites(all, 'tlsv1.2'))]),
    io:format("str_to_suite: ~p~n",
              [ssl:str_to_suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")]),
    [session(V, K, Verify) || V <- ['tlsv1.3', 'tlsv1.2'], K <- [rsa, ec],
                              Verify <- [verify_peer, verify_none]],
    io:format("stop: ~p~n", [application:stop(ssl)]).

server_opts(V, K) ->
    [{certfile, file(atom_to_list(K) ++ "_cert.pem")},
     {keyfile, file(atom_to_list(K) ++ "_key.pem")},
     {versions, [V]}, {active, false}, binary, {reuseaddr, true}].

client_opts(V, verify_peer) ->
    [{verify, verify_peer}, {cacertfile, file("ca.pem")},
     {versions, [V]}, {active, false}, binary];
client_opts(V, verify_none) ->
    [{verify, verify_none}, {versions, [V]}, {active, false}, binary].

session(V, K, Verify) ->
    io:format("== ~p ~p ~p~n", [V, K, Verify]),
    {ok, L} = ssl:listen(0, server_opts(V, K)),
    {ok, {_, Port}} = ssl:sockname(L),
    Test = self(),
    Server = spawn_link(fun() -> server(L, Test) end),
    {ok, C} = ssl:connect("localhost", Port, client_opts(V, Verify), 5000),
    S = receive {Server, handshake, R} -> R end,
    io:format("server handshake: ~p~n", [S]),
    io:format("client info: ~p~n",
              [ssl:connection_information(C, [protocol, selected_cipher_suite])]),
    receive {Server, info, Info} -> io:format("server info: ~p~n", [Info]) end,
    {ok, Peer} = ssl:peercert(C),
    Der = cert_der(atom_to_list(K) ++ "_cert.pem"),
    #'OTPCertificate'{tbsCertificate = Tbs} = public_key:pkix_decode_cert(Peer, otp),
    io:format("peercert: ~p ~p~n", [Peer =:= Der, Tbs#'OTPTBSCertificate'.subject]),
    io:format("server peercert: ~p~n", [receive {Server, peercert, P} -> P end]),
    %% Passive: the server echoes what it reads, whole or by length.
    ok = ssl:send(C, <<"hello">>),
    io:format("echo: ~p~n", [ssl:recv(C, 0, 5000)]),
    ok = ssl:send(C, <<"ping">>),
    io:format("echo: ~p~n", [ssl:recv(C, 0, 5000)]),
    ok = ssl:send(C, [<<"abc">>, "def", [$g | <<"hijkl">>]]),
    io:format("echo by 4: ~p~n", [[ssl:recv(C, 4, 5000) || _ <- [1, 2, 3]]]),
    Big = binary:copy(<<"0123456789abcdef">>, 4096),
    ok = ssl:send(C, [<<"big">>, Big]),
    io:format("big: ~p~n", [recv_n(C, 3 + byte_size(Big), <<>>) =:= <<"big", Big/binary>>]),
    %% Active once, true and N.
    ok = ssl:setopts(C, [{active, once}]),
    ok = ssl:send(C, <<"once">>),
    io:format("active once: ~p~n", [receive {ssl, C, D1} -> D1 after 5000 -> timeout end]),
    io:format("opts: ~p~n", [ssl:getopts(C, [active, mode])]),
    ok = ssl:setopts(C, [{active, 2}]),
    ok = ssl:send(C, <<"n1">>),
    io:format("active n: ~p~n", [receive {ssl, C, D2} -> D2 after 5000 -> timeout end]),
    ok = ssl:send(C, <<"n2">>),
    io:format("active n: ~p~n", [receive {ssl, C, D3} -> D3 after 5000 -> timeout end]),
    io:format("passive: ~p~n", [receive {ssl_passive, C} -> passive after 5000 -> timeout end]),
    ok = ssl:setopts(C, [{active, true}, list]),
    ok = ssl:send(C, <<"list">>),
    io:format("active list: ~p~n", [receive {ssl, C, D4} -> D4 after 5000 -> timeout end]),
    %% The server closes: the active client sees ssl_closed.
    ok = ssl:send(C, <<"close">>),
    io:format("closed: ~p~n", [receive {ssl, C, D5} -> D5 after 5000 -> timeout end]),
    io:format("closed: ~p~n", [receive {ssl_closed, C} -> ssl_closed after 5000 -> timeout end]),
    receive {Server, done} -> ok end,
    ok = ssl:close(C),
    %% A passive client sees {error, closed}; the server sees the client close.
    Server2 = spawn_link(fun() -> server(L, Test) end),
    {ok, C2} = ssl:connect({127, 0, 0, 1}, Port, client_opts(V, verify_none), 5000),
    receive {Server2, handshake, _} -> ok end,
    receive {Server2, info, _} -> ok end,
    receive {Server2, peercert, _} -> ok end,
    ok = ssl:send(C2, <<"close">>),
    io:format("passive close: ~p~n", [ssl:recv(C2, 0, 5000)]),
    io:format("passive close: ~p~n", [ssl:recv(C2, 0, 5000)]),
    receive {Server2, done} -> ok end,
    Server3 = spawn_link(fun() -> server(L, Test) end),
    {ok, C3} = ssl:connect({127, 0, 0, 1}, Port, client_opts(V, verify_none), 5000),
    receive {Server3, handshake, _} -> ok end,
    receive {Server3, info, _} -> ok end,
    receive {Server3, peercert, _} -> ok end,
    ok = ssl:close(C3),
    io:format("server saw: ~p~n", [receive {Server3, recv, Why} -> Why end]),
    ok = ssl:close(L).

recv_n(_C, 0, Acc) -> Acc;
recv_n(C, N, Acc) ->
    {ok, D} = ssl:recv(C, 0, 5000),
    recv_n(C, N - byte_size(D), <<Acc/binary, D/binary>>).

server(L, Test) ->
    {ok, T} = ssl:transport_accept(L, 5000),
    R = ssl:handshake(T, 5000),
    Test ! {self(), handshake, element(1, R)},
    {ok, S} = R,
    Test ! {self(), info, ssl:connection_information(S, [protocol, selected_cipher_suite])},
    Test ! {self(), peercert, ssl:peercert(S)},
    echo(S, Test).

echo(S, Test) ->
    case ssl:recv(S, 0, 5000) of
        {ok, <<"close">>} ->
            ok = ssl:send(S, <<"bye">>),
            ok = ssl:close(S),
            Test ! {self(), done};
        {ok, D} ->
            ok = ssl:send(S, D),
            echo(S, Test);
        Other ->
            Test ! {self(), recv, Other}
    end.
