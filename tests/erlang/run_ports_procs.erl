%% Ports and processes: many processes with ports of their own at once
%% (each reports to the main process, which takes the reports in a fixed
%% order), `os:cmd/1` from many processes, and an owner that crashes while
%% its port's program runs (the port closes with the crash's reason; its
%% monitor and a linked process see it).
-module(run_ports_procs).
-export([main/0]).

main() ->
    process_flag(trap_exit, true),
    logger:set_primary_config(level, none),
    Self = self(),
    N = 12,
    Workers = [spawn_link(fun() -> echo_worker(Self, I) end) || I <- lists:seq(1, N)],
    Echoes = [receive {W, echoed, D} -> D end || W <- Workers],
    io:format("echoes: ~p~n", [Echoes]),
    [receive {'EXIT', W, normal} -> ok end || W <- Workers],
    Cmds = [spawn_link(fun() -> Self ! {self(), os:cmd("echo cmd" ++ integer_to_list(I))} end)
            || I <- lists:seq(1, N)],
    io:format("os:cmd: ~p~n", [[receive {C, Out} -> Out end || C <- Cmds]]),
    [receive {'EXIT', C, normal} -> ok end || C <- Cmds],
    crash().


%% Writes its number to a `cat` port as a 2-byte packet and reports what
%% comes back; the port closes with it (a normal exit of its owner).
echo_worker(Main, I) ->
    P = open_port({spawn, "cat"}, [{packet, 2}, binary]),
    port_command(P, integer_to_binary(I * I)),
    D = receive {P, {data, Bin}} -> Bin end,
    Main ! {self(), echoed, D}.

crash() ->
    Self = self(),
    Owner = spawn(fun() ->
                          P = open_port({spawn, "cat"}, []),
                          Self ! {self(), port, P},
                          receive crash -> error(crashed) end
                  end),
    P = receive {Owner, port, Port} -> Port end,
    R = monitor(port, P),
    Linked = spawn(fun() ->
                           process_flag(trap_exit, true),
                           link(P),
                           Self ! {self(), linked},
                           receive {'EXIT', P, Why} -> Self ! {self(), Why} end
                   end),
    receive {Linked, linked} -> ok end,
    Owner ! crash,
    %% BEAM's `'DOWN'` of a port closed with a boxed reason says `process`.
    {Reason, _Stack} = receive {'DOWN', R, process, P, W} -> W end,
    io:format("port closed: ~p~n", [Reason]),
    io:format("linked got: ~p~n", [receive {Linked, {Why, _}} -> Why end]),
    io:format("port info: ~p~n", [erlang:port_info(P)]).
