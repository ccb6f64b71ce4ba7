%% The application controller as `erl`'s boot leaves it (kernel and stdlib
%% loaded and started, their keys and kernel's environment), environment
%% changes, applications loaded from a specification or an `.app` file,
%% started with their dependencies (`ensure_all_started/1`), their
%% callbacks, supervisor and server, stopped, and the system stopped by
%% `init:stop/1` (applications stopped, then the exit status given).
-module(run_application).
-export([main/0, start/2, prep_stop/1, stop/1, init/1, start_server/1, handle_call/3,
         handle_cast/2, terminate/2]).

main() ->
    logger:set_primary_config(level, none),
    show(application:which_applications()),
    show(lists:sort(application:loaded_applications())),
    show(lists:sort(application:get_all_env(kernel))),
    show([application:get_env(kernel, K) || K <- [logger_level, net_ticktime, nokey]]),
    show(application:get_env(kernel, nokey, default)),
    show([application:get_key(kernel, K) || K <- [description, vsn, id, applications, mod,
                                                   included_applications, maxT]]),
    show([application:get_key(stdlib, K) || K <- [vsn, applications, mod, registered]]),
    {ok, Mods} = application:get_key(kernel, modules),
    show(lists:member(application_controller, Mods)),
    show(application:get_application(self())),
    show(application:get_all_env(nosuchapp)),
    show(application:set_env(nosuchapp, k, v)),
    show(application:get_env(nosuchapp, k)),
    show(application:set_env([{nosuchapp, [{a, 1}, {b, 2}]}])),
    show(lists:sort(application:get_all_env(nosuchapp))),
    show(application:unset_env(nosuchapp, k)),
    show(lists:sort(application:get_all_env(nosuchapp))),
    show(catch application:set_env(nosuchapp, "k", v)),
    %% Loaded from a specification.
    show(application:load({application, spec_app, [{description, "from a spec"},
                                                   {vsn, "0.1"}, {env, [{x, 1}]}]})),
    show(application:get_key(spec_app, description)),
    show(application:get_env(spec_app, x)),
    show(application:load({application, spec_app, []})),
    show(application:start(spec_app)),
    show(application:which_applications()),
    show(application:stop(spec_app)),
    show(application:unload(spec_app)),
    show(application:get_env(spec_app, x)),
    show(application:unload(spec_app)),
    show(application:start(nosuchapp)),
    show(application:load(nosuchapp)),
    show(application:load(kernel)),
    show(application:start(kernel)),
    show(application:ensure_started(stdlib)),
    show(application:stop(nosuchapp)),
    %% Loaded from `.app` files on the code path: `app_b` needs `app_a`.
    Dir = "/tmp/enigma_run_application_" ++ os:getpid(),
    ok = filelib:ensure_dir(Dir ++ "/"),
    write_app(Dir, app_a, [{mod, {?MODULE, a}}, {registered, [app_a_sup]},
                           {env, [{greeting, hello}]}]),
    write_app(Dir, app_b, [{applications, [kernel, stdlib, app_a]}, {mod, {?MODULE, b}}]),
    true = code:add_patha(Dir),
    show(application:start(app_b)),
    show(application:ensure_all_started(app_b)),
    show(application:which_applications()),
    show(gen_server:call(app_a_server, get)),
    show(gen_server:call(app_a_server, get)),
    show(application:get_key(app_a, vsn)),
    show(application:stop(app_a)),
    show(application:which_applications()),
    show(application:ensure_all_started(app_b)),
    show(application:stop(app_b)),
    show(application:stop(app_a)),
    show(application:start(app_a, permanent)),
    [file:delete(filename:join(Dir, F)) || F <- ["app_a.app", "app_b.app"]],
    file:del_dir(Dir),
    %% init as erl's runs this program.
    show(init:get_argument(root) =:= {ok, [[code:root_dir()]]}),
    show([init:get_argument(A) || A <- [progname, noshell, nosuchflag]]),
    show(init:get_status()),
    show(init:script_id()),
    show(top_error(fun() -> init:stop(-1) end)),
    show(top_error(fun() -> init:stop(x) end)),
    init:stop(3),
    %% The stop ends this process too.
    receive after infinity -> ok end.

show(X) -> io:format("~p~n", [X]).

top_error(F) ->
    try F() catch error:R:S -> {R, hd(S)} end.

write_app(Dir, Name, Opts) ->
    Spec = {application, Name, [{description, atom_to_list(Name)}, {vsn, "1.0"},
                                {modules, [?MODULE]} | Opts]},
    ok = file:write_file(filename:join(Dir, atom_to_list(Name) ++ ".app"),
                         io_lib:format("~p.~n", [Spec])).

%% The application callback, for app_a and app_b.
start(normal, App) ->
    io:format("start ~p ~p~n", [App, application:get_application()]),
    case App of
        a -> supervisor:start_link({local, app_a_sup}, ?MODULE, sup);
        b -> {ok, spawn_link(fun() -> receive after infinity -> ok end end)}
    end.

prep_stop(State) ->
    io:format("prep_stop ~p~n", [application:get_application()]),
    State.

stop(_) ->
    io:format("stop ~p~n", [application:get_application()]),
    ok.

%% The supervisor's and the server's callbacks.
init(sup) ->
    {ok, {#{strategy => one_for_one},
          [#{id => server, start => {?MODULE, start_server, [app_a_server]}}]}};
init(server) ->
    process_flag(trap_exit, true),
    {ok, 0}.

start_server(Name) -> gen_server:start_link({local, Name}, ?MODULE, server, []).

handle_call(get, _, N) ->
    {reply, {N, application:get_env(greeting), application:get_application()}, N + 1}.

handle_cast(_, N) -> {noreply, N}.

terminate(Reason, _) -> io:format("server terminate ~p~n", [Reason]).
