-module(run_tcp_active).
-export([main/0]).

%% gen_tcp in active mode (true, once, N), controlling_process/2, sockets
%% accepted and owned by other processes, a socket closed by its owner's
%% death. Every ordering is explicit: each step waits for the message it
%% expects, by pattern.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

pair(L, COpts) ->
    {ok, Port} = inet:port(L),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [{active, false} | COpts], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    {C, A}.

msg(S) ->
    receive
        {tcp, S, D} -> {tcp, D};
        {tcp_closed, S} -> tcp_closed;
        {tcp_error, S, R} -> {tcp_error, R};
        {tcp_passive, S} -> tcp_passive
    after 5000 -> timeout
    end.

none(S) ->
    receive
        {tcp, S, _} = M -> M;
        {tcp_passive, S} -> tcp_passive
    after 100 -> none
    end.

main() ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, {active, false}, binary, {packet, 2}]),
    {C, A} = pair(L, [binary, {packet, 2}]),
    %% active true
    ok = inet:setopts(A, [{active, true}]),
    [ok = gen_tcp:send(C, X) || X <- [<<"a">>, <<"bb">>, <<"ccc">>]],
    p(active_true, [msg(A), msg(A), msg(A), inet:getopts(A, [active])]),
    %% active once
    ok = inet:setopts(A, [{active, once}]),
    [ok = gen_tcp:send(C, X) || X <- [<<"one">>, <<"two">>]],
    p(active_once, [msg(A), none(A), inet:getopts(A, [active]),
                    inet:setopts(A, [{active, once}]), msg(A)]),
    %% active N
    ok = inet:setopts(A, [{active, 2}]),
    p(active_n_opt, inet:getopts(A, [active])),
    [ok = gen_tcp:send(C, X) || X <- [<<"n1">>, <<"n2">>, <<"n3">>]],
    p(active_n, [msg(A), msg(A), msg(A), inet:getopts(A, [active]), none(A)]),
    p(active_n_more, [inet:setopts(A, [{active, 1}]), msg(A), msg(A)]),
    p(active_n_add, [inet:setopts(A, [{active, 3}]), inet:setopts(A, [{active, 4}]),
                     inet:getopts(A, [active]), inet:setopts(A, [{active, -7}]), msg(A),
                     inet:getopts(A, [active])]),
    p(active_n_neg, [inet:setopts(A, [{active, -5}]), msg(A), inet:getopts(A, [active])]),
    p(active_n_limit, [inet:setopts(A, [{active, 32767}]), inet:setopts(A, [{active, 1}]),
                       inet:getopts(A, [active]), inet:setopts(A, [{active, false}])]),
    %% data that arrived while passive comes when active again
    ok = gen_tcp:send(C, <<"queued">>),
    p(queued, [none(A), inet:setopts(A, [{active, true}]), msg(A)]),
    %% list mode with a header
    ok = inet:setopts(A, [list, {header, 1}]),
    ok = gen_tcp:send(C, <<"xyz">>),
    p(list_header, msg(A)),
    ok = inet:setopts(A, [binary, {header, 0}]),
    %% the peer closes: {tcp_closed, A}, and the port closes
    MRef = erlang:monitor(port, A),
    ok = gen_tcp:send(C, <<"bye">>),
    ok = gen_tcp:close(C),
    p(closed, [msg(A), msg(A), receive {'DOWN', MRef, port, A, R} -> R after 5000 -> timeout end,
               gen_tcp:send(A, <<"x">>)]),
    %% an oversized packet: tcp_error then tcp_closed
    {C2, A2} = pair(L, [binary, {packet, 2}]),
    ok = inet:setopts(A2, [{packet_size, 3}, {active, true}]),
    ok = gen_tcp:send(C2, <<"abcd">>),
    p(emsgsize, [msg(A2), msg(A2)]),
    gen_tcp:close(C2),
    owners(L),
    exit_on_close(L),
    ok = gen_tcp:close(L).

%% A socket that closes itself when its peer closes (or it fails) exits
%% as inet_drv's driver_exit makes it: its owner (trapping exits here, as
%% the harness's process does) is unlinked first and gets no 'EXIT';
%% another linked process that traps exits gets one, with `normal` or the
%% error; monitors get 'DOWN'. The port's signals to one process keep
%% their order, so once 'DOWN' is in, any 'EXIT' would be too.
exit_on_close(L) ->
    process_flag(trap_exit, true),
    Self = self(),
    [begin
         {C, A} = pair(L, [binary, {packet, 2}]),
         Linker = spawn(fun() ->
                                process_flag(trap_exit, true),
                                link(A),
                                Self ! {self(), linked},
                                receive {'EXIT', A, Why} -> Self ! {self(), Why} end
                        end),
         receive {Linker, linked} -> ok end,
         MRef = erlang:monitor(port, A),
         ok = inet:setopts(A, [{packet_size, Size}, {active, true}]),
         ok = gen_tcp:send(C, <<"abcd">>),
         ok = gen_tcp:close(C),
         Msgs = [msg(A) || _ <- lists:seq(1, Count)],
         Down = receive {'DOWN', MRef, port, A, R} -> R after 5000 -> timeout end,
         Own = receive {'EXIT', A, Why} -> Why after 0 -> no_exit end,
         Linked = receive {Linker, W} -> W after 5000 -> timeout end,
         p(exit_on_close, {Msgs, Down, Own, Linked})
     end || {Size, Count} <- [{0, 2}, {3, 2}]],
    ok.

owners(L) ->
    Main = self(),
    %% a socket accepted by another process is owned by it
    Acceptor = spawn(fun() ->
        {ok, S} = gen_tcp:accept(L, 5000),
        Main ! {accepted, self(), erlang:port_info(S, connected) =:= {connected, self()}},
        receive {give, To} -> ok = gen_tcp:controlling_process(S, To), Main ! {given, S} end,
        receive stop -> ok end
    end),
    {ok, Port} = inet:port(L),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [binary, {packet, 2}, {active, false}], 5000),
    p(accepted_owner, receive {accepted, Acceptor, X} -> X after 5000 -> timeout end),
    p(own_socket, gen_tcp:controlling_process(C, self())),
    Acceptor ! {give, self()},
    A = receive {given, S} -> S after 5000 -> timeout end,
    Acceptor ! stop,
    p(given_owner, erlang:port_info(A, connected) =:= {connected, self()}),
    %% hand A on to a process that forwards what it gets
    Fwd = spawn(fun() -> receive go -> ok end, forward(Main) end),
    p(give, gen_tcp:controlling_process(A, Fwd)),
    p(not_owner, gen_tcp:controlling_process(A, self())),
    ok = inet:setopts(A, [{active, true}]),
    Fwd ! go,
    [ok = gen_tcp:send(C, X) || X <- [<<"f1">>, <<"f2">>]],
    ok = gen_tcp:close(C),
    p(forwarded, [receive {fwd, M} -> M after 5000 -> timeout end || _ <- [1, 2, 3]]),
    %% the owner's death closes its socket
    Self = self(),
    Dier = spawn(fun() ->
        {ok, D} = gen_tcp:connect({127,0,0,1}, Port, [{active, false}], 5000),
        Self ! {connected, self()},
        ok = gen_tcp:send(D, "dying words"),
        receive never -> D end
    end),
    receive {connected, Dier} -> ok end,
    {ok, A3} = gen_tcp:accept(L, 5000),
    ok = inet:setopts(A3, [{packet, raw}, list]),
    MRef = erlang:monitor(process, Dier),
    exit(Dier, kill),
    receive {'DOWN', MRef, process, Dier, _} -> ok end,
    p(owner_died, [gen_tcp:recv(A3, 11, 5000), gen_tcp:recv(A3, 0, 5000)]),
    gen_tcp:close(A3).

forward(Main) ->
    receive
        {tcp, _, D} -> Main ! {fwd, {tcp, D}}, forward(Main);
        {tcp_closed, _} -> Main ! {fwd, tcp_closed}
    end.
