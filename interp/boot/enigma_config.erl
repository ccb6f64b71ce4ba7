%% Application configuration from the command line, read at boot as
%% kernel's `application_controller` reads it in `init/2` and `load/2`:
%% the `-config File` files (`check_conf/0`; a `sys.config` may name other
%% files) and the `-App Key Value` arguments (`get_cmd_env/1`), merged
%% over an application's own environment (`merge_app_env/2`). Those
%% functions are not exported, so their rules are restated here, with
%% their error texts; Enigma fills `ac_tab` at boot instead of starting
%% the server (`enigma_kernel:application_controller/0`). Without
%% configuration this runs at every start, so it calls no function of a
%% module that is not loaded yet (`lists` but for its BIFs).
-module(enigma_config).
-export([conf_data/0, app_env/3, logger_level/0, configure_logger/0, start/1]).

%% `{ok, ConfData}`, `[{App, Env}]` merged from every `-config` file, or
%% `{error, Text}` as the controller reports it to `init`.
conf_data() ->
    Files = [File || {config, Values} <- init:get_arguments(), File <- Values],
    try merge_files(Files, []) of
        ConfData ->
            case check_conf_data(ConfData) of
                ok -> {ok, ConfData};
                {error, Text} ->
                    {error, lists:flatten(io_lib:format("invalid config data: ~ts", [Text]))}
            end
    catch
        throw:{error, {File, Line, Text}} ->
            {error, lists:flatten(io_lib:format("error in config file ~tp (~w): ~ts",
                                                [File, Line, Text]))}
    end.

%% The environment `application_controller:load/2` gives `Name`: its
%% own, then the configuration's, then the command line's. Throws
%% `{bad_value, Text, Error}` for a value that does not parse, `Error`
%% being the parser's message.
app_env(Name, Env, ConfData) ->
    ConfEnv = case lists:keyfind(Name, 1, ConfData) of
                  {_, E} -> E;
                  false -> []
              end,
    merge_app_env(merge_app_env(Env, ConfEnv), cmd_env(Name)).

%% Kernel's `logger_level` as configured (`notice` by default, when the
%% configuration has errors, which the controller reports, or when it is
%% not a level).
logger_level() ->
    try
        {ok, ConfData} = conf_data(),
        {_, Level} = lists:keyfind(logger_level, 1,
                                   app_env(kernel, [{logger_level, notice}], ConfData)),
        true = lists:member(Level, [none, emergency, alert, critical, error, warning, notice,
                                    info, debug, all]),
        Level
    catch
        _:_ -> notice
    end.

%% `erl`'s start commands (`-s`, `-run`, `-eval`, `{Flag, Values}` in
%% command-line order), run one after the other in the program's process
%% as init's `start_em/1` runs them (`prepare_run_args/1`, `start_it/1`):
%% `-s` gives atoms, `-run` strings, `-eval` one expression.
start(Commands) ->
    lists:foreach(fun start_it/1, [prepare_run_args(C) || C <- Commands]).

prepare_run_args({eval, [Expr]}) -> {eval, Expr};
prepare_run_args({_, []}) -> [];
prepare_run_args({_, [M]}) -> [list_to_atom(M)];
prepare_run_args({s, [M, F | Args]}) -> [list_to_atom(M), list_to_atom(F) | [list_to_atom(A) || A <- Args]];
prepare_run_args({run, [M, F | Args]}) -> [list_to_atom(M), list_to_atom(F) | Args].

start_it([]) ->
    ok;
start_it({eval, Str}) ->
    {ok, Ts, _} = erl_scan:string(Str),
    Ts1 = case lists:reverse(Ts) of
              [{dot, _} | _] -> Ts;
              TsR -> lists:reverse([{dot, erl_anno:new(1)} | TsR])
          end,
    {ok, Expr} = erl_parse:parse_exprs(Ts1),
    {value, _Value, _Bs} = erl_eval:exprs(Expr, erl_eval:new_bindings()),
    ok;
start_it([M]) -> M:start();
start_it([M, F]) -> M:F();
start_it([M, F | Args]) -> M:F(Args).

%% Kernel's logger configuration (`logger`'s handlers, filters and module
%% levels, `logger_metadata`, `logger_sasl_compatible`, `error_logger`),
%% applied as kernel's start applies it (`logger:internal_init_logger/0`,
%% then `logger:add_handlers(kernel)`) over the default handler the boot
%% set up: `logger:reconfigure/0` does both from erl's boot state. Runs in
%% a process of its own, for which `enigma run` holds the program's
%% process; an invalid configuration ends the run as kernel's failed start
%% ends erl's.
configure_logger() ->
    %% The controller's first request waits for the end of its boot.
    _ = application:which_applications(),
    Keys = [logger, logger_metadata, logger_default_metadata, logger_sasl_compatible,
            error_logger],
    Configured = case conf_data() of
                     {ok, ConfData} ->
                         [K || {K, _} <- app_env(kernel, [], ConfData), lists:member(K, Keys)];
                     {error, _} ->
                         []
                 end,
    %% The boot wrote the default handler into kernel's `logger` as
    %% kernel's start does for `standard_io`; the reconfiguration writes
    %% it back, or not (`error_logger` `silent` or `false`).
    _ = Configured =/= [] andalso not lists:member(logger, Configured)
        andalso application:unset_env(kernel, logger),
    case Configured =/= [] andalso logger:reconfigure() of
        {error, {bad_config, {kernel, _}}} = Error -> kernel_failed(Error, 34);
        {error, _} = Error -> kernel_failed(Error, 38);
        _ -> ok
    end,
    enigma_kernel:release_held().

%% The controller's report of kernel's start failing at `Line` of
%% `kernel:start/2` on `Error`.
kernel_failed(Error, Line) ->
    Stack = [{kernel, start, 2, [{file, "kernel.erl"}, {line, Line}]},
             {application_master, start_it_old, 4,
              [{file, "application_master.erl"}, {line, 293}]}],
    Reason = {application_start_failure, kernel,
              {bad_return, {{kernel, start, [normal, []]}, {'EXIT', {{badmatch, Error}, Stack}}}}},
    enigma_kernel:kernel_terminated(lists:flatten(io_lib:format("~0p", [Reason]))).

merge_files([File | T], Env) -> merge_files(T, merge_env(Env, config_file(File)));
merge_files([], Env) -> Env.

config_file(File) ->
    Base = filename:basename(File, ".config"),
    Name = filename:join(filename:dirname(File), Base ++ ".config"),
    case load_file(Name) of
        {ok, Env} when Base =:= "sys" ->
            sys_config(Env, [], filename:dirname(Name));
        {ok, Env} ->
            Env;
        {error, {Line, _Mod, Text}} ->
            throw({error, {Name, Line, Text}})
    end.

%% A `sys.config`'s entries: files to read (relative to its directory if
%% there, else to the current one) or `{App, Env}` pairs.
sys_config([File | T], Env, Dir) when is_list(File) ->
    Base = filename:basename(File, ".config"),
    Name = filename:join(filename:dirname(File), Base ++ ".config"),
    Found = case filename:pathtype(Name) of
                relative when Dir =/= [] ->
                    Rel = filename:join(Dir, Name),
                    case prim_file:read_file_info(Rel) of
                        {ok, _} -> Rel;
                        {error, _} -> Name
                    end;
                _ ->
                    Name
            end,
    case load_file(Found) of
        {ok, New} -> sys_config(T, merge_env(Env, New), Dir);
        {error, {Line, _Mod, Text}} -> throw({error, {Found, Line, Text}})
    end;
sys_config([Pair | T], Env, Dir) ->
    sys_config(T, merge_env(Env, [Pair]), Dir);
sys_config([], Env, _) ->
    Env.

load_file(File) ->
    case erl_prim_loader:get_file(File) of
        {ok, Bin, _} ->
            Enc = case epp:read_encoding_from_binary(Bin) of
                      none -> epp:default_encoding();
                      E -> E
                  end,
            case catch unicode:characters_to_list(Bin, Enc) of
                String when is_list(String) -> scan(String ++ " ");
                _ -> {error, {none, scan_file, "bad encoding"}}
            end;
        error ->
            {error, {none, open_file, "configuration file not found"}}
    end.

scan(String) ->
    case erl_scan:tokens([], String, 1) of
        {done, {ok, Tokens, _}, Left} ->
            case erl_parse:parse_term(Tokens) of
                {ok, L} = Ok when is_list(L) ->
                    case only_space(Left) of
                        true -> Ok;
                        false -> not_one_list()
                    end;
                {ok, _} -> not_one_list();
                Error -> Error
            end;
        {done, Result, _} ->
            {error, {none, parse_file, tuple_to_list(Result)}};
        {more, _} ->
            {error, {none, load_file, "no ending <dot> found"}}
    end.

only_space([C | Cs]) when C =< $\s -> only_space(Cs);
only_space([$% | Cs]) -> only_space(after_line(Cs));
only_space([_ | _]) -> false;
only_space([]) -> true.

after_line([$\n | Cs]) -> Cs;
after_line([_ | Cs]) -> after_line(Cs);
after_line([]) -> [].

not_one_list() ->
    {error, {none, load_file, "configuration file must contain ONE list ended by <dot>"}}.

check_conf_data([]) ->
    ok;
check_conf_data([{App, Env} | T]) when is_atom(App), is_list(Env) ->
    case lists:keymember(App, 1, T) of
        true -> {error, "duplicate application config: " ++ atom_to_list(App)};
        false ->
            case check_parameters(Env, App) of
                ok -> check_conf_data(T);
                Error -> Error
            end
    end;
check_conf_data([{App, Env} | _]) when is_list(Env) ->
    {error, "application: " ++ pretty(App) ++ "; application name must be an atom"};
check_conf_data([{App, _} | _]) ->
    {error, "application: " ++ pretty(App) ++ "; parameters must be a list"};
check_conf_data([Else | _]) ->
    {error, "invalid application config: " ++ pretty(Else)};
check_conf_data(_) ->
    {error, "configuration must be a list ended by <dot><whitespace>"}.

check_parameters([], _) ->
    ok;
check_parameters([{Key, _} | T], App) when is_atom(Key) ->
    case lists:keymember(Key, 1, T) of
        true ->
            {error, "application: " ++ atom_to_list(App) ++ "; duplicate parameter: "
             ++ atom_to_list(Key)};
        false ->
            check_parameters(T, App)
    end;
check_parameters([{Key, _} | _], App) ->
    {error, "application: " ++ atom_to_list(App) ++ "; invalid parameter name: " ++ pretty(Key)};
check_parameters([Else | _], App) ->
    {error, "application: " ++ atom_to_list(App) ++ "; invalid parameter: " ++ pretty(Else)}.

pretty(Term) ->
    lists:flatten(io_lib:format("~tp", [Term])).

cmd_env(Name) ->
    case init:get_argument(Name) of
        {ok, Args} -> lists:reverse([P || Values <- Args, P <- lists:reverse(pairs(Values))]);
        error -> []
    end.

pairs([Key, Value | T]) -> [{term(Key), term(Value)} | pairs(T)];
pairs(_) -> [].

term(String) ->
    Parsed = case erl_scan:string(String) of
                 {ok, Tokens, _} -> erl_parse:parse_term(Tokens ++ [{dot, erl_anno:new(1)}]);
                 {error, Error, _} -> {error, Error}
             end,
    case Parsed of
        {ok, Term} ->
            Term;
        {error, {_, Mod, Reason}} ->
            throw({bad_value, String, Mod:format_error(Reason)})
    end.

%% `application_controller:merge_env/2`: `Env2`'s applications' values
%% over `Env1`'s.
merge_env(Env1, Env2) ->
    merge_env(Env1, Env2, []).

merge_env([{App, AppEnv1} | T], Env2, Res) ->
    case take(App, Env2) of
        {value, AppEnv2, Rest2} -> merge_env(T, Rest2, [{App, merge_app_env(AppEnv1, AppEnv2)} | Res]);
        _ -> merge_env(T, Env2, [{App, AppEnv1} | Res])
    end;
merge_env([], Env2, Res) ->
    Env2 ++ Res.

%% `application_controller:merge_app_env/2`, in its order (the table's
%% insertion order follows it).
merge_app_env(Env1, Env2) ->
    merge_app_env(Env1, Env2, []).

merge_app_env([{Key, Value} | T], Env2, Res) ->
    case take(Key, Env2) of
        {value, New, Rest2} -> merge_app_env(T, Rest2, [{Key, New} | Res]);
        _ -> merge_app_env(T, Env2, [{Key, Value} | Res])
    end;
merge_app_env([], Env2, Res) ->
    Env2 ++ Res.

take(Key, Env) -> take(Env, Key, []).

take([{Key, Value} | T], Key, Res) -> {value, Value, T ++ Res};
take([H | T], Key, Res) -> take(T, Key, [H | Res]);
take([], _, Res) -> Res.
