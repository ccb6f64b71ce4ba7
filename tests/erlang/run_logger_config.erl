%% Kernel's logger configuration from a `-config` file
%% (run_logger_config.config), applied at boot as kernel's start applies
%% it: handlers replaced and added, primary metadata and filters, module
%% levels; what each handler then prints.
-module(run_logger_config).
-export([main/0]).
-include_lib("kernel/include/logger.hrl").

main() ->
    Primary = logger:get_primary_config(),
    io:format("primary ~p~n", [Primary]),
    io:format("handlers ~p~n", [lists:sort(logger:get_handler_ids())]),
    Handlers = maps:from_list([{Id, C} || #{id := Id} = C <- logger:get_handler_config()]),
    [begin
         #{module := M, level := L, formatter := F, filter_default := D} = maps:get(Id, Handlers),
         io:format("~p ~p ~p ~p~n  ~p~n", [Id, M, L, D, F])
     end || Id <- [default, to_file]],
    #{config := #{type := Type}} = maps:get(to_file, Handlers),
    io:format("to_file type ~p~n", [Type]),
    io:format("env ~p~n", [application:get_env(kernel, logger)]),
    io:format("module levels ~p~n", [logger:get_module_level()]),
    logger:notice("a notice ~p", [1]),
    logger:warning("a warning"),
    logger:error(#{what => report, n => 2}),
    logger:info("not shown at notice"),
    logger:error("hidden by the primary filter", #{domain => [secret, x]}),
    logger:notice("shown", #{domain => [other]}),
    %% The macros give the event this module (`mfa`), whose level is
    %% `error`; plain `logger` calls do not.
    ?LOG_WARNING("this module's warning: not shown"),
    ?LOG_ERROR("this module's error"),
    ok = logger_std_h:filesync(default),
    ok = logger_std_h:filesync(to_file),
    {ok, Bin} = file:read_file("run_logger_config.log"),
    io:format("file ~p~n", [Bin]),
    ok = logger:remove_handler(to_file),
    io:format("handlers ~p~n", [lists:sort(logger:get_handler_ids())]).
