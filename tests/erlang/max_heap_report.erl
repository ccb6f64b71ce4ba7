%% Processes that grow past their `max_heap_size` with `error_logger`
%% set: BEAM's error report for each (printed by its logger on standard
%% output; Enigma's on standard error), compared by
%% `tests/tests/crash_report.rs` but for the time stamp, pids and the
%% figures, which depend on each collector's heap sizes.
-module(max_heap_report).
-export([main/0, log/2]).

main() ->
    Reports = report_waiter(),
    grow(Reports, #{size => 10000}),
    grow(Reports, #{size => 20000, kill => true}),
    %% A system-wide limit applies to new processes, not to the logger
    %% (on Enigma: not to the process printing the report).
    erlang:system_flag(max_heap_size, #{size => 1000, kill => true, error_logger => true}),
    grow(Reports, #{}),
    erlang:system_flag(max_heap_size, 0),
    io:format("done~n").

%% The report is printed by another process: wait until it is out, so
%% that none is lost when the VM halts (a sleep is not enough on a loaded
%% machine).
grow(Reports, Limit) ->
    Before = processes(),
    Opts = [{max_heap_size, Limit} || map_size(Limit) > 0],
    {Pid, Ref} = spawn_opt(fun() -> length(build(100000, [])) end, [monitor | Opts]),
    receive {'DOWN', Ref, process, Pid, killed} -> ok end,
    printed(Reports, Before).

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).

%% How to know a report is printed (as in crash_report.erl). On BEAM, with
%% a logger, a server (logger_proxy, for the emulator's reports) passes
%% each event to the handlers in turn: one of this module tells when it
%% has the event, and once that server answers a call it has passed the
%% event on to the default handler too, whose process has written it once
%% it answers a filesync. Enigma has no logger: a process of its own
%% prints the report and ends.
report_waiter() ->
    case whereis(logger) of
        undefined ->
            enigma;
        _ ->
            ok = logger:add_handler(?MODULE, ?MODULE, #{config => #{to => self()}}),
            logger
    end.

printed(logger, _) ->
    Server = receive {logged, ?MODULE, S} -> S end,
    _ = sys:get_state(Server),
    ok = logger_std_h:filesync(default);
printed(enigma, Before) ->
    case processes() -- Before of
        [] -> ok;
        _ -> receive after 1 -> printed(enigma, Before) end
    end.

%% The logger handler callback: tells the waiting process, and which
%% process passes the events.
log(_Event, #{config := #{to := To}}) ->
    To ! {logged, ?MODULE, self()}.
