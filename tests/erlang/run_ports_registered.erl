%% Ports by registered name (register/2 of a port, whereis, registered/0,
%% port_info's registered_name, `Name ! Msg`, erlang:send/2,3,
%% port_command, port_control, port_connect, port_get_data and port_close
%% by name, the name gone when the port closes, BEAM's error causes), and
%% what a port does with a message it does not take (`badsig`): a command
%% from a process other than the connected one, or any other term, sends
%% the connected process an exit signal `badsig`, linked or not; the port
%% stays open if that process traps exits, and closes with it if not.
-module(run_ports_registered).
-export([main/0]).
t(F) -> try F() catch C:R:S -> {C, R, case S of [{_, _, _, I} | _] -> I; _ -> [] end} end.

main() ->
    process_flag(trap_exit, true),
    by_name(),
    badsig(),
    badsig_kills(),
    ok.

by_name() ->
    P = open_port({spawn, "cat"}, [binary]),
    io:format("~p~n", [t(fun() -> register(catport, P) end)]),
    io:format("~p~n", [[K || {K, _} <- erlang:port_info(P)]]),
    io:format("~p~n", [t(fun() -> register(other, P) end)]),
    io:format("~p~n", [t(fun() -> register(catport, self()) end)]),
    io:format("~p~n", [t(fun() -> erlang:port_info(catport, connected) end) =:= {connected, self()}]),
    io:format("~p~n", [t(fun() -> erlang:port_info(nobody) end)]),
    io:format("~p~n", [t(fun() -> erlang:port_info(nobody, id) end)]),
    io:format("~p~n", [t(fun() -> erlang:port_control(catport, 1, []) end)]),
    io:format("~p~n", [t(fun() -> erlang:port_connect(catport, self()) end)]),
    io:format("~p~n", [t(fun() -> erlang:send(catport, {self(), {command, <<"s">>}}) end) =/= x]),
    io:format("~p~n", [receive {P, {data, D}} -> D after 2000 -> timeout end]),
    io:format("~p~n", [t(fun() -> erlang:send(catport, {self(), {command, <<"n">>}}, [noconnect]) end)]),
    io:format("~p~n", [receive {P, {data, D2}} -> D2 after 2000 -> timeout end]),
    io:format("~p~n", [t(fun() -> erlang:port_command(catport, <<"c">>, [nosuspend]) end)]),
    io:format("~p~n", [receive {P, {data, D3}} -> D3 after 2000 -> timeout end]),
    io:format("~p~n", [t(fun() -> catport ! junk end)]),
    io:format("~p~n", [t(fun() -> erlang:port_get_data(catport) end)]),
    io:format("~p~n", [t(fun() -> port_close(catport) end)]),
    io:format("~p~n", [{whereis(catport), lists:member(catport, registered())}]),
    P2 = open_port({spawn, "cat"}, []),
    port_close(P2),
    io:format("~p~n", [t(fun() -> register(dead, P2) end)]),
    io:format("~p~n", [t(fun() -> port_close(nobody) end)]),
    io:format("~p~n", [t(fun() -> erlang:port_command(nobody, <<"x">>) end)]),
    ok.

badsig() ->
    P = open_port({spawn, "cat"}, [binary]),
    Self = self(),
    spawn(fun() -> P ! {self(), {command, <<"a">>}}, Self ! sent end),
    receive sent -> ok end,
    io:format("a ~p~n", [receive {P, {data, D}} -> D after 500 -> timeout end]),
    Other = spawn(fun() -> receive _ -> ok end end),
    P ! {Other, {command, <<"b">>}},
    io:format("b ~p~n", [receive {P, {data, D2}} -> D2 after 500 -> timeout end]),
    io:format("~p~n", [[receive {'EXIT', P, R} -> R after 2000 -> timeout end || _ <- [1, 2]]]),
    io:format("open ~p~n", [erlang:port_info(P, id) =/= undefined]),
    P2 = open_port({spawn, "cat"}, [binary]),
    unlink(P2),
    P2 ! junk,
    io:format("unlinked ~p~n", [receive {'EXIT', P2, R2} -> R2 after 2000 -> timeout end]),
    io:format("open ~p~n", [erlang:port_info(P2, id) =/= undefined]),
    port_close(P), port_close(P2),
    ok.

badsig_kills() ->
    Self = self(),
    {Pid, Ref} = spawn_monitor(fun() -> P = open_port({spawn, "cat"}, [binary]), Self ! {port, P}, P ! junk, receive after 2000 -> ok end end),
    P = receive {port, X} -> X end,
    io:format("~p~n", [receive {'DOWN', Ref, process, Pid, R} -> R after 3000 -> timeout end]),
    timer:sleep(50),
    io:format("~p~n", [erlang:port_info(P, id)]).
