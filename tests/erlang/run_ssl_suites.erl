%% TLS cipher suites one at a time through OTP's ssl over 127.0.0.1: the
%% five TLS 1.3 suites (AES-GCM, ChaCha20-Poly1305, AES-CCM) and TLS 1.2
%% suites of each key exchange, cipher and MAC kind (ECDHE and DHE, RSA
%% and ECDSA, AES-GCM, AES-CBC with HMAC-SHA and SHA-2, AES-CCM,
%% ChaCha20-Poly1305), each as the only suite of both sides, with 3 bytes
%% and 20,000 bytes echoed; and a suite the server's key cannot sign.
%% Certificates from ssl_certs/ (made once by openssl).
-module(run_ssl_suites).
-export([main/0]).

-include("ssl_cert_file.hrl").

shape({error, {tls_alert, {Alert, _Text}}}) -> {error, {tls_alert, Alert}};
shape(Other) -> Other.

main() ->
    logger:set_primary_config(level, none),
    {ok, _} = application:ensure_all_started(ssl),
    [suite('tlsv1.3', rsa, S) || S <- ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
                                       "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256",
                                       "TLS_AES_128_CCM_8_SHA256"]],
    [suite('tlsv1.2', K, S) || {K, S} <- [{rsa, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
                                          {rsa, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
                                          {rsa, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
                                          {rsa, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
                                          {rsa, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
                                          {ec, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
                                          {ec, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
                                          {rsa, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}]],
    ok.

suite(V, K, Name) ->
    Suite = ssl:str_to_suite(Name),
    {ok, L} = ssl:listen(0, [{certfile, file(atom_to_list(K) ++ "_cert.pem")},
                             {keyfile, file(atom_to_list(K) ++ "_key.pem")},
                             {versions, [V]}, {active, false}, binary, {ciphers, [Suite]}]),
    {ok, {_, Port}} = ssl:sockname(L),
    Test = self(),
    Server = spawn_link(fun() ->
        {ok, T} = ssl:transport_accept(L, 5000),
        case ssl:handshake(T, 5000) of
            {ok, S} ->
                echo(S, 3 + 20000),
                Test ! {self(), echoed},
                receive close -> ssl:close(S) end;
            E ->
                Test ! {self(), shape(E)}
        end
    end),
    R = case ssl:connect("localhost", Port, [{verify, verify_peer}, {cacertfile, file("ca.pem")},
                                            {versions, [V]}, {active, false}, binary,
                                            {ciphers, [Suite]}], 5000) of
            {ok, C} ->
                {ok, [{selected_cipher_suite, Sel}]} =
                    ssl:connection_information(C, [selected_cipher_suite]),
                Big = binary:copy(<<"enigma">>, 3334),
                ok = ssl:send(C, <<"xyz">>),
                {ok, <<"xyz">>} = ssl:recv(C, 3, 5000),
                ok = ssl:send(C, binary:part(Big, 0, 20000)),
                {ok, Back} = ssl:recv(C, 20000, 5000),
                receive {Server, echoed} -> ok end,
                Server ! close,
                ssl:close(C),
                {Sel =:= Suite, Back =:= binary:part(Big, 0, 20000)};
            E ->
                {shape(E), receive {Server, SE} -> SE end}
        end,
    ssl:close(L),
    io:format("~s ~p ~s: ~p~n", [V, K, Name, R]).

echo(_S, 0) -> ok;
echo(S, N) ->
    {ok, D} = ssl:recv(S, 0, 5000),
    ok = ssl:send(S, D),
    echo(S, N - byte_size(D)).
