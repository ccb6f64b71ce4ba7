%% Kernel's `error_logger` set to `silent` on the command line
%% (run_logger_silent.args): erl's boot starts no default handler, so
%% nothing the program logs is printed; a handler added later prints.
-module(run_logger_silent).
-export([main/0]).

main() ->
    io:format("handlers ~p~n", [logger:get_handler_ids()]),
    io:format("env ~p ~p~n", [application:get_env(kernel, logger),
                              application:get_env(kernel, error_logger)]),
    logger:error("not shown: no handler"),
    ok = logger:add_handler(late, logger_std_h,
                            #{formatter => {logger_formatter, #{template => ["L: ", msg, "\n"]}}}),
    logger:error("shown by the late handler"),
    ok = logger_std_h:filesync(late),
    io:format("handlers ~p~n", [lists:sort(logger:get_handler_ids())]).
