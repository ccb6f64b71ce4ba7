%% Processes ending with uncaught exceptions, for the crash reports BEAM's
%% logger prints (tests/tests/crash_report.rs): errors with short and long
%% reasons (the long one wraps as `~p` lays it out), a throw, a badmatch,
%% and an exit, which has no report.
-module(crash_report).
-export([main/0]).

main() ->
    Reports = report_wait:waiter(),
    crash(Reports, fun() -> erlang:error({bad, [1, 2], "text"}) end),
    crash(Reports, fun() -> erlang:error({long, lists:seq(1, 40), lists:duplicate(6, {key, <<"value">>, 'an atom'})}) end),
    crash(Reports, fun() -> throw(oops) end),
    crash(Reports, fun() -> 2 = erlang:phash2(x, 1) end),
    crash(none, fun() -> exit(quietly) end),
    io:format("done~n").

%% The report is printed by another process: wait until it is out
%% (report_wait.erl), so that reports come in the order of the crashes.
crash(Reports, F) ->
    Before = processes(),
    {Pid, Ref} = spawn_monitor(F),
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    Reports =:= none orelse report_wait:printed(Reports, Before).
