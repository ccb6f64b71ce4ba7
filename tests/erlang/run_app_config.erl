%% Application configuration from the command line (run_app_config.args):
%% `-config` files (a sys.config naming another file, and plain ones,
%% with and without the extension), `-App Key Value` arguments overriding
%% them, user flags, plain arguments after `-extra`; kernel's
%% `logger_level` from the configuration; an application loaded later
%% gets its configured and command-line environment merged over its own.
-module(run_app_config).
-export([main/0]).

main() ->
    Shown = [A || {K, _} = A <- init:get_arguments(),
                  not lists:member(K, [root, bindir, home, pa])],
    io:format("arguments ~p~n", [Shown]),
    io:format("plain ~p~n", [init:get_plain_arguments()]),
    io:format("flag ~p ~p ~p~n", [init:get_argument(myflag), init:get_argument(empty),
                                  init:get_argument(absent)]),
    io:format("kernel ~p~n", [[{K, application:get_env(kernel, K)}
                               || K <- [from_config, overridden, from_cmdline, twice,
                                        logger_level, connect_all]]]),
    io:format("stdlib ~p~n", [application:get_env(stdlib, shell_strings)]),
    io:format("level ~p~n", [maps:get(level, logger:get_primary_config())]),
    logger:notice("not shown at level warning"),
    ok = application:load({application, cfgapp,
                           [{description, "configured"}, {vsn, "1"}, {modules, []},
                            {registered, []}, {applications, [kernel, stdlib]},
                            {env, [{own, 1}, {replaced, 1}, {cmd, 1}]}]}),
    io:format("cfgapp ~p~n", [lists:sort(application:get_all_env(cfgapp))]),
    ok = application:set_env(cfgapp, own, 2),
    ok = application:unload(cfgapp),
    ok = application:load({application, cfgapp, [{env, [{own, 3}]}]}),
    io:format("reloaded ~p~n", [lists:sort(application:get_all_env(cfgapp))]),
    io:format("unconfigured ~p~n", [application:get_env(otherapp, x)]).
