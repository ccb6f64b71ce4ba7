%% erlang:decode_packet/3 for the http types (http, httph, http_bin,
%% httph_bin) and ssl_tls: request and status lines, header lines (known
%% names, case, continuation lines, long names), http_eoh, http_error,
%% {more, undefined}, packet_size and line_length, every prefix of a
%% request, and generated lines.
-module(run_decode_packet_http).
-export([main/0]).

t(T, B, O) ->
    R = try erlang:decode_packet(T, B, O) catch C:E -> {C, E} end,
    io:format("~w ~w ~w -> ~w~n", [T, B, O, R]).

types() -> [http, httph, http_bin, httph_bin].

main() ->
    Lines = [<<"GET / HTTP/1.1">>, <<"POST /a?b=c HTTP/1.0">>, <<"get / HTTP/1.1">>,
             <<"FOO /x HTTP/1.1">>, <<"OPTIONS * HTTP/1.1">>, <<"PUT *x HTTP/1.1">>,
             <<"DELETE http://host/p HTTP/1.1">>, <<"HEAD http://host:8080/p/q HTTP/1.1">>,
             <<"TRACE HTTPS://h:0/x HTTP/1.1">>, <<"GET http://h:80a/ HTTP/1.1">>,
             <<"GET http://h: HTTP/1.1">>, <<"GET http://h:99999999999/ HTTP/1.1">>,
             <<"GET http://[::1]:4000/x HTTP/1.1">>, <<"GET https://example.com HTTP/1.1">>,
             <<"GET http:// HTTP/1.1">>, <<"GET ftp:x HTTP/1.1">>, <<"GET foo HTTP/1.1">>,
             <<"GET a:b:c HTTP/1.1">>, <<"GET h HTTP/1.1">>, <<"GET /">>, <<"GET / ">>,
             <<"GET  /  HTTP/1.1">>, <<"GET\t/\tHTTP/1.1">>, <<"GET / HTTP/1">>,
             <<"GET / HTTP/x.1">>, <<"GET / HTTP/10.20">>, <<"GET / HTTPS/1.1">>,
             <<"GET / HTTP/1.1x">>, <<"GET / http/1.1">>, <<"GET / HTTP/1.">>,
             <<"GET / HTTP/.1">>, <<"GET / HTTP/99999999999.1">>, <<"GET / HTTP/1.1 extra">>,
             <<"G(T / HTTP/1.1">>, <<" GET / HTTP/1.1">>, <<"GET">>, <<"GET ">>, <<>>,
             <<"HTTP/1.1 200 OK">>, <<"HTTP/1.0 404 Not Found">>, <<"HTTP/1.1 200">>,
             <<"HTTP/1.1 200 ">>, <<"HTTP/1.1 abc">>, <<"HTTP/1.1 ">>, <<"HTTP/1. 200 OK">>,
             <<"HTTP/ 200">>, <<"HTTP/1.1  200  Long phrase ">>, <<"HTTP/1.1 200OK">>,
             <<"HTTP/1.1\t200\tOK">>, <<"HTTP/2.0 999999999999 x">>, <<"HTTP/1.1">>, <<"HTTP/">>,
             <<"Host: example.com">>, <<"host: x">>, <<"HOST: x">>, <<"content-length: 42">>,
             <<"CONTENT-TYPE:text/html">>, <<"Content-type:   \t v a l ">>, <<"x-foo--bar: 1">>,
             <<"-x: 1">>, <<"X-Forwarded-For: 1.2.3.4">>, <<"set-cookie2: a">>, <<"www-authenticate: b">>,
             <<"Content-MD5: c">>, <<"etag: d">>, <<"Proxy-Connection: keep">>, <<"keep-alive: 5">>,
             <<"X-Custom: y">>, <<"Host : x">>, <<"Host">>, <<"Host:">>, <<": x">>, <<"a:b">>,
             <<"Ho(st: x">>, <<"Host;: x">>, <<"H\x7fst: x">>, <<"H\x80st: x">>, <<"Host:\r">>,
             <<"x:y\rz">>,
             list_to_binary([lists:duplicate(50, $a), ": v"]),
             list_to_binary([lists:duplicate(51, $a), ": v"]),
             list_to_binary([lists:duplicate(49, $B), "-c: v"]),
             list_to_binary(["Content-", lists:duplicate(60, $x), ": v"])],
    Ends = [<<"\r\n">>, <<"\n">>, <<"\r\n\r\n">>, <<"\r\nX: 1\r\n">>, <<"\r\n y\r\n\r\n">>,
            <<"\r\n\tz\r\n">>, <<"">>, <<"\r">>],
    [t(T, <<L/binary, E/binary>>, []) || L <- Lines, E <- Ends, T <- types()],
    Special = [<<"\r\n">>, <<"\n">>, <<"\r\nGET">>, <<"\nX">>, <<"\r">>, <<>>, <<" x\r\n">>,
               <<"\r\n\r\n">>, <<"X: a\r\n b\r\n c\r\nY: d\r\n">>, <<"X: a\r\n b\r\n c\r\n">>,
               <<"X: a\n\tb\nY">>, <<"\n\n">>, <<"\n x\n">>, <<"\r\n x\r\n\r\n">>, <<"X\n y\nZ">>,
               <<"a\r\n\r\n">>, <<0, "\r\n">>, <<"X: \r\n\r\n">>, <<"X:\r\n\r\n">>],
    [t(T, B, []) || B <- Special, T <- types()],
    Req = <<"GET /index.html HTTP/1.1\r\nHost: a.b\r\nAccept: */*\r\n  text/x\r\n\r\nbody">>,
    [t(T, binary:part(Req, 0, N), []) || N <- lists:seq(0, byte_size(Req)), T <- [http_bin, httph]],
    Opts = [[{packet_size, 0}], [{packet_size, 5}], [{packet_size, 16}], [{packet_size, 17}],
            [{line_length, 5}], [{line_length, 16}], [{line_length, 30}, {packet_size, 17}],
            [{packet_size, 17}, {line_length, 3}], [{packet_size, 4294967295}],
            [{packet_size, 4294967296}], [{line_length, -1}], [{line_delimiter, 10}], [{bad, 1}], bad],
    Bins = [<<"GET / HTTP/1.1\r\n">>, <<"GET / HTTP/1.1">>, <<"GET / HTTP/1.1\r\nHost: x\r\n">>,
            <<"X: 1234567890123\r\n\r\n">>, <<"X: 1\r\n 2\r\n 3\r\n 4\r\n\r\n">>, <<"X: 1\r\n 2\r\n 3">>],
    [t(T, B, O) || B <- Bins, O <- Opts, T <- types()],
    [t(T, B, []) || T <- types(), B <- [<<"GET / HTTP/1.1\r\n", 1:3>>, <<"Host: x\r\n\r\n", 5:4>>, <<1:1>>, a, "GET"]],
    t(httpx, <<>>, []),
    gen(types(), 600, 42),
    Tls = [<<>>, <<22, 3, 1, 0>>, <<22, 3, 1, 0, 2, 1, 2, 3>>, <<22, 3, 1, 0, 3, 1, 2>>, <<23, 3, 3, 0, 0>>,
           <<128, 5, 1, 3, 0, 9, 9, 7>>, <<128, 5, 1, 3, 0, 9>>, <<128, 2, 1, 3, 0>>, <<128, 3, 1, 3, 0, 9>>,
           <<255, 255, 1, 3, 1>>, <<22, 255, 255, 255, 255>>, <<22, 3, 1, 0, 2, 1, 2, 1:3>>],
    [t(ssl_tls, B, O) || B <- Tls, O <- [[], [{packet_size, 1}]]],
    t(4, <<255, 255, 255, 255>>, []),
    t(4, <<127, 255, 255, 251>>, []),
    t(4, <<127, 255, 255, 252>>, []),
    t(2, <<0, 1, 2>>, [{packet_size, 4294967295}]),
    t(raw, <<"a">>, [{line_delimiter, 10}]),
    t(line, <<"a;b">>, [{line_delimiter, $;}]),
    ok.

%% Lines made of pieces chosen by a fixed pseudo-random sequence.
gen(_, 0, _) -> ok;
gen(Types, N, S0) ->
    Pieces = [<<"GET">>, <<" ">>, <<"\t">>, <<"/">>, <<"HTTP/">>, <<"1">>, <<".">>, <<"http://">>,
              <<":">>, <<"h">>, <<"\r\n">>, <<"\n">>, <<"-">>, <<"Host">>, <<"a">>, <<"Z">>, <<"*">>,
              <<"9">>, <<"\r">>, <<"?">>, <<"https://">>, <<"content-length">>, <<"POST">>],
    {Len, S1} = next(S0, 10),
    {Bin, S2} = pick(Len + 1, Pieces, S1, <<>>),
    {Ti, S3} = next(S2, length(Types)),
    t(lists:nth(Ti + 1, Types), Bin, []),
    gen(Types, N - 1, S3).

pick(0, _, S, Acc) -> {Acc, S};
pick(K, Pieces, S0, Acc) ->
    {I, S1} = next(S0, length(Pieces)),
    pick(K - 1, Pieces, S1, <<Acc/binary, (lists:nth(I + 1, Pieces))/binary>>).

next(S, M) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    {(S1 bsr 8) rem M, S1}.
