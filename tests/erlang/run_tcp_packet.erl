-module(run_tcp_packet).
-export([main/0]).

%% gen_tcp's packet types beyond raw, 1, 2, 4 and line, both ends in one
%% process over 127.0.0.1: http and http_bin requests and responses
%% (passive and active, the switch to header lines after the first line
%% and back after the headers, continuation lines, a line that does not
%% parse, a body read raw in between, a second request on the same
%% connection), httph, the protocol headers (asn1, cdr, sunrm, fcgi,
%% tpkt, ssl_tls), line_delimiter, packet_size over the limit.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

pair(Opts) ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, {active, false} | Opts]),
    {ok, Port} = inet:port(L),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [binary, {active, false}], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    ok = gen_tcp:close(L),
    {C, A}.

%% Passive receives until http_eoh (or an error), each printed.
headers(Tag, S) ->
    case gen_tcp:recv(S, 0, 5000) of
        {ok, http_eoh} -> p(Tag, http_eoh);
        {ok, Packet} -> p(Tag, Packet), headers(Tag, S);
        Other -> p(Tag, Other)
    end.

%% Active messages until http_eoh (or a timeout).
active_headers(Tag, S) ->
    receive
        {http, S, http_eoh} -> p(Tag, http_eoh);
        {http, S, Packet} -> p(Tag, Packet), active_headers(Tag, S);
        {tcp_passive, S} -> p(Tag, passive)
    after 5000 -> p(Tag, timeout)
    end.

main() ->
    http_passive(),
    http_active(),
    http_response(),
    httph(),
    protocols(),
    line_delimiter(),
    limits(),
    ok.

http_passive() ->
    {C, A} = pair([{packet, http_bin}]),
    p(opts, inet:getopts(A, [packet, line_delimiter])),
    Body = <<"name=enigma">>,
    ok = gen_tcp:send(C, [<<"POST /form?x=1 HTTP/1.1\r\n">>,
                          <<"Host: localhost:8080\r\n">>,
                          <<"content-type: text/plain\r\n">>,
                          <<"X-Folded: first\r\n  second\r\n">>,
                          <<"CONTENT-LENGTH: ">>, integer_to_list(byte_size(Body)), <<"\r\n">>,
                          <<"x-custom-header : spaced\r\n">>,
                          <<"\r\n">>, Body]),
    headers(request, A),
    ok = inet:setopts(A, [{packet, raw}]),
    p(body, gen_tcp:recv(A, byte_size(Body), 5000)),
    ok = inet:setopts(A, [{packet, http_bin}]),
    %% The headers ended: the next line is a request line again.
    ok = gen_tcp:send(C, <<"GET http://example.com:81/a/b HTTP/1.0\r\nAccept: */*\r\n\r\n">>),
    headers(second, A),
    ok = gen_tcp:send(C, <<"OPTIONS * HTTP/1.1\r\n\r\n">>),
    headers(star, A),
    ok = gen_tcp:send(C, <<"PATCH https://h/ HTTP/1.1\r\nbad header line\r\nOk: 1\r\n\r\n">>),
    headers(error_header, A),
    ok = gen_tcp:send(C, <<"not a request\r\n">>),
    p(error_line, gen_tcp:recv(A, 0, 5000)),
    ok = gen_tcp:send(C, <<"GET /old\r\n">>),
    p(http09, gen_tcp:recv(A, 0, 5000)),
    p(recv_len, gen_tcp:recv(A, 5, 100)),
    gen_tcp:close(C),
    gen_tcp:close(A).

http_active() ->
    {C, A} = pair([{packet, http}, list]),
    ok = inet:setopts(A, [{active, 3}]),
    ok = gen_tcp:send(C, <<"DELETE /x HTTP/1.1\r\nConnection: close\r\nCookie: a=b\r\n\r\n">>),
    active_headers(active, A),
    ok = inet:setopts(A, [{active, once}]),
    active_headers(active_once, A),
    ok = inet:setopts(A, [{active, true}]),
    active_headers(active_true, A),
    gen_tcp:close(C),
    p(closed, receive {tcp_closed, A} -> closed after 5000 -> timeout end).

http_response() ->
    {C, A} = pair([]),
    ok = inet:setopts(C, [{packet, http_bin}]),
    ok = gen_tcp:send(A, <<"HTTP/1.1 404 Not Found\r\nServer: test\r\n"
                           "Content-Length: 0\r\nWww-Authenticate: Basic\r\n\r\n"
                           "HTTP/1.0 200\r\n\r\nHTTP/1.1 301 Moved Permanently\n\n">>),
    headers(response, C),
    headers(response_no_phrase, C),
    headers(response_lf, C),
    ok = inet:setopts(C, [{packet, http}]),
    ok = gen_tcp:send(A, <<"HTTP/x.1 200 OK\r\n">>),
    p(bad_status, gen_tcp:recv(C, 0, 5000)),
    gen_tcp:close(C),
    gen_tcp:close(A).

httph() ->
    {C, A} = pair([{packet, httph_bin}]),
    ok = gen_tcp:send(C, <<"Trailer-One: 1\r\nExpires: never\r\n\r\nAfter: eoh\r\n">>),
    headers(httph, A),
    %% httph reads header lines even after the empty line.
    p(httph_after, gen_tcp:recv(A, 0, 5000)),
    ok = inet:setopts(A, [{packet, httph}]),
    ok = gen_tcp:send(C, <<"Lower: list\r\n">>),
    p(httph_list, gen_tcp:recv(A, 0, 5000)),
    gen_tcp:close(C),
    gen_tcp:close(A).

protocols() ->
    Cases =
        [{asn1, <<16#30, 3, 1, 2, 3>>},
         {asn1, <<16#30, 16#81, 2, 9, 9>>},
         {sunrm, <<128, 0, 0, 3, "abc">>},
         {cdr, <<"GIOP", 1, 0, 0, 0, 0, 0, 0, 2, "hi">>},
         {cdr, <<"GIOP", 1, 0, 1, 0, 2, 0, 0, 0, "le">>},
         {fcgi, <<1, 1, 0, 1, 0, 3, 2, 0, "abc", 0, 0>>},
         {tpkt, <<3, 0, 0, 6, "xy">>},
         {ssl_tls, <<22, 3, 3, 0, 4, "tls!">>},
         {ssl_tls, <<128, 5, 1, 3, 1, "v2">>}],
    [begin
         {C, A} = pair([{packet, Type}]),
         ok = gen_tcp:send(C, [Packet, Packet]),
         R1 = gen_tcp:recv(A, 0, 5000),
         R2 = gen_tcp:recv(A, 0, 5000),
         p(Type, {strip(R1, A), R1 =:= R2}),
         ok = inet:setopts(A, [{active, once}]),
         ok = gen_tcp:send(C, Packet),
         p(Type, receive M -> strip(M, A) after 5000 -> timeout end),
         gen_tcp:close(C),
         gen_tcp:close(A)
     end || {Type, Packet} <- Cases],
    ok.

%% The port in a message or record, replaced by `port`.
strip({ok, {ssl_tls, A, T, V, D}}, A) -> {ok, {ssl_tls, port, T, V, D}};
strip({ssl_tls, A, T, V, D}, A) -> {ssl_tls, port, T, V, D};
strip({Tag, A, D}, A) -> {Tag, port, D};
strip(Other, _) -> Other.

line_delimiter() ->
    {C, A} = pair([{packet, line}]),
    %% listen/2 takes no line_delimiter; setopts/2 does (getopts/2 not).
    ok = inet:setopts(A, [{line_delimiter, $;}]),
    p(delimiter, inet:getopts(A, [line_delimiter])),
    ok = gen_tcp:send(C, <<"one;two\nthree;">>),
    p(lines, [gen_tcp:recv(A, 0, 5000), gen_tcp:recv(A, 0, 5000)]),
    ok = inet:setopts(A, [{line_delimiter, $\n}]),
    ok = gen_tcp:send(C, <<"four\n">>),
    p(lines_nl, gen_tcp:recv(A, 0, 5000)),
    gen_tcp:close(C),
    gen_tcp:close(A).

limits() ->
    {C, A} = pair([{packet, http_bin}, {packet_size, 16}]),
    ok = gen_tcp:send(C, <<"GET /a-rather-long-path HTTP/1.1\r\n">>),
    p(http_too_long, gen_tcp:recv(A, 0, 5000)),
    gen_tcp:close(C),
    gen_tcp:close(A),
    {C2, A2} = pair([{packet, asn1}, {packet_size, 4}]),
    ok = gen_tcp:send(C2, <<16#30, 5, 1, 2, 3, 4, 5>>),
    p(asn1_too_long, gen_tcp:recv(A2, 0, 5000)),
    gen_tcp:close(C2),
    gen_tcp:close(A2),
    {C3, A3} = pair([{packet, tpkt}]),
    ok = gen_tcp:send(C3, <<4, 0, 0, 6, "xy">>),
    p(tpkt_bad, gen_tcp:recv(A3, 0, 5000)),
    gen_tcp:close(C3),
    gen_tcp:close(A3),
    p(bad_type, catch inet:setopts(element(1, pair([])), [{packet, nonsense}])).
