-module(run_udp).
-export([main/0]).

%% gen_udp data over 127.0.0.1: send/4, recv/2,3 (binary and list modes,
%% timeouts), {active, true | once | N} with udp_passive, a server process
%% answering clients in active mode, errors. Only deterministic values
%% are printed; every wait is for a message by pattern.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

err(F) ->
    try F() catch C:R -> {C, if is_tuple(R) -> element(1, R); true -> R end} end.

main() ->
    {ok, A} = gen_udp:open(0, [binary, {active, false}, {ip, {127,0,0,1}}]),
    {ok, B} = gen_udp:open(0, [{active, false}]),
    {ok, PA} = inet:port(A),
    {ok, PB} = inet:port(B),
    p(ports, {PA > 0, PB > 0, PA =/= PB}),
    p(sockname, element(1, element(2, inet:sockname(A)))),
    p(send_recv, [gen_udp:send(B, {127,0,0,1}, PA, "hello"),
                  gen_udp:recv(A, 0, 1000) =:= {ok, {{127,0,0,1}, PB, <<"hello">>}}]),
    p(by_name, [gen_udp:send(A, "localhost", PB, <<"bin">>),
                gen_udp:recv(B, 100, 1000) =:= {ok, {{127,0,0,1}, PA, "bin"}},
                gen_udp:recv(B, 0, 50)]),
    p(empty, [gen_udp:send(A, {127,0,0,1}, PB, <<>>),
              element(3, element(2, gen_udp:recv(B, 0, 1000)))]),
    p(iolist, [gen_udp:send(B, {127,0,0,1}, PA, ["a", [<<"b">>, $c]]),
               element(3, element(2, gen_udp:recv(A, 0, 1000)))]),
    Big = binary:copy(<<"x">>, 60000),
    p(big, [gen_udp:send(B, {127,0,0,1}, PA, Big),
            byte_size(element(3, element(2, gen_udp:recv(A, 0, 1000))))]),
    p(too_big, gen_udp:send(A, {127,0,0,1}, PB, binary:copy(<<1>>, 70000))),
    p(port_zero, err(fun() -> gen_udp:send(A, {127,0,0,1}, 0, "x") end)),
    p(bad_ip, err(fun() -> gen_udp:send(A, {1,2,3}, 5, "x") end)),
    %% active N, once, true
    F = fun() -> receive {udp, A, IP, P, D} -> {udp, IP, P =:= PB, D};
                         {udp_passive, A} -> udp_passive
                 after 5000 -> timeout end end,
    ok = inet:setopts(A, [{active, 2}]),
    p(active_n_opt, inet:getopts(A, [active])),
    [ok = gen_udp:send(B, {127,0,0,1}, PA, X) || X <- ["1", "2", "3"]],
    p(active_n, [F(), F(), F(), inet:getopts(A, [active]),
                 gen_udp:recv(A, 0, 1000) =:= {ok, {{127,0,0,1}, PB, <<"3">>}}]),
    ok = inet:setopts(A, [{active, once}]),
    ok = gen_udp:send(B, {127,0,0,1}, PA, "x"),
    p(active_once, [F(), inet:getopts(A, [active]), gen_udp:recv(A, 0, 10)]),
    ok = inet:setopts(A, [{active, true}, list]),
    ok = gen_udp:send(B, {127,0,0,1}, PA, "y"),
    p(active_true, [F(), inet:getopts(A, [active]), gen_udp:recv(A, 0, 10)]),
    p(active_neg, [inet:setopts(A, [{active, -1}]), F(), inet:getopts(A, [active])]),
    connected(),
    server(),
    ok = gen_udp:close(B),
    p(closed, [gen_udp:send(B, {127,0,0,1}, PA, "x"), gen_udp:recv(B, 0, 10),
               gen_udp:close(A)]).

%% gen_udp:connect/3: send/2 to the peer, replies from it; a peer with
%% no socket refuses.
connected() ->
    {ok, A} = gen_udp:open(0, [binary, {active, false}, {ip, {127,0,0,1}}]),
    {ok, B} = gen_udp:open(0, [{active, false}]),
    {ok, PA} = inet:port(A),
    {ok, PB} = inet:port(B),
    p(unconnected_send, gen_udp:send(B, "nc")),
    p(connect, [gen_udp:connect(B, {127,0,0,1}, PA), gen_udp:send(B, "c1"),
                gen_udp:recv(A, 0, 1000) =:= {ok, {{127,0,0,1}, PB, <<"c1">>}},
                element(2, inet:peername(B)) =:= {{127,0,0,1}, PA}]),
    p(connected_io, [gen_udp:send(A, {127,0,0,1}, PB, "back"),
                     element(3, element(2, gen_udp:recv(B, 0, 1000))),
                     gen_udp:send(B, {127,0,0,1}, PA, "c2"),
                     element(3, element(2, gen_udp:recv(A, 0, 1000)))]),
    {ok, Z} = gen_udp:open(0, [{ip, {127,0,0,1}}]),
    {ok, PZ} = inet:port(Z),
    ok = gen_udp:close(Z),
    p(refused, [gen_udp:connect(B, {127,0,0,1}, PZ), gen_udp:send(B, "x"),
                gen_udp:recv(B, 0, 1000)]),
    gen_udp:close(A),
    gen_udp:close(B).

%% A server process in active mode answering three clients, each in its
%% own process; results collected by client number.
server() ->
    Main = self(),
    Server = spawn(fun() ->
        {ok, S} = gen_udp:open(0, [binary, {active, true}, {ip, {127,0,0,1}}]),
        Main ! {port, inet:port(S)},
        serve(S, 9)
    end),
    {ok, SPort} = receive {port, X} -> X end,
    Clients = [begin
                   Me = self(),
                   spawn(fun() -> client(I, SPort, Me) end)
               end || I <- [1, 2, 3]],
    p(clients, [receive {client, I, R} -> {I, R} after 5000 -> timeout end || I <- [1, 2, 3]]),
    Server ! {stop, self()},
    p(server_done, receive {served, Server, N} -> N after 5000 -> timeout end),
    length(Clients).

serve(S, N) when N > 0 ->
    receive
        {udp, S, IP, Port, <<"sq ", X/binary>>} ->
            V = binary_to_integer(X),
            ok = gen_udp:send(S, IP, Port, integer_to_binary(V * V)),
            serve(S, N - 1)
    end;
serve(S, 0) ->
    ok = gen_udp:close(S),
    receive {stop, From} -> From ! {served, self(), 9} end.

client(I, SPort, Main) ->
    {ok, C} = gen_udp:open(0, [{active, false}]),
    R = [begin
             ok = gen_udp:send(C, {127,0,0,1}, SPort, ["sq ", integer_to_list(I * 10 + K)]),
             {ok, {_, SPort, D}} = gen_udp:recv(C, 0, 5000),
             list_to_integer(D)
         end || K <- [1, 2, 3]],
    gen_udp:close(C),
    Main ! {client, I, R}.
