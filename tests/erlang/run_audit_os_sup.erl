-module(run_audit_os_sup).
-export([main/0, start_worker/1, init/1]).

t(F) -> try F() catch C:R -> {C, R} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    logger:set_primary_config(level, none),
    %% base64
    p(b64, [base64:encode(<<"hello world">>), base64:encode_to_string("ab"), base64:decode("aGVsbG8="),
            t(fun() -> base64:decode("aGVsbG8") end), t(fun() -> base64:decode("a*==") end), base64:mime_decode("aGVs\nbG8=*"),
            t(fun() -> base64:decode(<<"YQ==YQ==">>) end), base64:decode_to_string(<<"YWJj">>), t(fun() -> base64:encode(foo) end)]),
    %% term_to_binary options
    T = {lists:seq(1, 300), <<"bin">>, 3.5, #{k => v}, "string", atom},
    p(t2b, [erlang:md5(term_to_binary(T)), erlang:md5(term_to_binary(T, [compressed])), erlang:md5(term_to_binary(T, [{compressed, 9}])),
            erlang:md5(term_to_binary(T, [{minor_version, 1}])), erlang:md5(term_to_binary(3.5, [{minor_version, 0}])),
            erlang:md5(term_to_binary(T, [deterministic])), byte_size(term_to_binary(T, [compressed])),
            binary_to_term(term_to_binary(T, [compressed])) =:= T,
            t(fun() -> term_to_binary(T, [{compressed, 10}]) end), t(fun() -> term_to_binary(T, [bad]) end),
            t(fun() -> binary_to_term(<<131, 100, 0, 5, "zzzzq">>, [safe]) end),
            binary_to_term(term_to_binary(T), [used]) =:= {T, byte_size(term_to_binary(T))},
            t(fun() -> binary_to_term(<<131, 80, 0, 0, 0, 10, 1, 2>>) end),
            erlang:external_size(T), erlang:external_size(T, [{minor_version, 1}])]),
    %% statistics shapes
    p(stats, [t(fun() -> S = statistics(K), shape(S) end) || K <- [runtime, wall_clock, reductions, exact_reductions, run_queue,
                                                                     io, garbage_collection, context_switches, total_run_queue_lengths,
                                                                     run_queue_lengths, total_active_tasks, active_tasks, scheduler_wall_time,
                                                                     total_run_queue_lengths_all, bad]]),
    p(msacc, [t(fun() -> erlang:system_flag(microstate_accounting, V) end) || V <- [false, true, reset, false, x]]
             ++ [t(fun() -> lists:usort([{Ty, lists:sort(maps:keys(C))} || #{type := Ty, id := _, counters := C} <- statistics(microstate_accounting)]) end)]),
    %% filelib
    Dir = "/tmp/enigma_audit19_" ++ os:getpid(),
    ok = filelib:ensure_dir(filename:join([Dir, "a", "b", "x"])),
    [ok = file:write_file(filename:join(Dir, F), F) || F <- ["a/one.erl", "a/two.txt", "a/b/three.erl", "top.erl", "a/.hidden.erl"]],
    p(wildcard, [lists:sort(filelib:wildcard(P, Dir)) || P <- ["*.erl", "*/*.erl", "**/*.erl", "a/{one,two}.*", "a/[ot]*", "a/?ne.erl", "a/b/../*.txt", "nomatch*"]]),
    p(wildcard_abs, length(filelib:wildcard(Dir ++ "/**/*.erl"))),
    p(filelib, [filelib:is_dir(Dir), filelib:is_file(Dir ++ "/top.erl"), filelib:is_regular(Dir ++ "/a"), filelib:file_size(Dir ++ "/top.erl"),
                filelib:ensure_dir(Dir ++ "/top.erl/x"), t(fun() -> filelib:ensure_path(Dir ++ "/c/d") end), filelib:is_dir(Dir ++ "/c/d"),
                lists:sort(filelib:fold_files(Dir, "\\.erl$", true, fun(F, A) -> [filename:basename(F) | A] end, [])),
                filelib:last_modified(Dir ++ "/none"), element(1, filelib:find_file("top.erl", Dir)), element(1, filelib:find_source(Dir ++ "/top.erl"))]),
    os:cmd("rm -rf " ++ Dir),
    %% os
    os:putenv("ENIGMA_AUDIT19", "v1"),
    p(os, [os:getenv("ENIGMA_AUDIT19"), os:getenv("ENIGMA_AUDIT19_NONE"), os:getenv("ENIGMA_AUDIT19_NONE", "def"),
           os:unsetenv("ENIGMA_AUDIT19"), os:getenv("ENIGMA_AUDIT19"), t(fun() -> os:putenv("A=B", "x") end), t(fun() -> os:putenv(foo, "x") end),
           os:type(), is_tuple(os:version()), is_list(os:getpid()), lists:member({"HOME", os:getenv("HOME")}, [list_to_tuple(string:split(E, "=")) || E <- os:getenv()]),
           is_list(os:find_executable("sh")), os:find_executable("no_such_exe_zz"), os:cmd("echo hi; echo there >&2"), os:cmd("exit 3"),
           t(fun() -> os:cmd(foo) end), length(os:cmd("seq 1 2000")), os:cmd("printf 'a\\0b'"),
           is_integer(os:perf_counter()), os:perf_counter(1000) >= 0, is_integer(os:system_time(millisecond)),
           t(fun() -> os:set_signal(sighup, ignore) end), t(fun() -> os:set_signal(sigkill, ignore) end)]),
    %% supervisor
    {ok, Sup} = supervisor:start_link(?MODULE, one_for_one),
    p(sup_children, [{Id, is_pid(P), Ty, M} || {Id, P, Ty, M} <- supervisor:which_children(Sup)]),
    p(sup_count, supervisor:count_children(Sup)),
    [{w1, W1, _, _}] = [C || {w1, _, _, _} = C <- supervisor:which_children(Sup)],
    Ref = monitor(process, W1),
    exit(W1, kill),
    receive {'DOWN', Ref, process, W1, R} -> p(w1_down, R) end,
    p(restarted, is_pid(new_child(Sup, W1))),
    p(terminate, [supervisor:terminate_child(Sup, w2), supervisor:terminate_child(Sup, w2), supervisor:terminate_child(Sup, nope)]),
    p(restart, [element(1, supervisor:restart_child(Sup, w2)), supervisor:restart_child(Sup, w2), supervisor:delete_child(Sup, w2),
                supervisor:terminate_child(Sup, w2), supervisor:delete_child(Sup, w2), supervisor:delete_child(Sup, w2)]),
    p(start_child, [element(1, supervisor:start_child(Sup, #{id => w3, start => {?MODULE, start_worker, [w3]}})),
                    element(1, element(2, supervisor:start_child(Sup, #{id => w3, start => {?MODULE, start_worker, [w3]}}))),
                    t(fun() -> supervisor:start_child(Sup, #{id => w4}) end),
                    supervisor:start_child(Sup, #{id => w5, start => {?MODULE, start_worker, [fail]}})]),
    p(check_specs, [supervisor:check_childspecs([#{id => a, start => {m, f, []}}]), supervisor:check_childspecs([#{id => a}]),
                    supervisor:check_childspecs([#{id => a, start => {m, f, []}, restart => bad}])]),
    p(get_spec, [t(fun() -> maps:remove(start, element(2, supervisor:get_childspec(Sup, w1))) end), supervisor:get_childspec(Sup, nope)]),
    unlink(Sup),
    SRef = monitor(process, Sup),
    %% exceed intensity: 4 kills in a row of a permanent child
    kill_until_gone(Sup, undefined),
    receive {'DOWN', SRef, process, Sup, SR} -> p(sup_down, SR) after 2000 -> p(sup_down, timeout) end,
    ok.

%% The supervisor's w1 once it is another process than Old (the supervisor
%% handles the old one's exit signal and our calls in any order), or
%% `gone` once the supervisor has ended.
new_child(Sup, Old) ->
    Children = try supervisor:which_children(Sup) catch exit:_ -> gone end,
    case Children of
        gone -> gone;
        _ ->
            case [P || {w1, P, _, _} <- Children, is_pid(P), P =/= Old] of
                [P] -> P;
                [] -> timer:sleep(1), new_child(Sup, Old)
            end
    end.

%% Kills w1 each time the supervisor has restarted it, until it gives up.
kill_until_gone(Sup, Old) ->
    case new_child(Sup, Old) of
        gone -> ok;
        P ->
            MR = monitor(process, P),
            exit(P, kill),
            receive {'DOWN', MR, process, P, _} -> ok end,
            kill_until_gone(Sup, P)
    end.

start_worker(fail) -> {error, nope};
start_worker(Name) -> {ok, spawn_link(fun() -> receive _ -> ok end, Name end)}.

init(one_for_one) ->
    {ok, {#{strategy => one_for_one, intensity => 3, period => 10},
          [#{id => w1, start => {?MODULE, start_worker, [w1]}},
           #{id => w2, start => {?MODULE, start_worker, [w2]}, restart => transient, type => worker, modules => [?MODULE]}]}}.

shape(L) when is_list(L) -> {list, [shape(X) || X <- lists:sublist(L, 2)]};
shape(T) when is_tuple(T) -> {tuple, [shape(X) || X <- tuple_to_list(T)]};
shape(A) when is_atom(A) -> A;
shape(I) when is_integer(I) -> integer;
shape(X) -> X.
