-module(run_audit_logger).
-export([main/0, log/2, adding_handler/1, removing_handler/1, changing_config/3, format/2]).

%% The logger API as programs use it: levels, handler and formatter
%% configuration, a handler module of the program's own, metadata,
%% filters, report callbacks, and the legacy error_logger calls. The
%% default handler's template is set without time so outputs compare.

t(F) -> try F() catch C:R -> {C, R} end.
%% The default handler writes from its own process: wait for it to have
%% written what was logged before printing.
p(Tag, V) ->
    logger_std_h:filesync(default),
    io:format("~p: ~p~n", [Tag, V]).

%% A handler that sends each event to the process in its config.
adding_handler(Config) -> {ok, Config}.
removing_handler(_Config) -> ok.
changing_config(_SetOrUpdate, _Old, New) -> {ok, New}.
log(#{level := L, msg := Msg, meta := Meta}, #{config := #{to := To}}) ->
    To ! {logged, L, Msg, maps:get(mykey, Meta, none)}.

%% A formatter.
format(#{level := L, msg := Msg}, Config) ->
    Text = case Msg of
               {string, S} -> S;
               {F, A} when is_list(F) -> io_lib:format(F, A);
               {report, R} -> io_lib:format("~p", [R])
           end,
    [maps:get(prefix, Config, ""), atom_to_list(L), " | ", Text, "\n"].

drain() ->
    receive {logged, L, M, K} -> [{L, M, K} | drain()] after 0 -> [] end.

main() ->
    Template = #{template => [level, ": ", msg, "\n"], single_line => true},
    ok = logger:update_handler_config(default, formatter, {logger_formatter, Template}),
    p(primary, maps:without([filters], logger:get_primary_config())),
    p(default, maps:with([id, level, module, filter_default], element(2, logger:get_handler_config(default)))),
    logger:notice("notice ~p", [1]),
    logger:warning("warning ~s", ["two"]),
    logger:error(#{what => report, n => 3}),
    logger:info("info is below the primary level"),
    logger:set_primary_config(level, info),
    logger:info("info now ~w", [[a, b]]),
    logger:debug("debug still not"),
    logger:log(error, "via log/2"),
    logger:log(critical, "with ~p", [args], #{mykey => 1}),
    logger:error("report cb", [], #{report_cb => fun(_) -> {"cb ~p", [x]} end}),
    logger:error(#{a => 1}, #{report_cb => fun(R) -> {"from cb ~p", [maps:get(a, R)]} end}),
    p(levels, [logger:allow(L, ?MODULE) || L <- [emergency, error, info, debug]]),
    p(compare, [logger:compare_levels(A, B) || {A, B} <- [{error, info}, {info, error}, {debug, debug}]]),
    p(bad_level, [t(fun() -> logger:set_primary_config(level, bad) end), t(fun() -> logger:compare_levels(x, y) end)]),
    %% a handler of the program's own
    ok = logger:add_handler(mine, ?MODULE, #{level => warning, config => #{to => self()}}),
    p(add_again, logger:add_handler(mine, ?MODULE, #{})),
    p(handler_ids, lists:sort(logger:get_handler_ids())),
    logger:warning("to mine ~p", [1], #{mykey => k1}),
    logger:notice("not to mine"),
    logger:error(#{r => 1}),
    p(mine_got, drain()),
    ok = logger:set_handler_config(mine, level, all),
    logger:debug("debug to mine?"),
    logger:info("info to mine"),
    p(mine_got2, drain()),
    %% filters
    ok = logger:add_handler_filter(mine, no_secrets,
                                   {fun(#{msg := {string, "secret" ++ _}}, _) -> stop; (E, _) -> E end, []}),
    logger:warning("secret thing"),
    logger:warning("public thing"),
    p(filtered, drain()),
    p(filter_again, logger:add_handler_filter(mine, no_secrets, {fun(E, _) -> E end, []})),
    ok = logger:remove_handler_filter(mine, no_secrets),
    ok = logger:add_primary_filter(drop_domain, {fun logger_filters:domain/2, {stop, sub, [audit]}}),
    logger:warning("domain audit", #{domain => [audit, x]}),
    logger:warning("domain other", #{domain => [other]}),
    p(domain_filtered, drain()),
    ok = logger:remove_primary_filter(drop_domain),
    %% process metadata
    logger:set_process_metadata(#{mykey => meta}),
    logger:warning("with process meta"),
    p(proc_meta, {logger:get_process_metadata(), drain()}),
    logger:update_process_metadata(#{other => 1}),
    p(proc_meta2, logger:get_process_metadata()),
    logger:unset_process_metadata(),
    p(proc_meta3, logger:get_process_metadata()),
    %% module level
    ok = logger:set_module_level(?MODULE, error),
    logger:warning("module level hides this"),
    p(module_levels, {logger:get_module_level(?MODULE), drain()}),
    ok = logger:unset_module_level(?MODULE),
    ok = logger:remove_handler(mine),
    p(remove_again, logger:remove_handler(mine)),
    %% a formatter of the program's own on the default handler
    ok = logger:update_handler_config(default, formatter, {?MODULE, #{prefix => "F> "}}),
    logger:warning("own formatter ~p", [ok]),
    logger:error(#{rep => 1}),
    ok = logger:update_handler_config(default, formatter, {logger_formatter, Template}),
    %% error_logger
    error_logger:error_msg("legacy ~p~n", [1]),
    error_logger:warning_msg("legacy warning~n"),
    error_logger:info_msg("legacy info~n"),
    error_logger:error_report([{a, 1}, b]),
    error_logger:info_report(progress, [x]),
    %% io format errors in messages
    logger:error("bad format ~p ~p", [only_one]),
    %% handlers with a process of their own, started under logger_sup
    %% (at level notice: supervisors' progress reports, with pids, are info)
    logger:set_primary_config(level, notice),
    File = "/tmp/enigma_audit_logger_" ++ os:getpid() ++ ".log",
    FileHandler = #{config => #{file => File},
                    formatter => {logger_formatter, #{template => [level, " ", msg, "\n"]}}},
    p(add_file, logger:add_handler(to_file, logger_std_h, FileHandler)),
    logger:error("to the file ~p", [1]),
    logger:warning("second"),
    p(file_sync, logger_std_h:filesync(to_file)),
    p(file_info, t(fun() -> maps:with([file, type], maps:get(config, element(2, logger:get_handler_config(to_file)))) =:= #{file => File, type => file} end)),
    p(add_file_again, logger:add_handler(to_file, logger_std_h, FileHandler)),
    p(remove_file, logger:remove_handler(to_file)),
    p(file_contents, file:read_file(File)),
    p(file_handler_gone, {lists:member(to_file, logger:get_handler_ids()), whereis(logger_std_h_to_file)}),
    p(readd_file, logger:add_handler(to_file, logger_std_h, FileHandler)),
    logger:error("after re-adding"),
    p(resync, logger_std_h:filesync(to_file)),
    p(remove_again2, logger:remove_handler(to_file)),
    p(file_contents2, file:read_file(File)),
    file:delete(File),
    p(add_disk_log, logger:add_handler(dl, logger_disk_log_h, #{config => #{file => File ++ ".dl", type => halt}})),
    logger:error("disk log ~p", [x]),
    p(disk_log_sync, logger_disk_log_h:filesync(dl)),
    p(remove_disk_log, logger:remove_handler(dl)),
    os:cmd("rm -f " ++ File ++ ".dl*"),
    p(bad_handler, [logger:add_handler(bad, logger_std_h, #{config => #{type => {bad}}}),
                    logger:add_handler(bad2, no_such_module, #{})]),
    logger:set_primary_config(level, notice),
    logger_std_h:filesync(default),
    ok.
