%% A -App Key Value whose value does not parse
%% (run_app_config_badvalue.args): the boot ends before the program
%% runs, with erl's report and status.
-module(run_app_config_badvalue).
-export([main/0]).

main() ->
    io:format("not reached~n").
