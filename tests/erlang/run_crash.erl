%% An uncaught exception: exit status 1. Nothing is printed first: BEAM's
%% own crash report (erlang:display/1 from init, on standard output) races
%% with io output.
-module(run_crash).
-export([main/0]).

main() ->
    lists:nth(5, [1]).
