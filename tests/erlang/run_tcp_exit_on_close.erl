-module(run_tcp_exit_on_close).
-export([main/0]).

%% An active socket whose peer closes, with exit_on_close (the default):
%% the port closes itself as inet_drv's driver_exit closes it, unlinked
%% from its owner first, so an owner that traps exits gets
%% {tcp_closed, S} and no {'EXIT', S, normal}; other linked processes get
%% the exit signal and monitors their 'DOWN'. OTP's ssl traps exits and
%% stops at {'EXIT', Socket, normal} from its socket, losing data it held
%% for a passive reader: session 21's rare run_ssl_basic failure. Every
%% wait is for a message by pattern; the owner's `after` waits are for a
%% message erl never sends. A passive socket whose receive found the end
%% sends tcp_closed when made active, and closes.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    process_flag(trap_exit, true),
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, binary, {active, false}]),
    {ok, Port} = inet:port(L),
    Main = self(),
    {ok, C} = gen_tcp:connect({127,0,0,1}, Port, [binary, {active, true}], 5000),
    {ok, A} = gen_tcp:accept(L, 5000),
    Linked = spawn(fun() ->
        process_flag(trap_exit, true),
        true = link(C),
        Main ! {linked, self()},
        receive {'EXIT', C, Why} -> Main ! {linked_exit, Why} end
    end),
    receive {linked, Linked} -> ok end,
    MRef = erlang:monitor(port, C),
    ok = gen_tcp:send(A, <<"bye">>),
    ok = gen_tcp:close(A),
    p(data, receive {tcp, C, D} -> D after 5000 -> timeout end),
    p(closed, receive {tcp_closed, C} -> closed after 5000 -> timeout end),
    p(linked_exit, receive {linked_exit, W} -> W after 5000 -> timeout end),
    p(down, receive {'DOWN', MRef, port, C, R} -> R after 5000 -> timeout end),
    p(owner_exit, receive {'EXIT', C, E} -> E after 200 -> none end),
    {links, Links} = process_info(self(), links),
    p(owner_linked, lists:member(C, Links)),
    p(port_info, erlang:port_info(C, connected)),
    p(setopts, inet:setopts(C, [{active, once}])),
    p(close, gen_tcp:close(C)),
    %% Without exit_on_close the port stays open, linked to its owner.
    {ok, C2} = gen_tcp:connect({127,0,0,1}, Port,
                               [binary, {active, true}, {exit_on_close, false}], 5000),
    {ok, A2} = gen_tcp:accept(L, 5000),
    ok = gen_tcp:close(A2),
    p(closed2, receive {tcp_closed, C2} -> closed after 5000 -> timeout end),
    p(owner_exit2, receive {'EXIT', C2, E2} -> E2 after 200 -> none end),
    p(port_info2, erlang:port_info(C2, connected) =:= {connected, self()}),
    p(close2, gen_tcp:close(C2)),
    p(owner_exit3, receive {'EXIT', C2, E3} -> E3 after 200 -> none end),
    %% A passive receive finds the end; made active, the socket sends
    %% tcp_closed and closes (the driver's delayed close).
    {ok, C3} = gen_tcp:connect({127,0,0,1}, Port, [binary, {active, false}], 5000),
    {ok, A3} = gen_tcp:accept(L, 5000),
    ok = gen_tcp:send(A3, <<"last">>),
    ok = gen_tcp:close(A3),
    p(recv3, [gen_tcp:recv(C3, 0, 5000), gen_tcp:recv(C3, 0, 5000)]),
    p(port_info3, erlang:port_info(C3, connected) =:= {connected, self()}),
    p(setopts3, inet:setopts(C3, [{active, once}])),
    p(closed3, receive {tcp_closed, C3} -> closed after 5000 -> timeout end),
    p(owner_exit4, receive {'EXIT', C3, E4} -> E4 after 200 -> none end),
    p(after3, [inet:getopts(C3, [active]), gen_tcp:recv(C3, 0, 100),
               gen_tcp:send(C3, <<"x">>), gen_tcp:close(C3)]),
    ok = gen_tcp:close(L).
