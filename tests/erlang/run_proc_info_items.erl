%% process_info/2 items of processes in known states: where they wait
%% (current_location, current_stacktrace, at most 8 frames, catchlevel),
%% how they were spawned (parent, initial_call, priority, heap options),
%% the flags that only read back, item lists, and badarg for unknown
%% items. Pids are shown as atoms, sizes only where they are BEAM's.
-module(run_proc_info_items).
-export([main/0, waiter/0, deep/1, catcher/0, idle/0]).

waiter() -> receive stop -> ok end.

deep(0) -> receive stop -> ok end;
deep(N) -> deep(N - 1), ok.

catcher() -> catch waiter(), try waiter() after ok end, ok.

idle() -> receive stop -> ok end.

shape(P) when is_pid(P) -> pid;
shape(R) when is_reference(R) -> ref;
shape(L) when is_list(L) -> shape_list(L);
shape(T) when is_tuple(T) -> list_to_tuple([shape(X) || X <- tuple_to_list(T)]);
shape(X) -> X.

shape_list([H | T]) -> [shape(H) | shape_list(T)];
shape_list([]) -> [];
shape_list(T) -> shape(T).

%% A caught error's reason and top frame (the rest is the runner's).
shape_exit({'EXIT', {R, [Top | _]}}) -> {R, shape(Top)};
shape_exit(X) -> shape(X).

%% `binary`: the off-heap binaries a process holds, as {Size, Refs}
%% (sorted: the first field is an address): its own, one it shares with
%% this process, none once it dropped them and collected.
binaries() ->
    Shared = binary:copy(<<"s">>, 1000),
    Me = self(),
    P = spawn(fun() ->
                      Own = binary:copy(<<"o">>, 2000),
                      Small = <<"small">>,
                      Me ! ready,
                      receive go -> ok end,
                      Me ! {sizes, byte_size(Own) + byte_size(Shared) + byte_size(Small)},
                      erlang:garbage_collect(),
                      Me ! collected,
                      receive stop -> ok end
              end),
    receive ready -> ok end,
    settle(P),
    io:format("binary: ~p~n", [bins(P)]),
    P ! go,
    receive {sizes, N} -> io:format("sizes ~p~n", [N]) end,
    receive collected -> ok end,
    settle(P),
    io:format("binary after gc: ~p~n", [bins(P)]),
    P ! stop,
    byte_size(Shared).

bins(P) ->
    {binary, L} = process_info(P, binary),
    lists:sort([{Size, Refs} || {Id, Size, Refs} <- L, is_integer(Id)]).

settle(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), timer:sleep(1), settle(P)
    end.

main() ->
    Me = self(),
    W = spawn(?MODULE, waiter, []),
    D = spawn(?MODULE, deep, [3]),
    D20 = spawn(?MODULE, deep, [20]),
    C = spawn(?MODULE, catcher, []),
    F = spawn(fun() -> receive stop -> ok end end),
    O = spawn_opt(?MODULE, idle, [], [{priority, high}, {min_heap_size, 1000},
                                     {fullsweep_after, 7}, {min_bin_vheap_size, 10000},
                                     {message_queue_data, off_heap}]),
    [settle(P) || P <- [W, D, D20, C, F, O]],
    Items = [current_location, current_stacktrace, current_function, initial_call,
             status, catchlevel, parent, priority, min_heap_size, min_bin_vheap_size,
             fullsweep_after, message_queue_data, error_handler, suspending, last_calls,
             sequential_trace_token, trap_exit, links, monitors, monitored_by,
             registered_name, message_queue_len, messages, dictionary, trace,
             magic_ref],
    [io:format("~p ~p: ~p~n", [N, I, shape(process_info(P, I))])
     || {N, P} <- [{w, W}, {d, D}, {d20, D20}, {c, C}, {f, F}, {o, O}], I <- Items],
    io:format("self: ~p~n", [[shape(process_info(Me, I))
                              || I <- [status, catchlevel, min_heap_size,
                                       fullsweep_after, current_function]]]),
    io:format("self in catch: ~p~n", [catch process_info(Me, catchlevel)]),
    Flags = [{min_heap_size, 10}, {min_heap_size, 1000}, {min_heap_size, 0},
             {min_bin_vheap_size, 10}, {min_bin_vheap_size, 100000},
             {min_bin_vheap_size, 46422}, {fullsweep_after, 3}, {fullsweep_after, 65535},
             {save_calls, 4}, {save_calls, 0}, {priority, low}, {priority, normal},
             {sensitive, true}, {sensitive, false}, {error_handler, my_handler},
             {error_handler, error_handler}, {message_queue_data, off_heap},
             {message_queue_data, on_heap}],
    [io:format("flag ~p: ~p ~p~n", [G, process_flag(G, V), process_info(Me, G)])
     || {G, V} <- Flags, G =/= save_calls, G =/= sensitive],
    [io:format("flag ~p: ~p~n", [G, process_flag(G, V)])
     || {G, V} <- Flags, G =:= save_calls orelse G =:= sensitive],
    io:format("flag/3: ~p ~p ~p~n", [process_flag(W, save_calls, 5),
                                    process_flag(W, save_calls, 0),
                                    process_flag(Me, save_calls, 0)]),
    {garbage_collection, GC} = process_info(O, garbage_collection),
    io:format("gc: ~p~n", [[{K, V} || {K, V} <- GC, K =/= minor_gcs]]),
    io:format("~p~n", [shape(process_info(W, [status, links, initial_call, current_function]))]),
    io:format("~p~n", [process_info(W, [])]),
    io:format("~p~n", [shape(process_info(W, [status, status]))]),
    io:format("~p~n", [shape(process_info(W, [registered_name]))]),
    io:format("~p~n", [shape(process_info(W, registered_name))]),
    [io:format("~p: ~p~n", [shape(What), shape_exit(catch process_info(W, What))])
     || What <- [bogus, async_dist, label, [status, bogus], [status | x], 7, "status",
                 [status, {x}]]],
    {backtrace, BT} = process_info(W, backtrace),
    io:format("~p~n", [{is_binary(BT), binary:part(BT, 0, 17)}]),
    erlang:suspend_process(W),
    io:format("suspended: ~p ~p~n", [process_info(W, status),
                                     shape(process_info(Me, suspending))]),
    erlang:resume_process(W),
    M = monitor(process, W),
    link(W),
    io:format("~p~n", [shape(process_info(W, [links, monitored_by]))]),
    io:format("~p~n", [shape(process_info(Me, [monitors]))]),
    unlink(W),
    binaries(),
    [P ! stop || P <- [W, D, D20, C, F, O]],
    receive {'DOWN', M, process, W, R} -> io:format("down ~p~n", [R]) end,
    io:format("dead: ~p ~p~n", [process_info(W, status), process_info(W, [status])]),
    ok.
