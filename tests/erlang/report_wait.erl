%% Waiting until the error report of a process that ended is printed, on
%% BEAM and on Enigma (for crash_report.erl and max_heap_report.erl), so
%% that reports come in order and none is lost when the VM halts (a sleep
%% is not enough on a loaded machine).
%%
%% On BEAM, with a logger, a server (logger_proxy, for the emulator's
%% reports) passes each event to the handlers in turn: a handler of this
%% module tells when it has the event, and once that server answers a
%% call it has passed the event on to the default handler too, whose
%% process has written it once it answers a filesync. Enigma has no
%% logger: a process of its own prints the report and ends.
-module(report_wait).
-export([waiter/0, printed/2, log/2]).

%% How this VM's reports are waited for; on BEAM it adds the handler.
waiter() ->
    case whereis(logger) of
        undefined ->
            enigma;
        _ ->
            ok = logger:add_handler(?MODULE, ?MODULE, #{config => #{to => self()}}),
            logger
    end.

%% Waits for the report of one process that ended; `Before` are the
%% processes from before it was spawned.
printed(logger, _) ->
    receive
        {logged, ?MODULE, Server} ->
            _ = sys:get_state(Server),
            ok = logger_std_h:filesync(default)
    after 60000 ->
        no_report
    end;
printed(enigma, Before) ->
    gone(Before, 60000).

%% Waits until no process is left but `Before`, polling at most Tries
%% times (a process that stays would otherwise hang the test).
gone(Before, Tries) ->
    case processes() -- Before of
        [_ | _] when Tries > 0 -> receive after 1 -> gone(Before, Tries - 1) end;
        _ -> ok
    end.

%% The logger handler callback: tells the waiting process, and which
%% process passes the events.
log(_Event, #{config := #{to := To}}) ->
    To ! {logged, ?MODULE, self()}.
