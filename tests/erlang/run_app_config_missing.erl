%% A -config file that is not there (run_app_config_missing.args): the
%% boot ends before the program runs, with erl's report and status.
-module(run_app_config_missing).
-export([main/0]).

main() ->
    io:format("not reached~n").
