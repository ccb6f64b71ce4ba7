-module(run_audit_trace_sysinfo).
-export([main/0]).

%% What a program that does not trace sees of tracing, and the
%% system_info items that describe the emulator's machinery (their
%% values are the machine's and the VM's own: only shapes are printed).

t(F) -> try F() catch C:R -> {C, R} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

shape(L) when is_list(L) -> case io_lib:printable_list(L) of true -> string; false -> {list, [shape(X) || X <- lists:sublist(L, 3)]} end;
shape(T) when is_tuple(T) -> {tuple, tuple_size(T), shape(element(1, T))};
shape(B) when is_binary(B) -> binary;
shape(A) when is_atom(A) -> A;
shape(I) when is_integer(I) -> integer;
shape(P) when is_pid(P) -> pid;
shape(X) -> X.

main() ->
    Items = [info, loaded, dist, allocated_areas, system_logger, dist_ctrl, dist_buf_busy_limit,
             alloc_util_allocators, creation, delayed_node_table_gc, dynamic_trace, dynamic_trace_probes,
             eager_check_io, emu_flavor, emu_type, ets_limit, fullsweep_after, heap_type,
             kernel_poll, machine, max_heap_size, message_queue_data, min_heap_size, min_bin_vheap_size,
             modified_timing_level, multi_scheduling, multi_scheduling_blockers, nif_version,
             otp_release, port_limit, process_limit, scheduler_bind_type, smp_support,
             system_architecture, threads, thread_pool_size, time_correction, time_offset, time_warp_mode,
             tolerant_timeofday, trace_control_word, version, wordsize, {wordsize, internal},
             atom_limit, build_type, lock_checking, lock_counting, sequential_tracer, port_parallelism,
             {allocator, foo}, {allocator_sizes, foo}, {allocator, ets_alloc, x}, bad_item, {bad, item}],
    lists:foreach(fun(I) -> p(I, t(fun() -> shape(erlang:system_info(I)) end)) end, Items),
    p(dist_text, erlang:system_info(dist)),
    p(loaded_text, t(fun() -> [First | _] = string:split(erlang:system_info(loaded), "\n"),
                              string:prefix(First, "Current code: ") =/= nomatch end)),
    p(loaded_lists, t(fun() -> binary:match(erlang:system_info(loaded), <<"\nlists ">>) =/= nomatch end)),
    p(info_text, t(fun() -> binary:part(erlang:system_info(info), 0, 14) end)),
    p(allocator, t(fun() -> {A, V, F, S} = erlang:system_info(allocator),
                            [is_atom(A), is_list(V), is_list(F), is_list(S)] end)),
    p(allocators, [t(fun() -> X = erlang:system_info({K, A}), X =:= false orelse is_list(X) end)
                   || K <- [allocator, allocator_sizes], A <- erlang:system_info(alloc_util_allocators) ++ [sys_alloc, mseg_alloc]]),
    p(areas, t(fun() -> lists:sort([K || {K, _} <- erlang:system_info(allocated_areas)] ++
                                   [K || {K, _, _} <- erlang:system_info(allocated_areas)]) end)),
    p(check_io, t(fun() -> [S | _] = erlang:system_info(check_io), [K || {K, _} <- S] end)),
    p(system_logger, t(fun() -> is_pid(erlang:system_info(system_logger)) end)),
    %% tracing seen by a program that does not trace
    Pid = spawn(fun() -> receive stop -> ok end end),
    Dead = spawn(fun() -> ok end),
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, process, Dead, _} -> ok end,
    Port = open_port({spawn, "cat"}, []),
    Whats = [{self, self()}, {other, Pid}, {dead, Dead}, {port, Port}, {new, new}, {new_processes, new_processes},
             {new_ports, new_ports}, {existing, existing}, {all, all}, {processes, processes}, {foo, foo},
             {tuple4, {a, b, c, d}}, {string, "x"}, {int, 1}],
    p(trace_info, [{N, [t(fun() -> erlang:trace_info(W, I) end) || I <- [flags, tracer, traced, match_spec, all, bad]]}
                   || {N, W} <- Whats]),
    p(trace_info_fun, [{F, [t(fun() -> erlang:trace_info(F, I) end) || I <- [traced, match_spec, meta, meta_match_spec, call_count, call_time, all, flags, bad]]}
                       || F <- [{lists, reverse, 1}, {lists, nonexist, 9}, {nomod, f, 1}, {lists, reverse, -1}, {erlang, self, 0},
                                {?MODULE, shape, 1}, {?MODULE, main, 0}, {lists, '_', '_'}, {lists, reverse, '_'}, {lists, "x", 1}, on_load, {x, y}]]),
    p(trace_delivered, [t(fun() -> R = erlang:trace_delivered(W),
                                   receive {trace_delivered, W, R} -> ok after 1000 -> timeout end
                          end) || W <- [Pid, self(), all]] ++ [t(fun() -> erlang:trace_delivered(foo) end)]),
    p(seq_trace, [t(fun() -> seq_trace:get_token() end)]
                 ++ [t(fun() -> seq_trace:get_token(K) end) || K <- [send, 'receive', print, timestamp, monotonic_timestamp,
                                                                     strict_monotonic_timestamp, spawn, label, serial, bad, 1]]
                 ++ [t(fun() -> seq_trace:print("hello") end), t(fun() -> seq_trace:print(0, "hello") end),
                     t(fun() -> seq_trace:print(foo, "hello") end), t(fun() -> erlang:seq_trace_print(foo, x) end),
                     t(fun() -> seq_trace:reset_trace() end), t(fun() -> seq_trace:get_system_tracer() end),
                     t(fun() -> seq_trace:set_token([]) end), t(fun() -> seq_trace:set_token(bad, 1) end),
                     t(fun() -> seq_trace:set_token(send, 1) end), t(fun() -> seq_trace:set_token(serial, {a, 1}) end),
                     t(fun() -> erlang:system_flag(reset_seq_trace, false) end), t(fun() -> seq_trace:get_token() end)]),
    p(system_profile, t(fun() -> erlang:system_profile() end)),
    port_close(Port),
    Pid ! stop,
    ok.
