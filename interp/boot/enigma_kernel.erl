%% Enigma's stand-ins for the servers that `erl`'s boot starts and OTP's
%% libraries call by name: `init`, `kernel_sup`, `file_server_2`,
%% `logger` and its default handler, `application_controller`. Each is
%% registered when `enigma run` starts and is set up as `erl`'s boot
%% leaves it; those behind which OTP's own server code runs hibernate
%% until their first message and then enter that code, so that a program
%% that never uses them never loads it.
%% Rebuild the committed .beam with
%% `erlc -o interp/boot interp/boot/enigma_kernel.erl`.
-module(enigma_kernel).
-export([init/0, init_loop/0, kernel_sup/0, kernel_safe_sup/0, logger_sup/0,
         logger_handler_watcher/0, start_logger_handler_watcher/0, file_server/0,
         start_file_server/0, logger_server/0, start_logger_server/1, start_logger_handler/0,
         enter_logger_handler/0,
         application_controller/0, start_application_controller/2, kernel_master/0,
         global_name_server/0, start_global_name_server/0, service_call/3,
         release_held/0, kernel_terminated/1]).

%% The registered `init`: answers the requests of OTP's `init` module
%% (`{From, Request}`, answered `{init, Reply}`) as `erl`'s init does
%% while its `-s`/`-eval` program runs (status `{starting, started}`), and
%% stops the system as init does on `init:stop/0,1`: the application
%% controller, whose parent it is, is told to shut down (its applications
%% stop, the last started first), then the VM halts with the status
%% given. `reboot/0` and `restart/0,1` stop it the same way (Enigma does
%% not restart). Linked to the application controller, which ends the
%% system if it ends otherwise (a permanent application stopped), as on
%% BEAM ("Kernel pid terminated").
init() ->
    process_flag(trap_exit, true),
    link(whereis(application_controller)),
    process_flag(priority, normal),
    erlang:hibernate(?MODULE, init_loop, []).

init_loop() ->
    receive
        {From, Request} when is_pid(From) ->
            init_reply(From, Request);
        {stop, How} ->
            stop_system(How);
        {'EXIT', _, Reason} ->
            kernel_terminated(Reason);
        _ ->
            ok
    end,
    init_loop().

init_reply(From, get_status) -> From ! {init, {starting, started}};
init_reply(From, script_id) -> From ! {init, script_id()};
init_reply(From, fetch_loaded) -> From ! {init, []};
init_reply(From, {ensure_loaded, M}) -> From ! {init, code:ensure_loaded(M)};
init_reply(From, {notify_when_started, _}) -> From ! {init, ok};
%% Answered when the program's start is done, which is never while it runs.
init_reply(_, wait_until_started) -> ok;
init_reply(_, _) -> ok.

stop_system(How) ->
    case whereis(application_controller) of
        AC when is_pid(AC) ->
            Ref = monitor(process, AC),
            exit(AC, shutdown),
            receive {'DOWN', Ref, process, AC, _} -> ok end;
        undefined ->
            ok
    end,
    case How of
        {stop, Status} -> erlang:halt(Status);
        _ -> erlang:halt(0)
    end.

%% As erl's init ends the system when a kernel process ends: after half a
%% second for the reports to be written, the tuple on standard output
%% and the slogan. The controller exits with its reason as a string.
kernel_terminated(Reason) ->
    receive after 500 -> ok end,
    Text = case io_lib:printable_list(Reason) of
               true -> Reason;
               false -> io_lib:write(Reason)
           end,
    init_crash("Kernel pid terminated", Reason, Text, []).

%% `init`'s end of the system for the controller: `{What,
%% application_controller, Reason}` on standard output, then the lines
%% `Logged` (what erl's boot-time logger shows), and `halt/1` with the
%% slogan (exit status 1).
init_crash(What, Reason, Text, Logged) ->
    erlang:display({What, application_controller, Reason}),
    _ = [erlang:display(Line) || Line <- Logged],
    erlang:halt(lists:flatten([What, " (application_controller) (", Text, ")"])).

script_id() ->
    case boot_script() of
        {script, Id, _} -> Id;
        _ -> {"Erlang/OTP", erlang:system_info(otp_release)}
    end.

%% The boot script `erl` reads by default, `bin/start.boot` under the OTP
%% root, or `none`.
boot_script() ->
    case erl_prim_loader:get_file(code:root_dir() ++ "/bin/start.boot") of
        {ok, Bin, _} ->
            case catch binary_to_term(Bin) of
                {script, _, Steps} = Script when is_list(Steps) -> Script;
                _ -> none
            end;
        error ->
            none
    end.

%% A stand-in for kernel's `kernel_sup`, registered at boot: it answers
%% the supervisor calls OTP's libraries make of it (`timer` starts its
%% `timer_server` with `supervisor:start_child(kernel_sup, Spec)`),
%% starting each child from this process, which traps exits, so that the
%% child is linked to it as to its supervisor. A child that exits is
%% forgotten (not restarted): the next `start_child` starts it again.
kernel_sup() ->
    process_flag(trap_exit, true),
    kernel_sup(#{}).

%% The same for kernel's `kernel_safe_sup`, under which `dets`,
%% `disk_log` (so `ets:tab2file/2`) and `inet_gethost_native` start their
%% servers.
kernel_safe_sup() ->
    kernel_sup().

%% The same for kernel's `logger_sup`, under which `logger_std_h`,
%% `logger_disk_log_h` and `error_logger` handlers added at run time run.
logger_sup() ->
    kernel_sup().

%% The registered `logger_handler_watcher` (a child of `logger_sup` on
%% BEAM): kernel's own, entered at its first request (a handler added
%% registers with it).
logger_handler_watcher() ->
    erlang:hibernate(?MODULE, start_logger_handler_watcher, []).

start_logger_handler_watcher() ->
    put('$ancestors', [logger_sup, kernel_sup]),
    put('$initial_call', {logger_handler_watcher, init, 1}),
    {ok, State} = logger_handler_watcher:init([]),
    gen_server:enter_loop(logger_handler_watcher, [], State, {local, logger_handler_watcher},
                          infinity).

kernel_sup(Children) ->
    receive
        {'$gen_call', From, Request} ->
            {Reply, Children1} = sup_request(Request, Children),
            gen:reply(From, Reply),
            kernel_sup(Children1);
        {'EXIT', Pid, _} ->
            kernel_sup(maps:filter(fun(_, P) -> P =/= Pid end, Children));
        _ ->
            kernel_sup(Children)
    end.

sup_request({start_child, Spec}, Children) ->
    case child_start(Spec) of
        {ok, Id, _} when is_map_key(Id, Children) ->
            {{error, {already_started, map_get(Id, Children)}}, Children};
        {ok, Id, {M, F, A}} ->
            case catch apply(M, F, A) of
                {ok, Pid} = R when is_pid(Pid) -> {R, Children#{Id => Pid}};
                {ok, Pid, _} = R when is_pid(Pid) -> {R, Children#{Id => Pid}};
                ignore -> {{ok, undefined}, Children};
                {error, _} = E -> {E, Children};
                Other -> {{error, Other}, Children}
            end;
        error ->
            {{error, {invalid_child_spec, Spec}}, Children}
    end;
sup_request({restart_child, Id}, Children) when is_map_key(Id, Children) ->
    {{error, running}, Children};
sup_request({restart_child, _}, Children) ->
    {{error, not_found}, Children};
sup_request(which_children, Children) ->
    {[{Id, Pid, worker, dynamic} || {Id, Pid} <- maps:to_list(Children)], Children};
sup_request(_, Children) ->
    {{error, not_supported}, Children}.

child_start(#{id := Id, start := {M, F, A}}) when is_atom(M), is_atom(F), is_list(A) ->
    {ok, Id, {M, F, A}};
child_start({Id, {M, F, A}, _, _, _, _}) when is_atom(M), is_atom(F), is_list(A) ->
    {ok, Id, {M, F, A}};
child_start(_) ->
    error.

%% The registered `file_server_2`: kernel's own `file_server`, entered when
%% the first request arrives (hibernating until then leaves the message in
%% the queue), so that programs that never touch a file never load
%% `gen_server`. Its parent is `kernel_sup`, as on BEAM.
file_server() ->
    erlang:hibernate(?MODULE, start_file_server, []).

start_file_server() ->
    put('$ancestors', [kernel_sup]),
    put('$initial_call', {file_server, init, 1}),
    {ok, State} = file_server:init([]),
    gen_server:enter_loop(file_server, [], State, {local, file_server_2}, infinity).

%% The registered `global_name_server`: kernel's `global`, entered when
%% the first request arrives (`global:register_name/2` and the
%% `{global, Name}` of `gen_server` call it). `global:whereis_name/1` and
%% `send/2` read its named tables without a call, so they are made at
%% boot, empty, as `global:init/1` makes them; entering, the server makes
%% them anew (a reader that runs in between sees no table for an instant).
%% Its parent is `kernel_sup`, as on BEAM.
-define(GLOBAL_TABLES, [{global_locks, [set]}, {global_names, [set, {read_concurrency, true}]},
                        {global_names_ext, [set]}, {global_pid_names, [bag]},
                        {global_pid_ids, [bag]}, {global_lost_connections, [set]},
                        {global_node_resources, [set]}]).

global_name_server() ->
    [ets:new(Name, [named_table, protected | Opts]) || {Name, Opts} <- ?GLOBAL_TABLES],
    erlang:hibernate(?MODULE, start_global_name_server, []).

start_global_name_server() ->
    [ets:delete(Name) || {Name, _} <- ?GLOBAL_TABLES],
    put('$ancestors', [kernel_sup]),
    put('$initial_call', {global, init, 1}),
    {ok, State} = global:init([]),
    gen_server:enter_loop(global, [], State, {local, global_name_server}, infinity).

%% A call that loaded `inet_db` (the interpreter's `is_service`): kernel's
%% `inet_db` server is started first, as `erl`'s boot starts it
%% (`kernel_sup` runs `inet_db:start_link/0`, which makes the resolver's
%% named tables and reads the host's configuration with
%% `inet_config:init/0`), then the call goes on. Until then nothing of
%% it is loaded. A process that calls `inet_db` while the first caller
%% starts it may find its tables missing or not yet filled.
service_call(inet_db, F, Args) ->
    case whereis(inet_db) of
        undefined ->
            Spec = #{id => inet_db, start => {inet_db, start_link, []}, restart => permanent,
                     shutdown => 2000, type => worker, modules => [inet_db]},
            _ = catch supervisor:start_child(kernel_sup, Spec),
            ok;
        _ ->
            ok
    end,
    apply(inet_db, F, Args);
%% A call that loaded `prim_socket` or `prim_net`: their `on_load/0` runs
%% first, as `erl_init` runs it at erl's boot (`prim_socket`'s spawns the
%% `socket_registry` system process and puts the protocol, option and
%% flag tables in persistent terms; `prim_net`'s loads its NIFs).
%% The registry registers itself once it runs: the call waits for it (up
%% to a second), as erl's registry is there before any program runs
%% (`socket_registry:monitor/2` sends to its name).
service_call(prim_socket, F, Args) ->
    ok = prim_socket:on_load(),
    ok = await_registered(socket_registry, 1000),
    apply(prim_socket, F, Args);
service_call(prim_net, F, Args) ->
    ok = prim_net:on_load(),
    apply(prim_net, F, Args).

await_registered(_, 0) ->
    ok;
await_registered(Name, N) ->
    case whereis(Name) of
        undefined -> receive after 1 -> await_registered(Name, N - 1) end;
        _ -> ok
    end.

%% The registered `logger`: kernel's `logger_server`, set up as `erl`'s
%% boot leaves it (the primary configuration and the `default` handler,
%% `logger_std_h` on standard_io, in the `logger` table and the levels in
%% persistent terms, as `logger_config:create/3` puts them), so that
%% `logger` calls and the reports of crashing `gen_server`s and `proc_lib`
%% processes work as on BEAM. Loading the modules behind it costs ~40 ms,
%% so the table is filled here from their values and the servers hibernate
%% until their first message, then enter OTP's own code: this process
%% becomes `logger_server`, the handler's process (registered
%% `logger_std_h_default`, the pid in the handler's `olp` reference)
%% `logger_olp` running `logger_h_common`.
-define(LOGGER_OLP_OPTS, #{sync_mode_qlen => 10, drop_mode_qlen => 200, flush_qlen => 1000,
                           burst_limit_enable => true, burst_limit_max_count => 500,
                           burst_limit_window_time => 1000, overload_kill_enable => false,
                           overload_kill_qlen => 20000, overload_kill_mem_size => 3000000,
                           overload_kill_restart_after => 5000}).
-define(LOGGER_HANDLER_CONFIG, #{filesync_repeat_interval => no_repeat, type => standard_io}).

logger_server() ->
    Tid = ets:new(logger, [set, protected, named_table,
                           {read_concurrency, true}, {write_concurrency, true}]),
    Handler = spawn(?MODULE, start_logger_handler, []),
    true = register(logger_std_h_default, Handler),
    Olp = {logger_std_h_default, Handler, {logger_olp, logger_std_h_default}},
    Default = #{id => default, module => logger_std_h, level => all,
                filter_default => stop,
                filters => [{remote_gl, {fun logger_filters:remote_gl/2, stop}},
                            {domain, {fun logger_filters:domain/2, {log, super, [otp, sasl]}}},
                            {no_domain, {fun logger_filters:domain/2, {log, undefined, []}}}],
                formatter => {logger_formatter, #{legacy_header => true, single_line => false}},
                config => maps:merge(maps:merge(?LOGGER_HANDLER_CONFIG, ?LOGGER_OLP_OPTS),
                                     #{olp => Olp})},
    Proxy = #{sync_mode_qlen => 500, drop_mode_qlen => 1000, flush_qlen => 5000,
              burst_limit_enable => false, burst_limit_max_count => 500,
              burst_limit_window_time => 1000, overload_kill_enable => false,
              overload_kill_qlen => 20000, overload_kill_mem_size => 3000000,
              overload_kill_restart_after => 5000},
    %% Kernel's start sets the primary level from its environment
    %% (`logger:internal_init_logger/0`): the configuration's or the
    %% command line's (the controller, which reports their errors, may
    %% not have filled `ac_tab` yet).
    Level = case erlang:module_loaded(enigma_config) of
                true -> enigma_config:logger_level();
                false -> notice
            end,
    %% As logger_config:level_to_int/1 (not loaded for this).
    {_, LevelInt} = lists:keyfind(Level, 1, [{none, -1}, {emergency, 0}, {alert, 1},
                                             {critical, 2}, {error, 3}, {warning, 4},
                                             {notice, 5}, {info, 6}, {debug, 7},
                                             {all, 10}]),
    Primary = #{level => Level, metadata => #{}, filter_default => log, filters => [],
                handlers => [default]},
    true = ets:insert(Tid, [{'$proxy_config$', Proxy}, {'$primary_config$', Primary},
                            {{'$handler_config$', default}, Default}]),
    %% `all` as logger_config:level_to_int/1 gives it.
    ok = persistent_term:put({logger_config, '$primary_config$'}, LevelInt),
    ok = persistent_term:put({logger_config, {'$handler_config$', default}}, 10),
    %% Started at `max` to be set up before any other process runs;
    %% `enigma run` holds the program's process until now.
    release_held(),
    process_flag(priority, normal),
    erlang:hibernate(?MODULE, start_logger_server, [Tid]).

%% logger_server:init/1's work done above; its state record is
%% `{state, Tid, AsyncReq, AsyncReqQueue, RemoteLogger}` in OTP 25.
start_logger_server(Tid) ->
    put('$ancestors', [kernel_sup]),
    put('$initial_call', {logger_server, init, 1}),
    process_flag(trap_exit, true),
    put('$logger_cb_process', true),
    State = {state, Tid, undefined, queue:new(), undefined},
    gen_server:enter_loop(logger_server, [], State, {local, logger}, infinity).

%% The default handler's process, entered at its first message as
%% `logger_h_common:start/2` starts it under `logger_sup` (here the
%% kernel_sup stand-in takes `proc_lib`'s acknowledgement). `logger_olp`
%% registers the name itself.
start_logger_handler() ->
    erlang:hibernate(?MODULE, enter_logger_handler, []).

enter_logger_handler() ->
    put('$ancestors', [kernel_sup]),
    put('$initial_call', {logger_olp, init, 1}),
    [{_, #{config := HConfig} = Config}] = ets:lookup(logger, {'$handler_config$', default}),
    OlpOpts = maps:with(maps:keys(?LOGGER_OLP_OPTS), HConfig),
    Args = Config#{config => maps:without([olp | maps:keys(?LOGGER_OLP_OPTS)], HConfig)},
    %% `logger_olp` loaded and a fresh time slice (the yield is taken at
    %% the next call), so that the name is not left unregistered while its
    %% code loads or this process waits for a scheduler.
    {module, logger_olp} = code:ensure_loaded(logger_olp),
    erlang:yield(),
    olp_init(Args, OlpOpts).

olp_init(Args, OlpOpts) ->
    unregister(logger_std_h_default),
    logger_olp:init([logger_std_h_default, logger_h_common, Args, OlpOpts]).

%% The registered `application_controller`: kernel's own, with kernel and
%% stdlib loaded and started as `erl`'s boot script leaves them (its
%% `{apply, ...}` steps, read from the same file). `application:get_env/2`,
%% `get_key/2` and `loaded_applications/0` read `ac_tab` without asking
%% the server, so the table is filled here, at boot (at `max` priority,
%% before any program runs), as `application_controller:load/2` fills it;
%% the server hibernates until its first request and then runs OTP's code.
%% Kernel's application master is a process of its own (`kernel_master/0`).
application_controller() ->
    ac_tab = ets:new(ac_tab, [set, public, named_table, {read_concurrency, true}]),
    Apps = case boot_script() of
               {script, _, Steps} ->
                   [{Name, Spec} || Step <- Steps,
                                    {application, Name, Spec} <- [boot_application(Step)],
                                    is_atom(Name), is_list(Spec)];
               none ->
                   []
           end,
    %% `enigma run` loads the configuration's reader only for a command
    %% line that may configure something.
    Configured = erlang:module_loaded(enigma_config),
    ConfData = case Configured andalso enigma_config:conf_data() of
                   false -> [];
                   {ok, Conf} -> Conf;
                   {error, Text} -> boot_failed(Text, [])
               end,
    Envs = try [{Name, case Configured of
                           true -> enigma_config:app_env(Name, spec(env, Spec, []), ConfData);
                           false -> spec(env, Spec, [])
                       end}
                || {Name, Spec} <- Apps]
           catch throw:{bad_value, Value, Error} ->
                   %% After `init`'s report, the two lines erl's boot-time
                   %% logger shows for the controller's.
                   boot_failed(lists:flatten(io_lib:format("~0p", [{bad_environment_value, Value}])),
                               [Error, Value])
           end,
    true = ets:insert(ac_tab, [{{loaded, Name}, appl(Name, Spec)} || {Name, Spec} <- Apps]),
    true = ets:insert(ac_tab, [{{env, Name, K}, V} || {Name, Env} <- Envs, {K, V} <- Env]),
    Master = spawn(?MODULE, kernel_master, []),
    %% What kernel's start adds: its master, the default `connect_all`
    %% that `global`'s server writes back, and the logger configuration
    %% `logger:add_handlers/1` writes back (the default handler, as in the
    %% `logger` stand-in above), unless the configuration set them
    %% (`enigma_config:configure_logger/0` then applies it).
    DefaultLogger = [{handler, default, logger_std_h,
                      #{config => #{type => standard_io},
                        formatter => {logger_formatter, #{legacy_header => true,
                                                          single_line => false}}}}],
    KernelEnv = [E || {Key, _} = E <- [{{env, kernel, connect_all}, true},
                                       {{env, kernel, logger}, DefaultLogger}],
                      not ets:member(ac_tab, Key)],
    true = ets:insert(ac_tab, case lists:keymember(kernel, 1, Apps) of
                                  true -> [{{application_master, kernel}, Master} | KernelEnv];
                                  false -> []
                              end),
    Running = [{Name, case Name of kernel -> Master; _ -> undefined end}
               || {Name, _} <- lists:reverse(Apps, [])],
    %% `enigma run` holds the program's process until now.
    release_held(),
    process_flag(priority, normal),
    erlang:hibernate(?MODULE, start_application_controller, [Running, ConfData]).

%% Resumes the processes `enigma run` held for this boot process
%% (`enigma_interp::hold_for`).
release_held() ->
    {suspending, Held} = process_info(self(), suspending),
    _ = [erlang:resume_process(Pid) || {Pid, _, _} <- Held],
    ok.

%% As `init` ends the boot when the controller cannot start.
boot_failed(Text, Logged) ->
    init_crash("could not start kernel pid", Text, Text, Logged).

%% OTP 25's `#state{}` of `application_controller`: loading, starting,
%% start_p_false, running, control, started, start_req, conf_data (the
%% `-config` files', which later loads merge). Its parent is `init`, as on BEAM.
start_application_controller(Running, ConfData) ->
    put('$ancestors', [init]),
    put('$initial_call', {application_controller, start, 1}),
    process_flag(trap_exit, true),
    Started = [{Name, permanent} || {Name, _} <- Running],
    State = {state, [], [], [], Running, [], Started, [], ConfData},
    gen_server:enter_loop(application_controller, [], State, {local, application_controller}).

%% Kernel's application master answers `application_master`'s requests:
%% its top supervisor, and `stop` (`application:stop(kernel)`), which ends
%% it and nothing else here.
kernel_master() ->
    receive
        {get_child, Tag, From} -> From ! {Tag, {whereis(kernel_sup), kernel}};
        {stop, _, _} -> exit(normal);
        _ -> ok
    end,
    erlang:hibernate(?MODULE, kernel_master, []).

boot_application({kernelProcess, application_controller, {_, start, [App]}}) -> App;
boot_application({apply, {application, load, [App]}}) -> App;
boot_application(_) -> none.

%% `#appl{}` as `application_controller:load/2` makes it from a spec.
appl(Name, Spec) ->
    Mod = case spec(mod, Spec, []) of
              {M, _} = MA when is_atom(M) -> MA;
              _ -> []
          end,
    ApplData = {appl_data, Name, spec(registered, Spec, []), spec(start_phases, Spec, undefined),
                Mod, spec(modules, Spec, []), spec(maxP, Spec, infinity), spec(maxT, Spec, infinity)},
    {appl, Name, ApplData, spec(description, Spec, ""), spec(id, Spec, ""), spec(vsn, Spec, ""),
     undefined, spec(included_applications, Spec, []), spec(optional_applications, Spec, []),
     spec(applications, Spec, [])}.

spec(Key, Spec, Default) ->
    case lists:keyfind(Key, 1, Spec) of
        {Key, Value} -> Value;
        false -> Default
    end.
