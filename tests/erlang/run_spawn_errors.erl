%% spawn of what cannot run: a fun of the wrong arity or a {M, F} pair
%% spawns a process that dies with badarity/badfun (its stack trace
%% headed by erlang:apply/2), spawn/3 of an undefined function one that
%% dies with undef; bad arguments are the caller's badarg, bad spawn_opt
%% options with the cause badopt, as BEAM's.
-module(run_spawn_errors).
-export([main/0, f/0, id/1]).
id(X) -> X.
f() -> ok.
%% What a test gives, shown, and the processes it spawned without a
%% monitor.
w(What) ->
    R = (catch What()),
    case R of
        P when is_pid(P) ->
            %% No monitor here: the new process may already be gone on
            %% another scheduler (noproc); its reason is checked through
            %% the spawn_monitor cases below.
            {pid, [P]};
        {P, Ref} when is_pid(P), is_reference(Ref) ->
            %% No timeout: on a loaded machine BEAM took over a second to
            %% fail to load nomod.
            receive {'DOWN', Ref, process, P, Why} -> {{pm, Why}, []} end;
        {'EXIT', {Reason, [Top | _]}} -> {{'EXIT', Reason, Top}, []};
        Other -> {Other, []}
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
    Spawned = [begin {Shown, Ps} = w(T), io:format("~p~n", [Shown]), Ps end || T <- Tests],
    %% Once every process spawned has ended (its DOWN received; noproc if
    %% it had already), the EXIT messages of the linked ones, sent before,
    %% are all queued. Sorted: they come from different processes.
    [wait_dead(P) || P <- lists:append(Spawned)],
    io:format("~p~n", [lists:sort([{'EXIT', Why} || {'EXIT', P, Why} <- flush(), is_pid(P)])]),
    ok.
wait_dead(P) ->
    R = monitor(process, P),
    receive {'DOWN', R, process, P, _} -> ok end.
flush() -> receive M -> [M | flush()] after 0 -> [] end.
