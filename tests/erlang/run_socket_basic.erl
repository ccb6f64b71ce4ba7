-module(run_socket_basic).
-export([main/0]).

%% OTP's `socket` module over 127.0.0.1 (prim_socket's NIFs): open, bind,
%% listen, accept, connect, send, recv with and without timeouts, the
%% nowait/select protocol and cancel/2, UDP sendto/recvfrom, options,
%% shutdown, close (also under a waiting process), monitors, the
%% registry and counters, errors and bad arguments; net:gethostname/0, if_names/0, getaddrinfo/1,2. Only values
%% that do not depend on the machine are printed.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

loop() -> #{family => inet, addr => loopback, port => 0}.

main() ->
    logger:set_primary_config(level, none),
    {ok, L} = socket:open(inet, stream, tcp),
    p(is_socket, {is_tuple(L), element(1, L)}),
    p(reuseaddr, socket:setopt(L, {socket, reuseaddr}, true)),
    p(bind, socket:bind(L, loop())),
    p(listen, socket:listen(L)),
    {ok, #{port := Port} = LName} = socket:sockname(L),
    p(sockname, {maps:get(addr, LName), maps:get(family, LName), Port > 0}),
    p(peername_listen, socket:peername(L)),
    p(accept_timeout, socket:accept(L, 50)),
    {select, {select_info, accept, AccH} = AccInfo} = socket:accept(L, nowait),
    p(select_handle, is_reference(AccH)),
    p(cancel, socket:cancel(L, AccInfo)),
    p(cancel_again, case socket:cancel(L, AccInfo) of
                        {error, {invalid, AccInfo}} -> invalid_select_info;
                        Other -> Other
                    end),
    LAddr = #{family => inet, addr => loopback, port => Port},
    {ok, C} = socket:open(inet, stream, tcp),
    p(connect, socket:connect(C, LAddr)),
    {ok, A} = socket:accept(L),
    p(peer_is_client, {ok, element(2, socket:sockname(C))} =:= socket:peername(A)),
    p(send, socket:send(C, <<"hello world">>)),
    p(recv_exact, socket:recv(A, 5)),
    p(recv_rest, socket:recv(A, 6)),
    p(recv_timeout, socket:recv(A, 0, 50)),
    p(recv_partial_timeout, begin ok = socket:send(C, "abc"), socket:recv(A, 10, 100) end),
    %% nowait: select, then the message, then the data.
    {select, {select_info, recv, RH} = RInfo} = socket:recv(A, 4, nowait),
    ok = socket:send(C, [<<"da">>, "ta"]),
    receive {'$socket', A, select, RH} -> p(select_msg, ok) after 5000 -> p(select_msg, none) end,
    p(recv_after_select, socket:recv(A, 4, nowait)),
    _ = RInfo,
    %% Options.
    p(getopts, [socket:getopt(A, O) || O <- [{socket, type}, {socket, protocol},
                                                 {socket, domain}, {socket, acceptconn},
                                                 {tcp, nodelay}, {otp, rcvbuf},
                                                 {otp, domain}, {otp, meta}]]),
    p(setopts, [socket:setopt(A, O, V) || {O, V} <- [{{tcp, nodelay}, true},
                                                      {{socket, keepalive}, true},
                                                      {{socket, linger}, #{onoff => true, linger => 3}},
                                                      {{otp, rcvbuf}, 100},
                                                      {{otp, meta}, {some, term}},
                                                      {{socket, reuseaddr}, 1},
                                                      {{socket, type}, dgram},
                                                      {{otp, rcvbuf}, 0},
                                                      {{socket, foo}, 1},
                                                      {{ip, ttl}, 300}]]),
    p(getopts_after, [socket:getopt(A, O) || O <- [{tcp, nodelay}, {socket, keepalive},
                                                       {socket, linger}, {otp, rcvbuf},
                                                       {otp, meta}, {socket, foo}]]),
    p(listen_acceptconn, socket:getopt(L, {socket, acceptconn})),
    p(controlling_process, socket:getopt(A, {otp, controlling_process}) =:= {ok, self()}),
    %% recv(S, 0) reads what is there (the buffer of 100 bytes, then more).
    ok = socket:send(C, binary:copy(<<"x">>, 250)),
    p(recv_buffered, begin timer:sleep(50), {ok, B100} = socket:recv(A, 0, 1000), byte_size(B100) end),
    p(recv_rest_150, begin {ok, B150} = socket:recv(A, 150, 1000), byte_size(B150) end),
    ok = socket:setopt(A, {otp, rcvbuf}, {3, 40}),
    ok = socket:send(C, binary:copy(<<"y">>, 250)),
    p(recv_more, begin timer:sleep(50), {ok, B120} = socket:recv(A, 0, 1000), byte_size(B120) end),
    p(rcvbuf_count, socket:getopt(A, {otp, rcvbuf})),
    p(recv_rest_130, begin {ok, B130} = socket:recv(A, 130, 1000), byte_size(B130) end),
    %% A reader that another process closes under gets closed.
    Self = self(),
    Reader = spawn(fun() -> Self ! {reader, socket:recv(A, 10)} end),
    wait_reader(A, 1),
    p(info_keys, lists:sort(maps:keys(socket:info(A)))),
    p(info_kind, maps:with([domain, type, protocol, num_readers, ctype], socket:info(A))),
    p(close, socket:close(A)),
    receive {reader, R} -> p(reader_got, R) after 5000 -> p(reader_got, none) end,
    _ = Reader,
    p(close_again, socket:close(A)),
    p(recv_closed, socket:recv(A, 1)),
    p(send_closed, socket:send(A, <<"x">>)),
    p(getopt_closed, socket:getopt(A, {socket, type})),
    p(peer_sees_end, socket:recv(C, 0, 1000)),
    p(shutdown, socket:shutdown(C, write)),
    p(shutdown_bad, reason(fun() -> socket:shutdown(C, sideways) end)),
    ok = socket:close(C),
    ok = socket:close(L),
    {ok, C2} = socket:open(inet, stream, tcp),
    p(refused, socket:connect(C2, LAddr)),
    ok = socket:close(C2),
    %% A connect in the background.
    {ok, L2} = socket:open(inet, stream),
    ok = socket:bind(L2, loop()),
    ok = socket:listen(L2, 5),
    {ok, L2Addr} = socket:sockname(L2),
    {ok, C3} = socket:open(inet, stream),
    case socket:connect(C3, L2Addr, nowait) of
        ok -> p(connect_nowait, ok);
        {select, {select_info, connect, CH}} ->
            receive {'$socket', C3, select, CH} -> p(connect_nowait, socket:connect(C3))
            after 5000 -> p(connect_nowait, none)
            end
    end,
    {ok, A3} = socket:accept(L2, 5000),
    ok = socket:send(A3, <<"from server">>),
    p(recv_client, socket:recv(C3, 11, 5000)),
    [ok = socket:close(S) || S <- [A3, C3, L2]],
    %% UDP.
    {ok, U} = socket:open(inet, dgram, udp),
    ok = socket:bind(U, loop()),
    {ok, UA} = socket:sockname(U),
    {ok, U2} = socket:open(inet, dgram),
    ok = socket:bind(U2, loop()),
    {ok, U2A} = socket:sockname(U2),
    p(sendto, socket:sendto(U2, <<"dgram one">>, UA)),
    p(sendto2, socket:sendto(U2, <<"dgram two">>, UA)),
    {ok, {From, D1}} = socket:recvfrom(U),
    p(recvfrom, {D1, From =:= U2A}),
    {ok, {_, Cut}} = socket:recvfrom(U, 5, [], 1000),
    p(recvfrom_cut, Cut),
    p(recvfrom_timeout, socket:recvfrom(U, 0, 50)),
    p(udp_opts, [socket:getopt(U, O) || O <- [{socket, type}, {socket, protocol}, {otp, rcvbuf}]]),
    p(udp_connect, socket:connect(U2, UA)),
    p(udp_send, socket:send(U2, <<"connected">>)),
    p(udp_recv, socket:recv(U, 0, 1000)),
    [ok = socket:close(S) || S <- [U, U2]],
    %% Errors.
    p(bad_domain, socket:open(foo, stream, tcp)),
    p(bad_type, socket:open(inet, foo, tcp)),
    p(bad_protocol, socket:open(inet, stream, foo)),
    {ok, S4} = socket:open(inet, stream, tcp),
    p(bind_bad, catch socket:bind(S4, #{family => inet, addr => {1,2,3}, port => 0})),
    p(bind_busy, socket:bind(S4, L2Addr#{port => Port})),
    p(accept_not_listening, socket:accept(S4, 10)),
    p(recv_not_connected, socket:recv(S4, 1, 10)),
    p(send_not_connected, socket:send(S4, <<"x">>)),
    ok = socket:close(S4),
    p(badarg_socket, reason(fun() -> socket:recv(not_a_socket) end)),
    p(badarg_close, reason(fun() -> socket:close({'$socket', make_ref()}) end)),
    p(badarg_timeout, reason(fun() -> socket:recv(S4, 0, -5) end)),
    %% A monitor, the registry, the counters.
    {ok, S5} = socket:open(inet, stream, tcp),
    M5 = socket:monitor(S5),
    p(monitored_by, length(socket:monitored_by(S5))),
    p(number_of, {socket:number_of(), socket:which_sockets() =:= [S5]}),
    ok = socket:close(S5),
    p(monitor_down, receive {'DOWN', M5, socket, S5, R5} -> R5 after 2000 -> none end),
    p(counters, maps:with([num_sockets, num_tstreams, num_tdgrams], maps:get(counters, socket:info()))),
    %% net.
    {ok, Host} = net:gethostname(),
    p(hostname, io_lib:printable_list(Host)),
    {ok, Ifs} = net:if_names(),
    p(if_names, {lists:keymember("lo", 2, Ifs), lists:all(fun({I, N}) -> is_integer(I) andalso is_list(N) end, Ifs)}),
    {ok, Ais} = net:getaddrinfo("localhost"),
    p(localhost, lists:usort([{F, Ad} || #{family := inet = F, addr := #{addr := Ad}} <- Ais])),
    p(localhost_types, lists:usort([{T, Pr} || #{family := inet, type := T, protocol := Pr} <- Ais])),
    p(getaddrinfo_service, net:getaddrinfo("localhost", "http") =/= []),
    p(getaddrinfo_noname, net:getaddrinfo("no-such-host.invalid")),
    p(getaddrinfo_noservice, net:getaddrinfo("localhost", "no-such-service-here")),
    ok.

%% The reason of the error F raises.
reason(F) ->
    try F() of V -> {no_error, V} catch error:R -> R end.

%% Waits until N processes wait to read on S.
wait_reader(S, N) ->
    case socket:info(S) of
        #{num_readers := N} -> ok;
        _ -> timer:sleep(5), wait_reader(S, N)
    end.
