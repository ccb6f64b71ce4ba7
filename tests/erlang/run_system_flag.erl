%% erlang:system_flag/2: each flag returns its old value; the heap
%% settings are what new processes start with (spawn_opt's options still
%% win), backtrace_depth cuts stack traces; bad flags are badarg with the
%% cause badopt, bad values plain badarg. Also the system_info/1 and
%% statistics/1 items that read them back, printed only where the value
%% does not depend on the machine.
-module(run_system_flag).
-export([main/0]).

c({'EXIT', {R, [{_, F, A, [{error_info, M}]} | _]}}) -> {R, F, A, maps:get(cause, M, nocause)};
c(X) -> X.

%% Ten frames with distinct return addresses.
f1() -> f2(), 1.
f2() -> f3(), 2.
f3() -> f4(), 3.
f4() -> f5(), 4.
f5() -> f6(), 5.
f6() -> f7(), 6.
f7() -> f8(), 7.
f8() -> f9(), 8.
f9() -> f10(), 9.
f10() -> case get(no_such_key) of undefined -> erlang:error(bottom); X -> X end.

%% The length of a stack trace taken in a fresh process. Processes made
%% here are gone when the functions return (their DOWN received), so
%% that the process count below sees only its own.
depth() ->
    Me = self(),
    {P, R} = spawn_monitor(fun() -> Me ! {depth, (catch f1())} end),
    receive {depth, {'EXIT', {bottom, St}}} -> ok end,
    receive {'DOWN', R, process, P, _} -> length(St) end.

spawned(Opts) ->
    {P, Ref} = spawn_opt(fun() -> receive _ -> ok end end, [monitor | Opts]),
    R = process_info(P, [min_heap_size, min_bin_vheap_size, fullsweep_after, max_heap_size]),
    exit(P, kill),
    receive {'DOWN', Ref, process, P, _} -> R end.

main() ->
    S = erlang:system_info(schedulers),
    T = [
      fun() -> erlang:system_flag(fullsweep_after, 10) end,
      fun() -> erlang:system_flag(fullsweep_after, 65535) end,
      fun() -> erlang:system_flag(fullsweep_after, 7) end,
      fun() -> erlang:system_flag(fullsweep_after, -1) end,
      fun() -> erlang:system_flag(fullsweep_after, x) end,
      fun() -> erlang:system_flag(min_heap_size, 1000) end,
      fun() -> erlang:system_flag(min_bin_vheap_size, 100000) end,
      fun() -> erlang:system_flag(max_heap_size, 1000000) end,
      fun() -> [erlang:system_info(I) || I <- [min_heap_size, min_bin_vheap_size,
                                             fullsweep_after, max_heap_size]] end,
      fun() -> spawned([]) end,
      fun() -> spawned([{min_heap_size, 300}, {fullsweep_after, 2}, {max_heap_size, 0}]) end,
      fun() -> erlang:system_flag(min_heap_size, 233) end,
      fun() -> erlang:system_flag(min_heap_size, x) end,
      fun() -> erlang:system_flag(min_bin_vheap_size, 46422) end,
      fun() -> erlang:system_flag(max_heap_size, #{size => 0}) end,
      fun() -> erlang:system_flag(max_heap_size, #{size => 100, kill => false}) end,
      fun() -> erlang:system_flag(max_heap_size, 0) end,
      fun() -> erlang:system_flag(max_heap_size, x) end,
      fun() -> erlang:system_flag(fullsweep_after, 65535) end,
      fun() -> spawned([]) end,
      fun() -> erlang:system_flag(schedulers_online, 1) =:= S end,
      fun() -> erlang:system_info(schedulers_online) end,
      fun() -> erlang:system_flag(schedulers_online, S) end,
      fun() -> erlang:system_info(schedulers_online) =:= S end,
      fun() -> erlang:system_flag(schedulers_online, 0) end,
      fun() -> erlang:system_flag(schedulers_online, S + 1) end,
      fun() -> erlang:system_flag(schedulers_online, x) end,
      fun() -> erlang:system_flag(backtrace_depth, 3) end,
      fun() -> depth() end,
      fun() -> erlang:system_flag(backtrace_depth, 1000) end,
      fun() -> erlang:system_flag(backtrace_depth, 8) end,
      fun() -> depth() end,
      fun() -> erlang:system_flag(backtrace_depth, -1) end,
      fun() -> erlang:system_flag(trace_control_word, 5) end,
      fun() -> erlang:system_info(trace_control_word) end,
      fun() -> erlang:system_flag(trace_control_word, 0) end,
      fun() -> erlang:system_flag(bad, 1) end,
      fun() -> erlang:system_flag(1, 1) end,
      fun() -> is_integer(erlang:statistics(total_run_queue_lengths)) end,
      fun() -> lists:all(fun is_integer/1, erlang:statistics(run_queue_lengths)) end,
      fun() -> lists:all(fun is_integer/1, erlang:statistics(active_tasks)) end,
      fun() -> {{input, I}, {output, O}} = erlang:statistics(io), is_integer(I + O) end,
      fun() -> {A, B} = erlang:statistics(context_switches), is_integer(A) andalso B end,
      fun() -> {A, B, C} = erlang:statistics(garbage_collection), is_integer(A + B) andalso C end,
      fun() -> {A, B} = erlang:statistics(exact_reductions), is_integer(A + B) end,
      fun() -> erlang:system_info(heap_sizes) end,
      fun() -> P0 = erlang:system_info(process_count),
               Ps = [spawn(fun() -> receive _ -> ok end end) || _ <- lists:seq(1, 5)],
               P1 = erlang:system_info(process_count),
               [exit(P, kill) || P <- Ps],
               P1 - P0 end,
      fun() -> erlang:system_info(process_count) > 1 end,
      fun() -> [is_integer(erlang:system_info(I)) || I <- [process_limit, atom_count,
                                                          atom_limit, port_count,
                                                          logical_processors,
                                                          thread_pool_size]] end,
      fun() -> [erlang:system_info(I) || I <- [wordsize, heap_type, smp_support,
                                              otp_release]] end
    ],
    [io:format("~p~n", [c(catch F())]) || F <- T],
    ok.
