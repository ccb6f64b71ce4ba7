%% Waiting until the error report of a process that ended is printed, on
%% BEAM and on Enigma (for crash_report.erl and max_heap_report.erl), so
%% that reports come in order and none is lost when the VM halts (a sleep
%% is not enough on a loaded machine).
%%
%% The emulator sends each report to the `logger` process, which passes
%% it to the handlers in turn: a handler of this module tells when it has
%% the event, and once that process answers a call it has passed the
%% event on to the default handler too, whose process has written it once
%% it answers a filesync.
-module(report_wait).
-export([waiter/0, printed/2, log/2]).

%% Adds the handler that tells this process of each report.
waiter() ->
    ok = logger:add_handler(?MODULE, ?MODULE, #{config => #{to => self()}}),
    logger.

%% Waits for the report of one process that ended (`Before`, the
%% processes from before it was spawned, is not needed with a logger).
printed(logger, _Before) ->
    receive
        {logged, ?MODULE, Server} ->
            _ = sys:get_state(Server),
            ok = logger_std_h:filesync(default)
    after 60000 ->
        no_report
    end.

%% The logger handler callback: tells the waiting process, and which
%% process passes the events.
log(_Event, #{config := #{to := To}}) ->
    To ! {logged, ?MODULE, self()}.
