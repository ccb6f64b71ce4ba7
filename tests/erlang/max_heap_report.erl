%% Processes that grow past their `max_heap_size` with `error_logger`
%% set: BEAM's error report for each (printed by its logger on standard
%% output; Enigma's on standard error), compared by
%% `tests/tests/crash_report.rs` but for the time stamp, pids and the
%% figures, which depend on each collector's heap sizes.
-module(max_heap_report).
-export([main/0]).

main() ->
    grow(#{size => 10000}),
    grow(#{size => 20000, kill => true}),
    io:format("done~n").

grow(Limit) ->
    {Pid, Ref} = spawn_opt(fun() -> length(build(100000, [])) end,
                           [monitor, {max_heap_size, Limit}]),
    receive {'DOWN', Ref, process, Pid, killed} -> ok end,
    %% The report is printed by another process: give it time.
    timer:sleep(100).

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).
