%% erlang:decode_packet/3 for the protocol headers (asn1, cdr, sunrm, fcgi,
%% tpkt): complete, short and bad headers, packet_size, and bitstrings
%% (their whole bytes are parsed, the last bits stay in the rest).
-module(run_decode_packet_proto).
-export([main/0]).
t(T, B, O) ->
    R = try erlang:decode_packet(T, B, O) catch C:E -> {C, E} end,
    io:format("~p ~p ~p -> ~p~n", [T, B, O, R]).
main() ->
    Types = [asn1, cdr, sunrm, fcgi, tpkt],
    Bins = [<<>>, <<1>>, <<48,3,1,2,3,9>>, <<48,3,1,2>>, <<31,129,1,2,7,8,9>>, <<31,129>>, <<31,129,1>>,
            <<48,129,2,5,6,7>>, <<48,130,0,3,1,2,3>>, <<48,133,0,0,0,0,1,1>>, <<48,133,0>>, <<48,128,1>>,
            <<"GIOP",1,0,0,0,0,0,0,2,7,8,9>>, <<"GIOP",1,0,1,0,2,0,0,0,7,8,9>>, <<"GIOX",1,0,0,0,0,0,0,2,7,8>>,
            <<"GIOP",1,0,0,0,0,0,0,9,7,8>>,
            <<0,0,0,3,1,2,3,4>>, <<128,0,0,2,1,2>>, <<128,0,0,5,1,2>>,
            <<1,1,0,1,0,3,2,0,7,8,9,0,0,5>>, <<2,1,0,1,0,3,2,0,7,8,9,0,0>>, <<1,1,0,1,0,3,2,0,7,8>>,
            <<3,0,0,7,1,2,3,4>>, <<3,0,0,2,1,2,3>>, <<3,0,0,0,1>>, <<3,0,0,4>>, <<4,0,0,7,1,2,3>>, <<3,0,0,9,1>>],
    [t(T, B, O) || T <- Types, B <- Bins, O <- [[], [{packet_size, 2}]]],
    t(asn1, <<48,3,1,2,3>>, [{packet_size, 3}]),
    t(asn1, <<48,3,1,2,3>>, [{line_length, 1}]),
    t(cdr, <<1:3>>, []),
    t(raw, <<1, 2, 1:3>>, []),
    t(1, <<1, 2, 1:3>>, []),
    t(line, <<1, 2, 1:3>>, []),
    t(sunrm, <<0, 0, 0, 1, 9, 1:5>>, []),
    t(tpkt, <<3, 0, 0, 5, 9, 8, 1:5>>, []),
    t(sunrm, x, []),
    ok.
