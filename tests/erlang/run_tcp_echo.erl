-module(run_tcp_echo).
-export([main/0]).

%% An echo server with {packet, 4} serving several clients at once: an
%% acceptor process, one handler per connection ({active, once}), clients
%% in their own processes sending messages of many sizes. Results are
%% collected by client number; the acceptor ends on the listening socket's
%% close.

-define(CLIENTS, 6).
-define(MSGS, 25).

main() ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, binary, {packet, 4},
                                 {active, false}, {reuseaddr, true}]),
    {ok, Port} = inet:port(L),
    Main = self(),
    Acceptor = spawn(fun() -> acceptor(L, Main, 0) end),
    Clients = [{I, spawn(fun() -> client(I, Port, Main) end)} || I <- lists:seq(1, ?CLIENTS)],
    Results = [receive {done, I, R} -> {I, R} after 30000 -> {I, timeout} end
               || {I, _} <- Clients],
    io:format("clients: ~p~n", [Results]),
    Handlers = [receive {handler, N, H} -> {N, H} after 30000 -> timeout end
                || _ <- Clients],
    io:format("handlers: ~p~n", [lists:sort(Handlers)]),
    ok = gen_tcp:close(L),
    io:format("acceptor: ~p~n", [receive {acceptor, Acceptor, E} -> E after 5000 -> timeout end]).

acceptor(L, Main, N) ->
    case gen_tcp:accept(L) of
        {ok, S} ->
            H = spawn(fun() -> receive go -> handler(S, Main, 0, 0) end end),
            ok = gen_tcp:controlling_process(S, H),
            H ! go,
            acceptor(L, Main, N + 1);
        Error ->
            Main ! {acceptor, self(), {N, Error}}
    end.

handler(S, Main, Msgs, Bytes) ->
    ok = inet:setopts(S, [{active, once}]),
    receive
        {tcp, S, Data} ->
            ok = gen_tcp:send(S, reply(Data)),
            handler(S, Main, Msgs + 1, Bytes + byte_size(Data));
        {tcp_closed, S} ->
            Main ! {handler, Msgs, Bytes}
    end.

reply(<<"sum ", Rest/binary>>) ->
    integer_to_binary(lists:sum([binary_to_integer(X) || X <- binary:split(Rest, <<" ">>, [global])]));
reply(Data) ->
    Data.

client(I, Port, Main) ->
    {ok, S} = gen_tcp:connect({127,0,0,1}, Port, [binary, {packet, 4}, {active, false}], 10000),
    Sizes = [(I * 7919 + K * 104729) rem (1 bsl (K rem 18)) || K <- lists:seq(1, ?MSGS)],
    Msgs = [payload(I, K, N) || {K, N} <- lists:zip(lists:seq(1, ?MSGS), Sizes)],
    %% half the messages pipelined, the rest one at a time
    {Pipelined, Single} = lists:split(?MSGS div 2, Msgs),
    [ok = gen_tcp:send(S, M) || M <- Pipelined],
    Echo1 = [gen_tcp:recv(S, 0, 10000) || _ <- Pipelined],
    Echo2 = [begin ok = gen_tcp:send(S, M), gen_tcp:recv(S, 0, 10000) end || M <- Single],
    Same = [{ok, M} || M <- Msgs] =:= Echo1 ++ Echo2,
    ok = gen_tcp:send(S, iolist_to_binary(["sum ", lists:join(" ", [integer_to_list(X) || X <- Sizes])])),
    {ok, Sum} = gen_tcp:recv(S, 0, 10000),
    ok = gen_tcp:close(S),
    Main ! {done, I, {Same, binary_to_integer(Sum) =:= lists:sum(Sizes), lists:sum(Sizes)}}.

payload(I, K, N) ->
    Seed = <<I:8, K:8>>,
    binary:part(binary:copy(<<Seed/binary, "0123456789abcdef">>, N div 18 + 1), 0, N).
