%% Ports to external programs (`open_port/2` with `spawn` and
%% `spawn_executable`): data in stream, line and packet modes, lists and
%% binaries, `eof`, `exit_status`, `{args, _}`, `{cd, _}`, `{env, _}`,
%% `stderr_to_stdout`, `in`, `nouse_stdio`; commands by `port_command/2,3` and
%% `Port ! {Pid, {command, D}}`; closing by `port_close/1`, `{Pid, close}`
%% and the program's end; `port_info/1,2`, `erlang:ports/0`, `is_port/1`,
%% ports printed, sorted and hashed. Data is compared concatenated (a
%% program's output may arrive in other chunks on erl), and a port's
%% messages are waited for one by one, so the order is fixed.
-module(run_ports).
-export([main/0]).

main() ->
    process_flag(trap_exit, true),
    stream(),
    lines(),
    packets(),
    executable(),
    environment(),
    closing(),
    info(),
    terms(),
    ok.

%% The data of `Port` up to its exit status (the program's output ends
%% before it exits); then the `'EXIT'` of its closing.
until_status(Port) -> until_status(Port, []).
until_status(Port, Acc) ->
    receive
        {Port, {data, D}} -> until_status(Port, [Acc, D]);
        {Port, {exit_status, N}} ->
            receive {'EXIT', Port, Why} -> {iolist_to_binary(Acc), N, Why} end
    end.

%% With `eof`: the data chunks, and the exit status if `Want`, which
%% may come before the last data or the `eof` (BEAM does not order them).
until_eof(Port, Want) -> until_eof(Port, Want, [], false, none).
until_eof(_Port, false, Acc, true, _) -> lists:reverse(Acc);
until_eof(_Port, true, Acc, true, N) when N =/= none -> {lists:reverse(Acc), N};
until_eof(Port, Want, Acc, Eof, N) ->
    receive
        {Port, {data, D}} -> until_eof(Port, Want, [D | Acc], Eof, N);
        {Port, eof} when not Eof -> until_eof(Port, Want, Acc, true, N);
        {Port, {exit_status, S}} when Want, N =:= none -> until_eof(Port, Want, Acc, Eof, S)
    end.

%% Closes `Port` and takes its `'EXIT'`.
close(Port) ->
    true = port_close(Port),
    receive {'EXIT', Port, normal} -> ok end.

stream() ->
    %% BEAM runs `sh -c "exec Command"`: only the first command runs.
    P0 = open_port({spawn, "echo hello; echo world"}, [exit_status]),
    io:format("exec: ~p~n", [until_status(P0)]),
    P1 = open_port({spawn, "sh -c 'echo hello; echo world'"}, [exit_status]),
    io:format("port ~p is_port ~p~n", [P1, is_port(P1)]),
    io:format("echo: ~p~n", [until_status(P1)]),
    P2 = open_port({spawn, "sh -c 'exit 3'"}, [exit_status]),
    io:format("exit 3: ~p~n", [until_status(P2)]),
    P3 = open_port({spawn, "sh -c 'kill -9 $$'"}, [exit_status]),
    io:format("killed: ~p~n", [until_status(P3)]),
    P4 = open_port({spawn, "head -c 6"}, [binary, eof, exit_status]),
    true = port_command(P4, "abc"),
    P4 ! {self(), {command, [<<"d">>, $e | <<"f">>]}},
    {Chunks, St} = until_eof(P4, true),
    io:format("head: ~p ~p all binaries ~p~n",
              [iolist_to_binary(Chunks), St, lists:all(fun is_binary/1, Chunks)]),
    io:format("still open after eof: ~p~n", [lists:member(P4, erlang:ports())]),
    true = port_close(P4),
    io:format("port_close: ~p~n", [receive {'EXIT', P4, W4} -> W4 end]),
    io:format("closed: ~p ~p~n", [lists:member(P4, erlang:ports()), erlang:port_info(P4)]),
    P5 = open_port({spawn, "sh -c 'echo out; echo err >&2'"}, [stderr_to_stdout, exit_status, in]),
    {Out5, 0, normal} = until_status(P5),
    io:format("stderr_to_stdout: ~p~n", [lists:sort(string:split(Out5, "\n", all))]),
    P6 = open_port({spawn, "cat"}, [eof]),
    port_command(P6, lists:seq(1, 255)),
    io:format("force: ~p~n", [catch_error(fun() -> port_command(P6, "x", [force]) end)]),
    true = port_command(P6, <<"tail">>, [nosuspend]),
    io:format("cat list: ~p~n", [receive_bytes(P6, 259, [])]),
    close(P6).

%% `N` bytes of data from `Port`.
receive_bytes(_Port, 0, Acc) -> lists:append(lists:reverse(Acc));
receive_bytes(Port, N, Acc) ->
    receive {Port, {data, D}} -> receive_bytes(Port, N - length(D), [D | Acc]) end.

lines() ->
    L1 = open_port({spawn, "printf 'a\\nbcdefgh\\nabc\\nabcd\\n\\nij'"}, [{line, 3}, eof]),
    io:format("lines: ~p~n", [until_eof(L1, false)]),
    close(L1),
    L2 = open_port({spawn, "printf 'one\\ntwo\\n'"}, [{line, 80}, binary, eof, exit_status]),
    io:format("binary lines: ~p~n", [until_eof(L2, true)]),
    close(L2).

packets() ->
    K1 = open_port({spawn, "printf '\\000\\003abc\\000\\000\\000\\001x'"}, [{packet, 2}, eof]),
    io:format("packet 2: ~p~n", [until_eof(K1, false)]),
    close(K1),
    K2 = open_port({spawn, "cat"}, [{packet, 1}, binary]),
    port_command(K2, "hello"),
    port_command(K2, <<>>),
    port_command(K2, [<<"wor">>, "ld"]),
    Got = [receive {K2, {data, D}} -> D end || _ <- [1, 2, 3]],
    io:format("packet 1 round trip: ~p~n", [Got]),
    K3 = open_port({spawn, "cat"}, [{packet, 4}]),
    port_command(K3, lists:duplicate(70000, $z)),
    io:format("packet 4 size: ~p~n", [receive {K3, {data, D3}} -> length(D3) end]),
    close(K2),
    close(K3).

executable() ->
    Printf = os:find_executable("printf"),
    E1 = open_port({spawn_executable, Printf},
                   [{args, ["%s-%s|", "a b", <<"c">>]}, exit_status]),
    io:format("args: ~p~n", [until_status(E1)]),
    E2 = open_port({spawn_executable, "/bin/sh"},
                   [{args, ["-c", "echo $#"]}, {arg0, "mysh"}, exit_status]),
    io:format("arg0: ~p~n", [until_status(E2)]),
    E3 = open_port({spawn, "pwd"}, [{cd, "/"}, exit_status]),
    io:format("cd: ~p~n", [until_status(E3)]),
    %% nouse_stdio: the program reads descriptor 3 and writes 4.
    E4 = open_port({spawn, "sh -c 'echo on4 >&4; head -c 5 <&3 >&4'"},
                   [nouse_stdio, exit_status, binary]),
    port_command(E4, "via3\n"),
    io:format("nouse_stdio: ~p~n", [until_status(E4)]).

environment() ->
    os:putenv("RUN_PORTS_GONE", "here"),
    V1 = open_port({spawn, "echo \"$RUN_PORTS_A-${RUN_PORTS_GONE:-unset}\""},
                   [{env, [{"RUN_PORTS_A", "set"}, {"RUN_PORTS_GONE", false}]}, exit_status]),
    io:format("env: ~p~n", [until_status(V1)]),
    io:format("os:cmd: ~p~n", [os:cmd("echo hi; echo there >&2; exit 3")]),
    io:format("os:cmd empty: ~p~n", [os:cmd("true")]),
    io:format("os:cmd atom: ~p~n", [os:cmd('printf "%s" x')]),
    io:format("os:cmd max_size: ~p~n", [os:cmd("echo 0123456789", #{max_size => 4})]),
    io:format("os:cmd stdin closed: ~p~n", [os:cmd("cat")]),
    io:format("os:cmd unicode: ~p~n", [os:cmd("printf '\\303\\251'")]),
    io:format("os:cmd badarg: ~p~n", [catch_error(fun() -> os:cmd({bad}) end)]),
    io:format("getpid: ~p~n", [is_list(os:getpid())]).

closing() ->
    %% `{Pid, close}`: the exit signal, then `{Port, closed}`.
    C1 = open_port({spawn, "cat"}, []),
    C1 ! {self(), close},
    io:format("close msg: ~p~n",
              [[receive {'EXIT', C1, W1} -> W1 end, receive {C1, closed} -> closed end]]),
    %% `{Pid, {connect, New}}`: `{Port, connected}` to the old owner, data
    %% to the new one.
    Self = self(),
    New = spawn(fun() -> helper(Self) end),
    C2 = open_port({spawn, "cat"}, []),
    C2 ! {self(), {connect, New}},
    io:format("connect msg: ~p~n", [receive {C2, connected} -> connected end]),
    New ! {echo, C2, "via new"},
    io:format("new owner got: ~p~n", [receive {New, got, D2} -> D2 end]),
    io:format("connected: ~p~n", [erlang:port_info(C2, connected) =:= {connected, New}]),
    %% port_connect/2 links the new owner too.
    C3 = open_port({spawn, "cat"}, []),
    true = port_connect(C3, New),
    {links, Links} = erlang:port_info(C3, links),
    io:format("port_connect links: ~p~n", [lists:sort(Links) =:= lists:sort([Self, New])]),
    New ! {echo, C3, <<"bin">>},
    io:format("new owner got: ~p~n", [receive {New, got, D3} -> D3 end]),
    %% The connected process ends: a port it is linked to closes with its
    %% reason (`{connect, New}` made no link: C2 stays open).
    R3 = monitor(port, C3),
    New ! {exit, boom},
    io:format("owner died: ~p~n", [receive {'DOWN', R3, port, C3, W3} -> W3 end]),
    io:format("linked: ~p~n", [receive {'EXIT', C3, W3x} -> W3x end]),
    io:format("unlinked owner died: ~p~n", [erlang:port_info(C2, name)]),
    close(C2),
    %% exit/2 closes a port with any reason, `kill` as `killed`.
    C4 = open_port({spawn, "cat"}, []),
    R4 = monitor(port, C4),
    Other = spawn(fun() -> exit(C4, normal), Self ! {self(), done} end),
    receive {Other, done} -> ok end,
    io:format("exit normal: ~p~n", [[receive {'EXIT', C4, Wa} -> Wa end,
                                     receive {'DOWN', R4, port, C4, Wb} -> Wb end]]),
    C4k = open_port({spawn, "cat"}, []),
    R4k = monitor(port, C4k),
    exit(C4k, kill),
    io:format("killed: ~p~n", [[receive {'EXIT', C4k, Wc} -> Wc end,
                                receive {'DOWN', R4k, port, C4k, Wd} -> Wd end]]),
    C5 = open_port({spawn, "cat"}, []),
    exit(C5, shutdown),
    io:format("exit/2: ~p~n", [receive {'EXIT', C5, W5} -> W5 end]),
    %% BEAM's `'DOWN'` of a port closed with a list or boxed reason says
    %% `process`.
    D1 = open_port({spawn, "cat"}, []),
    RD1 = monitor(port, D1),
    exit(D1, {shut, down}),
    io:format("boxed reason: ~p~n", [[receive {'EXIT', D1, WD} -> WD end,
                                      receive {'DOWN', RD1, Type, D1, WD1} -> {Type, WD1} end]]),
    Dx = open_port({spawn, "cat"}, []),
    RDx = monitor(port, Dx),
    exit(Dx, "text"),
    io:format("list reason: ~p~n", [[receive {'EXIT', Dx, WD2} -> WD2 end,
                                     receive {'DOWN', RDx, Type2, Dx, WD3} -> {Type2, WD3} end]]),
    %% A message the port does not understand sends its connected process
    %% an exit signal `badsig` (the port stays open: run_ports_registered).
    logger:set_primary_config(level, none),
    C6 = open_port({spawn, "cat"}, []),
    C6 ! {self(), what},
    io:format("badsig: ~p~n", [receive {'EXIT', C6, W6} -> W6 end]),
    C7 = open_port({spawn, "cat"}, []),
    C7 ! {self(), {command, [foo]}},
    io:format("bad command: ~p~n", [receive {'EXIT', C7, W7} -> W7 end]),
    %% unlink: closing the port sends no exit signal.
    C8 = open_port({spawn, "cat"}, []),
    true = unlink(C8),
    io:format("unlinked: ~p~n", [erlang:port_info(C8, links)]),
    true = port_close(C8),
    io:format("no exit: ~p~n", [receive {'EXIT', C8, _} -> exit after 0 -> none end]),
    %% Errors on a closed port; link and monitor report `noproc`.
    io:format("port_close: ~p~n", [catch_error(fun() -> port_close(C1) end)]),
    io:format("port_command: ~p~n", [catch_error(fun() -> port_command(C1, "x") end)]),
    io:format("port_connect: ~p~n", [catch_error(fun() -> port_connect(C1, self()) end)]),
    io:format("port_info: ~p ~p~n", [erlang:port_info(C1), erlang:port_info(C1, name)]),
    io:format("link: ~p ~p~n", [link(C1), receive {'EXIT', C1, W9} -> W9 end]),
    R9 = monitor(port, C1),
    io:format("monitor: ~p~n", [receive {'DOWN', R9, port, C1, W10} -> W10 end]),
    C1 ! {self(), {command, "dropped"}},
    New2 = spawn(fun() -> ok end),
    C9 = open_port({spawn, "cat"}, []),
    M = monitor(process, New2),
    receive {'DOWN', M, process, New2, _} -> ok end,
    io:format("port_connect dead: ~p~n", [catch_error(fun() -> port_connect(C9, New2) end)]),
    io:format("bad data: ~p~n", [catch_error(fun() -> port_command(C9, [1, foo]) end)]),
    io:format("bad flag: ~p~n", [catch_error(fun() -> port_command(C9, "x", [bad]) end)]),
    io:format("bad item: ~p~n", [catch_error(fun() -> erlang:port_info(C9, bad) end)]),
    io:format("not a port: ~p~n", [catch_error(fun() -> erlang:port_info(self()) end)]),
    io:format("name: ~p~n", [erlang:port_info(no_such_port)]),
    close(C9),
    opens().

opens() ->
    Bad = [{{spawn, "true"}, [foo]},
           {{spawn, "true"}, notalist},
           {{spawn, "true"}, [{packet, 3}]},
           {{spawn, "true"}, [{line, 0}]},
           {{spawn, "true"}, [{args, ["a"]}]},
           {{spawn, ""}, []},
           {{spawnx, "true"}, []},
           {{spawn_executable, "/no/such/file"}, []},
           {{spawn_executable, "/no/such/file"}, [bad]}],
    [io:format("open_port ~p: ~p~n", [A, catch_error(fun() -> open_port(N, O) end)])
     || {N, O} = A <- Bad],
    %% An atom command is run too.
    P = open_port({spawn, true}, [exit_status]),
    io:format("atom command: ~p ~p~n", [P, until_status(P)]).

info() ->
    P = open_port({spawn, "cat"}, []),
    io:format("items: ~p~n", [[K || {K, _} <- erlang:port_info(P)]]),
    port_command(P, "12345"),
    receive_bytes(P, 5, []),
    io:format("counts: ~p ~p~n", [erlang:port_info(P, input), erlang:port_info(P, output)]),
    io:format("name: ~p~n", [erlang:port_info(P, name)]),
    R = monitor(port, P),
    io:format("monitored_by: ~p~n", [erlang:port_info(P, monitored_by) =:= {monitored_by, [self()]}]),
    demonitor(R),
    io:format("demonitored: ~p~n", [erlang:port_info(P, monitored_by)]),
    io:format("registered_name: ~p~n", [erlang:port_info(P, registered_name)]),
    {os_pid, OsPid} = erlang:port_info(P, os_pid),
    io:format("os_pid: ~p~n", [is_integer(OsPid) andalso OsPid > 0]),
    io:format("member: ~p~n", [lists:member(P, erlang:ports())]),
    close(P).

terms() ->
    P = open_port({spawn, "cat"}, []),
    Q = open_port({spawn, "cat"}, []),
    Sorted = lists:sort([self(), Q, {t}, P, 1.0, atom, [l]]),
    io:format("sorted: ~p~n", [[case is_pid(X) of true -> pid; false -> X end || X <- Sorted]]),
    io:format("compare: ~p~n", [{P < Q, P == P, P < self(), P > make_ref()}]),
    io:format("phash2: ~p ~p~n", [erlang:phash2(P), erlang:phash2({P, Q})]),
    io:format("round trip: ~p~n", [binary_to_term(term_to_binary(P)) =:= P]),
    io:format("to list: ~p~n", [erlang:port_to_list(P)]),
    io:format("format: ~s~n", [io_lib:format("~w", [Q])]),
    close(P),
    close(Q).

helper(Main) ->
    receive
        {echo, Port, Data} ->
            port_command(Port, Data),
            Got = receive {Port, {data, D}} -> D end,
            Main ! {self(), got, Got},
            helper(Main);
        {exit, Why} -> exit(Why)
    end.

catch_error(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:R:St ->
            [{M, Fn, A, Info} | _] = St,
            {R, M, Fn, [no_pid(X) || X <- A], proplists:get_value(error_info, Info)}
    end.

%% Pids differ between erl and Enigma.
no_pid(X) when is_pid(X) -> pid;
no_pid(X) -> X.

