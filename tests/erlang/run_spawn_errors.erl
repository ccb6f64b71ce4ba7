%% spawn of what cannot run: a fun of the wrong arity or a {M, F} pair
%% spawns a process that dies with badarity/badfun (its stack trace
%% headed by erlang:apply/2), spawn/3 of an undefined function one that
%% dies with undef; bad arguments are the caller's badarg, bad spawn_opt
%% options with the cause badopt, as BEAM's.
-module(run_spawn_errors).
-export([main/0, f/0, id/1]).
id(X) -> X.
f() -> ok.
w(What) ->
    R = (catch What()),
    case R of
        P when is_pid(P) ->
            %% No monitor here: the new process may already be gone on
            %% another scheduler (noproc); its reason is checked through
            %% the spawn_monitor cases below.
            pid;
        {P, Ref} when is_pid(P), is_reference(Ref) ->
            receive {'DOWN', Ref, process, P, Why} -> {pm, Why} after 1000 -> {pm, timeout} end;
        {'EXIT', {Reason, [Top | _]}} -> {'EXIT', Reason, Top};
        Other -> Other
    end.
main() ->
    _ = (catch logger:set_primary_config(level, none)),
    F1 = ?MODULE:id(fun(_) -> ok end),
    F0 = ?MODULE:id(fun() -> ok end),
    Tests = [
      fun() -> spawn(F1) end,
      fun() -> spawn(x) end,
      fun() -> spawn({run_spawn_errors, f}) end,
      fun() -> spawn({run_spawn_errors, nope}) end,
      fun() -> spawn({run_spawn_errors, f, x}) end,
      fun() -> spawn(node(), F1) end,
      fun() -> spawn(node(), x) end,
      fun() -> spawn(run_spawn_errors, nope, [1]) end,
      fun() -> spawn(nomod, nope, [1]) end,
      fun() -> spawn(run_spawn_errors, f, x) end,
      fun() -> spawn(run_spawn_errors, f, [a|b]) end,
      fun() -> spawn("run_spawn_errors", f, []) end,
      fun() -> spawn_link(F1) end,
      fun() -> spawn_link(x) end,
      fun() -> spawn_link(run_spawn_errors, nope, []) end,
      fun() -> spawn_monitor(F1) end,
      fun() -> spawn_monitor(F0) end,
      fun() -> spawn_monitor(x) end,
      fun() -> spawn_monitor(run_spawn_errors, nope, []) end,
      fun() -> spawn_monitor(run_spawn_errors, f, x) end,
      fun() -> spawn_monitor({run_spawn_errors, f}) end,
      fun() -> spawn_monitor({run_spawn_errors, nope}) end,
      fun() -> spawn_monitor(run_spawn_errors, nope, [1]) end,
      fun() -> spawn_monitor(nomod, nope, [1]) end,
      fun() -> spawn_monitor(run_spawn_errors, f, [a|b]) end,
      fun() -> spawn_opt(F1, []) end,
      fun() -> spawn_opt(F1, [monitor]) end,
      fun() -> spawn_opt(F0, [bad]) end,
      fun() -> spawn_opt(F0, x) end,
      fun() -> spawn_opt(x, []) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [bad]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], x) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{priority, bad}]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{min_heap_size, -1}]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{fullsweep_after, x}]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{message_queue_data, x}]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{monitor, x}]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{monitor, [x]}]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [monitor | x]) end,
      fun() -> spawn_opt(run_spawn_errors, f, [], [{max_heap_size, x}]) end,
      fun() -> spawn_opt(run_spawn_errors, nope, [], [monitor]) end,
      fun() -> spawn_opt(F0, [{link, x}]) end,
      fun() -> spawn_opt({run_spawn_errors, f}, []) end
    ],
    process_flag(trap_exit, true),
    [io:format("~p~n", [w(T)]) || T <- Tests],
    io:format("~p~n", [[{'EXIT', Why} || {'EXIT', P, Why} <- flush(), is_pid(P)]]),
    ok.
flush() -> receive M -> [M | flush()] after 100 -> [] end.
