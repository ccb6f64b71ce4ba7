%% Processes ending with uncaught exceptions, for the crash reports BEAM's
%% logger prints (tests/tests/crash_report.rs): errors with short and long
%% reasons (the long one wraps as `~p` lays it out), a throw, a badmatch,
%% and an exit, which has no report.
-module(crash_report).
-export([main/0, log/2]).

main() ->
    Reports = report_waiter(),
    crash(Reports, fun() -> erlang:error({bad, [1, 2], "text"}) end),
    crash(Reports, fun() -> erlang:error({long, lists:seq(1, 40), lists:duplicate(6, {key, <<"value">>, 'an atom'})}) end),
    crash(Reports, fun() -> throw(oops) end),
    crash(Reports, fun() -> 2 = erlang:phash2(x, 1) end),
    crash(none, fun() -> exit(quietly) end),
    io:format("done~n").

%% The report is printed by another process: wait until it is out, so
%% that reports come in the order of the crashes and none is lost when the
%% VM halts (a sleep is not enough on a loaded machine).
crash(Reports, F) ->
    Before = processes(),
    {Pid, Ref} = spawn_monitor(F),
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    printed(Reports, Before).

%% How to know a report is printed. On BEAM, with a logger, a server
%% (logger_proxy, for the emulator's reports) passes each event to the
%% handlers in turn: one of this module tells when it has the event, and
%% once that server answers a call it has passed the event on to the
%% default handler too, whose process has written it once it answers a
%% filesync. Enigma has no logger: a process of its own prints the report
%% and ends.
report_waiter() ->
    case whereis(logger) of
        undefined ->
            enigma;
        _ ->
            ok = logger:add_handler(?MODULE, ?MODULE, #{config => #{to => self()}}),
            logger
    end.

printed(none, _) ->
    ok;
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
