%% https through OTP's inets over ssl: an httpd bound to 127.0.0.1 on port
%% 0 with {socket_type, {ssl, ...}} (the ECDSA certificate of ssl_certs/,
%% made once by openssl) serving a directory, and httpc asking it with
%% verify_peer against the test CA (GET, a missing file, 320 KB, several
%% requests at once), and with the wrong CA. Then TLS 1.2 session reuse
%% and TLS 1.3 session tickets between an ssl client and server. Each
%% result is printed whole or by its deterministic part.
-module(run_ssl_http).
-export([main/0]).

-include("ssl_cert_file.hrl").

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    logger:set_primary_config(level, none),
    ok = inets:start(),
    {ok, _} = application:ensure_all_started(ssl),
    Dir = "/tmp/enigma_ssl_http_" ++ os:getpid(),
    ok = filelib:ensure_dir(Dir ++ "/"),
    ok = file:write_file(Dir ++ "/index.html", <<"<p>hi</p>">>),
    ok = file:write_file(Dir ++ "/big.txt", binary:copy(<<"0123456789abcdef">>, 20000)),
    {ok, Pid} = inets:start(httpd, [{port, 0}, {server_name, "localhost"}, {server_root, "/tmp"},
                                    {document_root, Dir}, {bind_address, {127, 0, 0, 1}},
                                    {socket_type, {ssl, [{certfile, file("ec_cert.pem")},
                                                         {keyfile, file("ec_key.pem")}]}}]),
    [{port, Port}] = httpd:info(Pid, [port]),
    Url = fun(Path) -> "https://localhost:" ++ integer_to_list(Port) ++ Path end,
    Ssl = [{verify, verify_peer}, {cacertfile, file("ca.pem")}],
    Get = fun(Path, SslOpts, Profile) ->
              case httpc:request(get, {Url(Path), []}, [{ssl, SslOpts}], [{body_format, binary}],
                                 Profile) of
                  {ok, {{_, Code, Phrase}, Headers, Body}} ->
                      {Code, Phrase, proplists:get_value("content-length", Headers),
                       byte_size(Body), binary:part(Body, 0, min(12, byte_size(Body)))};
                  {error, {failed_connect, [_, {inet, _, {tls_alert, {Alert, _}}}]}} ->
                      {failed_connect, Alert};
                  E -> E
              end
          end,
    p(get, Get("/index.html", Ssl, default)),
    p(missing, element(1, Get("/nope.html", Ssl, default))),
    p(big, Get("/big.txt", Ssl, default)),
    Main = self(),
    [spawn(fun() -> Main ! {got, I, Get("/index.html", Ssl, default)} end) || I <- [1, 2, 3]],
    p(parallel, [receive {got, I, R} -> {I, R} after 10000 -> timeout end || I <- [1, 2, 3]]),
    %% (another profile: the default one keeps its verified connection)
    {ok, _} = inets:start(httpc, [{profile, other}]),
    p(wrong_ca, Get("/index.html", [{verify, verify_peer}, {cacertfile, file("other_ca.pem")}],
                    other)),
    ok = inets:stop(httpd, Pid),
    [file:delete(Dir ++ F) || F <- ["/index.html", "/big.txt"]],
    file:del_dir(Dir),
    reuse(),
    tickets(),
    ok.

server_opts(Extra) ->
    [{certfile, file("rsa_cert.pem")}, {keyfile, file("rsa_key.pem")}, {active, false} | Extra].

%% A server process that accepts N connections in turn, reporting each
%% handshake, then echoing one read.
serve(L, Test, N) ->
    spawn_link(fun() -> serve_loop(L, Test, N) end).

serve_loop(_L, _Test, 0) -> ok;
serve_loop(L, Test, N) ->
    {ok, T} = ssl:transport_accept(L, 5000),
    {ok, S} = ssl:handshake(T, 5000),
    {ok, D} = ssl:recv(S, 0, 5000),
    ok = ssl:send(S, D),
    Test ! {self(), served},
    receive close -> ssl:close(S) end,
    serve_loop(L, Test, N - 1).

client(Port, Opts, Server) ->
    {ok, C} = ssl:connect("localhost", Port, [{verify, verify_peer}, {cacertfile, file("ca.pem")},
                                             {active, false}, binary | Opts], 5000),
    ok = ssl:send(C, <<"x">>),
    {ok, <<"x">>} = ssl:recv(C, 0, 5000),
    receive {Server, served} -> ok end,
    C.

%% TLS 1.2: the second connection reuses the first's session (same id).
reuse() ->
    {ok, L} = ssl:listen(0, server_opts([{versions, ['tlsv1.2']}])),
    {ok, {_, Port}} = ssl:sockname(L),
    Server = serve(L, self(), 2),
    Opts = [{versions, ['tlsv1.2']}, {reuse_sessions, save}],
    C1 = client(Port, Opts, Server),
    {ok, [{session_id, Id1}, {session_resumption, R1}]} =
        ssl:connection_information(C1, [session_id, session_resumption]),
    Server ! close,
    ssl:close(C1),
    C2 = client(Port, [{reuse_session, Id1} | Opts], Server),
    {ok, [{session_id, Id2}, {session_resumption, R2}]} =
        ssl:connection_information(C2, [session_id, session_resumption]),
    p(tls12_reuse, {R1, R2, Id1 =:= Id2}),
    Server ! close,
    ssl:close(C2),
    ssl:close(L).

%% TLS 1.3: a stateless ticket from the first connection, given by hand
%% to the second ({use_ticket, ...}), resumes it.
tickets() ->
    {ok, L} = ssl:listen(0, server_opts([{versions, ['tlsv1.3']},
                                         {session_tickets, stateless}])),
    {ok, {_, Port}} = ssl:sockname(L),
    Server = serve(L, self(), 2),
    Opts = [{versions, ['tlsv1.3']}, {session_tickets, manual}],
    C1 = client(Port, Opts, Server),
    Ticket = receive {ssl, session_ticket, T} -> T after 5000 -> no_ticket end,
    p(tls13_ticket, is_map(Ticket)),
    {ok, [{session_resumption, R1}]} = ssl:connection_information(C1, [session_resumption]),
    Server ! close,
    ssl:close(C1),
    C2 = client(Port, [{use_ticket, [Ticket]} | Opts], Server),
    {ok, [{session_resumption, R2}]} = ssl:connection_information(C2, [session_resumption]),
    p(tls13_resumed, {R1, R2}),
    Server ! close,
    ssl:close(C2),
    ssl:close(L).
