%% A start command that raises (run_start_commands_fail.args): the boot
%% ends there with status 1, before the program's own function.
-module(run_start_commands_fail).
-export([main/0, boom/0]).

boom() ->
    io:format("boom~n"),
    erlang:error({boom, lists:seq(1, 3)}).

main() ->
    io:format("not reached~n").
