%% An invalid logger configuration (run_logger_config_bad.args): kernel's
%% start fails and the boot ends before the program, as erl's.
-module(run_logger_config_bad).
-export([main/0]).

main() ->
    io:format("not reached~n").
