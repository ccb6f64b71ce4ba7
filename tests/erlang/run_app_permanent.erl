%% A permanent application whose top process dies ends the system as on
%% BEAM: the application controller exits, and `init` writes its tuple on
%% standard output and halts with the slogan (exit status 1).
-module(run_app_permanent).
-export([main/0, start/2, stop/1]).
main() ->
    logger:set_primary_config(level, none),
    ok = application:load({application, perm_app, [{mod, {?MODULE, []}}, {vsn, "1"}]}),
    io:format("~p~n", [application:start(perm_app, permanent)]),
    exit(whereis(perm_top), kill),
    receive after infinity -> ok end.
start(normal, []) ->
    Pid = spawn_link(fun() -> receive after infinity -> ok end end),
    register(perm_top, Pid),
    {ok, Pid}.
stop(_) -> ok.
