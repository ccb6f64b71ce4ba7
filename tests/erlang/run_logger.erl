%% OTP's logger as `erl` boots it: the primary configuration and the
%% default handler (logger_std_h on standard output), logging calls of
%% every level, error_logger, configuration changes, and the reports of
%% crashing gen_servers, proc_lib processes, supervisors' children and
%% plain processes (the emulator's report), caught by a handler of this
%% module. The default handler prints without time stamps here, and each
%% event is waited for (filesync), so the output is deterministic.
-module(run_logger).
-export([main/0, log/2, init/1, handle_call/3, handle_cast/2]).

main() ->
    p(logger:get_primary_config()),
    p(logger:get_handler_config(default)),
    Name = logger_std_h_default,
    p(is_pid(whereis(Name))),
    p(logger:get_handler_ids()),
    p(lists:sort(maps:keys(logger:get_proxy_config()))),
    ok = logger:update_formatter_config(default, #{legacy_header => false,
                                                   single_line => true,
                                                   template => [level, ": ", msg, "\n"]}),
    logger:error("an error ~p", [1]),
    logger:warning("a warning ~p", [2]),
    logger:notice("a notice"),
    logger:info("an info, not shown"),
    logger:debug("a debug, not shown"),
    sync(),
    ok = logger:set_primary_config(level, info),
    logger:info("an info ~s", ["shown"]),
    logger:log(notice, #{what => report, n => 3}),
    logger:error(#{a => 1}, #{report_cb => fun(R) -> {"report ~p", [maps:get(a, R)]} end}),
    error_logger:error_msg("error_logger ~p~n", [x]),
    error_logger:warning_msg("warning_msg~n"),
    error_logger:info_msg("info_msg ~w~n", [[1, 2]]),
    sync(),
    p(logger:set_primary_config(level, bad)),
    p(logger:set_handler_config(nohandler, level, info)),
    ok = logger:set_handler_config(default, level, warning),
    logger:notice("not shown: the handler's level"),
    logger:warning("shown at warning"),
    sync(),
    {ok, #{level := HLevel}} = logger:get_handler_config(default),
    p(HLevel),
    %% Crash reports, caught by this module's handler.
    ok = logger:set_primary_config(level, notice),
    ok = logger:add_handler(catcher, ?MODULE, #{config => #{to => self()}}),
    ok = logger:set_handler_config(default, level, none),
    process_flag(trap_exit, true),
    {ok, S} = gen_server:start_link(?MODULE, [], []),
    catch gen_server:call(S, boom),
    events(2),
    receive {'EXIT', S, R} -> p({exit, R}) end,
    P = proc_lib:spawn_link(fun() -> exit(proc_lib_boom) end),
    events(1),
    receive {'EXIT', P, R2} -> p({exit, R2}) end,
    spawn(fun() -> error(plain) end),
    events(1),
    p(gen_server:start(?MODULE, crash_in_init, [])),
    events(1),
    %% A supervisor's child that crashes: its reports and the supervisor's.
    {ok, Sup} = supervisor:start_link(?MODULE, sup),
    [{child, C, worker, _}] = supervisor:which_children(Sup),
    gen_server:cast(C, crash),
    events(3),
    p(length(supervisor:which_children(Sup))),
    unlink(Sup),
    exit(Sup, shutdown),
    events(0),
    p(logger:remove_handler(catcher)),
    p(logger:get_handler_ids()),
    ok = logger:remove_handler(default),
    p(logger:get_handler_ids()),
    p(whereis(Name)),
    logger:error("nowhere"),
    p(done).

p(X) -> io:format("~p~n", [X]).

%% Waits until the default handler has written what it was given.
sync() -> ok = logger_std_h:filesync(default).

events(0) ->
    receive {event, E} -> p({unexpected, E}) after 200 -> ok end;
events(N) ->
    receive
        {event, #{level := L, msg := Msg, meta := Meta}} ->
            p({L, what(Msg), maps:get(domain, Meta, none),
               maps:get(error_logger, Meta, none) =/= none}),
            events(N - 1)
    after 10000 -> p(missing_event)
    end.

what({report, #{label := Label}}) -> Label;
what({report, R}) -> {report, maps:keys(R)};
what({Format, Args}) when is_list(Args) -> {format, Format, length(Args)};
what({string, S}) -> {string, S}.

log(Event, #{config := #{to := To}}) -> To ! {event, Event}.

init(crash_in_init) -> exit(init_crash);
init(sup) -> {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
                   [#{id => child, start => {gen_server, start_link, [?MODULE, [], []]}}]}};
init([]) -> {ok, state}.
handle_call(boom, _, _) -> exit(boom).
handle_cast(crash, _) -> error(child_crash);
handle_cast(_, S) -> {noreply, S}.
