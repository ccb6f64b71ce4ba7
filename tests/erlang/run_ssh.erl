%% OTP's ssh over 127.0.0.1, both ends in one node: a daemon with an
%% ECDSA host key made by public_key and password users, a client that
%% connects, opens a session channel and runs a command (the daemon's
%% `exec` fun answers it), the connection's information, a wrong password
%% refused, daemon and application stopped.
-module(run_ssh).
-export([main/0]).
main() ->
    logger:set_primary_config(level, none),
    Dir = filename:join("/tmp", "enigma_run_ssh_" ++ os:getpid()),
    ok = filelib:ensure_dir(Dir ++ "/x"),
    Key = public_key:generate_key({namedCurve, secp256r1}),
    Pem = public_key:pem_encode([public_key:pem_entry_encode('ECPrivateKey', Key)]),
    ok = file:write_file(Dir ++ "/ssh_host_ecdsa_key", Pem),
    io:format("start ~p~n", [ssh:start()]),
    {ok, D} = ssh:daemon({127,0,0,1}, 0, [{system_dir, Dir}, {user_passwords, [{"u", "pw"}]},
                                          {exec, {direct, fun(Cmd) -> {ok, {echo, Cmd}} end}}]),
    [{port, Port}] = ssh:daemon_info(D, [port]),
    {ok, C} = ssh:connect({127,0,0,1}, Port, [{user, "u"}, {password, "pw"}, {silently_accept_hosts, true},
                                             {user_interaction, false}, {user_dir, Dir}, {save_accepted_host, false}]),
    {ok, Ch} = ssh_connection:session_channel(C, 5000),
    success = ssh_connection:exec(C, Ch, "hello", 5000),
    io:format("data ~p~n", [receive {ssh_cm, C, {data, Ch, _, Data}} -> Data after 5000 -> timeout end]),
    io:format("info ~p~n", [[K || {K, _} <- ssh:connection_info(C, [client_version, server_version, user])]]),
    ok = ssh:close(C),
    io:format("bad pw ~p~n", [ssh:connect({127,0,0,1}, Port, [{user, "u"}, {password, "no"}, {silently_accept_hosts, true}, {user_interaction, false}, {user_dir, Dir}, {save_accepted_host, false}])]),
    ok = ssh:stop_daemon(D),
    io:format("stop ~p~n", [ssh:stop()]),
    [ok = file:delete(F) || F <- filelib:wildcard(Dir ++ "/*")],
    ok = file:del_dir(Dir).
