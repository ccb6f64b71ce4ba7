%% Processes that grow past their `max_heap_size` with `error_logger`
%% set: the emulator's error report for each (printed by the logger on
%% standard output), compared by
%% `tests/tests/crash_report.rs` but for the time stamp, pids and the
%% figures, which depend on each collector's heap sizes.
-module(max_heap_report).
-export([main/0]).

main() ->
    Reports = report_wait:waiter(),
    grow(Reports, #{size => 10000}),
    grow(Reports, #{size => 20000, kill => true}),
    %% A system-wide limit applies to new processes, not to the logger
    %% (nor, on Enigma, to the process sending the report).
    erlang:system_flag(max_heap_size, #{size => 1000, kill => true, error_logger => true}),
    grow(Reports, #{}),
    erlang:system_flag(max_heap_size, 0),
    io:format("done~n").

%% The report is printed by another process: wait until it is out
%% (report_wait.erl).
grow(Reports, Limit) ->
    Before = processes(),
    Opts = [{max_heap_size, Limit} || map_size(Limit) > 0],
    {Pid, Ref} = spawn_opt(fun() -> length(build(100000, [])) end, [monitor | Opts]),
    receive {'DOWN', Ref, process, Pid, killed} -> ok end,
    report_wait:printed(Reports, Before).

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).
