%% Processes ending with uncaught exceptions, for the crash reports BEAM's
%% logger prints (tests/tests/crash_report.rs): errors with short and long
%% reasons (the long one wraps as `~p` lays it out), a throw, a badmatch,
%% and an exit, which has no report.
-module(crash_report).
-export([main/0]).

main() ->
    crash(fun() -> erlang:error({bad, [1, 2], "text"}) end),
    crash(fun() -> erlang:error({long, lists:seq(1, 40), lists:duplicate(6, {key, <<"value">>, 'an atom'})}) end),
    crash(fun() -> throw(oops) end),
    crash(fun() -> 2 = erlang:phash2(x, 1) end),
    crash(fun() -> exit(quietly) end),
    io:format("done~n").

crash(F) ->
    {Pid, Ref} = spawn_monitor(F),
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    %% The report is printed by another process: give it time, so that
    %% reports come in the order of the crashes (the test sorts them
    %% anyway).
    timer:sleep(100).
