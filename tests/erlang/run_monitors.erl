-module(run_monitors).
-export([main/0, idle/0]).

%% Monitors and their 'DOWN' reasons (noproc included), demonitor's
%% options, names, process_info's deterministic fields, process_flag.

main() ->
    down_reasons(),
    by_name(),
    demonitors(),
    names(),
    info(),
    flags(),
    ok.

idle() ->
    receive stop -> ok end.

down_reasons() ->
    {P1, R1} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', R1, process, P1, W1} -> io:format("normal: ~p~n", [W1]) end,
    R2 = monitor(process, P1),
    receive {'DOWN', R2, process, P1, W2} -> io:format("dead pid: ~p~n", [W2]) end,
    P3 = spawn(fun idle/0),
    R3a = monitor(process, P3),
    R3b = monitor(process, P3),
    exit(P3, {shutdown, twice}),
    Got = [receive {'DOWN', R, process, P3, W} -> W end || R <- [R3b, R3a]],
    io:format("two monitors: ~p~n", [Got]),
    %% It exits only when told, after the monitor is set (a process that
    %% exited on its own may already be gone on another scheduler: noproc).
    P4 = spawn(fun() -> receive go -> exit(slow) end end),
    R4 = monitor(process, P4),
    P4 ! go,
    receive {'DOWN', R4, process, P4, W4} -> io:format("later: ~p~n", [W4]) end,
    R5 = monitor(process, self()),
    io:format("self monitor: ~p~n", [is_reference(R5)]),
    io:format("self demonitor: ~p~n", [demonitor(R5, [info])]).

by_name() ->
    R1 = monitor(process, no_such_name),
    receive {'DOWN', R1, process, Obj1, W1} -> io:format("name noproc: ~p ~p~n", [Obj1, W1]) end,
    R2 = monitor(process, {no_such_name, node()}),
    receive {'DOWN', R2, process, Obj2, W2} -> io:format("tuple noproc: ~p ~p~n", [Obj2, W2]) end,
    P = spawn(fun idle/0),
    register(watched, P),
    R3 = monitor(process, watched),
    {monitors, Ms} = process_info(self(), monitors),
    io:format("monitors: ~p~n", [Ms]),
    {monitored_by, By} = process_info(P, monitored_by),
    io:format("monitored_by self: ~p~n", [By =:= [self()]]),
    watched ! stop,
    receive {'DOWN', R3, process, Obj3, W3} -> io:format("by name: ~p ~p~n", [Obj3, W3]) end,
    io:format("name freed: ~p~n", [whereis(watched)]),
    Err = fun(F) -> try F() of V -> {ok, V} catch C:E -> {C, E} end end,
    io:format("~p~n", [Err(fun() -> monitor(process, 42) end)]),
    io:format("~p~n", [Err(fun() -> monitor(foo, self()) end)]),
    io:format("~p~n", [Err(fun() -> monitor(process, {a, b, c}) end)]).

demonitors() ->
    P = spawn(fun idle/0),
    R = monitor(process, P),
    io:format("demonitor: ~p~n", [demonitor(R)]),
    io:format("info again: ~p~n", [demonitor(R, [info])]),
    R2 = monitor(process, P),
    io:format("info: ~p~n", [demonitor(R2, [info])]),
    R3 = monitor(process, P),
    exit(P, kill),
    wait_down(R3),
    io:format("info after down: ~p~n", [demonitor(R3, [info])]),
    {messages, Msgs} = process_info(self(), messages),
    io:format("down kept: ~p~n", [[W || {'DOWN', Rx, process, _, W} <- Msgs, Rx =:= R3]]),
    io:format("flush info: ~p~n", [demonitor(R3, [flush, info])]),
    io:format("queue: ~p~n", [process_info(self(), message_queue_len)]),
    Err = fun(F) -> try F() of V -> {ok, V} catch C:E -> {C, E} end end,
    io:format("~p~n", [Err(fun() -> demonitor(foo) end)]),
    io:format("~p~n", [Err(fun() -> demonitor(make_ref(), [bogus]) end)]),
    io:format("~p~n", [demonitor(make_ref(), [info])]).

names() ->
    P = spawn(fun idle/0),
    io:format("register: ~p~n", [register(some_name, P)]),
    io:format("whereis: ~p~n", [whereis(some_name) =:= P]),
    io:format("listed: ~p~n", [lists:member(some_name, registered())]),
    io:format("info: ~p~n", [process_info(P, registered_name)]),
    Err = fun(F) -> try F() of V -> {ok, V} catch C:E -> {C, E} end end,
    io:format("taken: ~p~n", [Err(fun() -> register(some_name, self()) end)]),
    io:format("second name: ~p~n", [Err(fun() -> register(other_name, P) end)]),
    io:format("unregister: ~p~n", [unregister(some_name)]),
    io:format("gone: ~p ~p~n", [whereis(some_name), lists:member(some_name, registered())]),
    io:format("again: ~p~n", [Err(fun() -> unregister(some_name) end)]),
    io:format("unnamed: ~p~n", [process_info(P, registered_name)]),
    D = spawn(fun() -> ok end),
    wait_dead(D),
    io:format("dead: ~p~n", [Err(fun() -> register(dead_name, D) end)]),
    register(short_lived, P),
    P ! stop,
    wait_dead(P),
    io:format("freed on exit: ~p~n", [whereis(short_lived)]),
    io:format("processes: ~p ~p~n", [lists:member(self(), processes()), lists:member(P, processes())]).

info() ->
    Self = self(),
    P = spawn(fun() ->
        put(key, value),
        put(other, {1, 2}),
        Self ! ready,
        receive go -> ok end,
        receive never -> ok end
    end),
    receive ready -> ok end,
    wait_status(P, waiting),
    P ! one, P ! {two, [2]}, P ! go,
    wait_info(P, [{status, waiting}, {message_queue_len, 2}]),
    Items = [status, message_queue_len, messages, trap_exit, links, registered_name],
    io:format("~p~n", [process_info(P, Items)]),
    {dictionary, D} = process_info(P, dictionary),
    io:format("dictionary: ~p~n", [lists:sort(D)]),
    io:format("~p~n", [process_info(self(), status)]),
    {current_function, CF} = process_info(P, current_function),
    io:format("current function: ~p~n", [CF]),
    io:format("initial call: ~p~n", [process_info(P, initial_call)]),
    Keys = [K || {K, _} <- process_info(P)],
    io:format("keys: ~p~n", [Keys]),
    Sizes = process_info(P, [heap_size, total_heap_size, memory, reductions, stack_size]),
    io:format("sizes are integers: ~p~n", [lists:all(fun({_, V}) -> is_integer(V) end, Sizes)]),
    link(P),
    {links, L} = process_info(P, links),
    io:format("links: ~p~n", [L =:= [self()]]),
    {group_leader, G} = process_info(P, group_leader),
    io:format("group leader: ~p~n", [G =:= group_leader()]),
    unlink(P),
    exit(P, kill),
    wait_dead(P),
    io:format("dead: ~p ~p~n", [process_info(P), process_info(P, status)]),
    io:format("dead list: ~p~n", [process_info(P, [status, links])]),
    io:format("alive: ~p~n", [is_process_alive(P)]),
    Err = fun(F) -> try F() of V -> {ok, V} catch C:E -> {C, E} end end,
    io:format("~p~n", [Err(fun() -> process_info(self(), bogus) end)]),
    io:format("~p~n", [Err(fun() -> process_info(P, [status, bogus]) end)]),
    io:format("~p~n", [Err(fun() -> process_info(foo, status) end)]),
    io:format("~p~n", [Err(fun() -> is_process_alive(foo) end)]).

flags() ->
    io:format("trap_exit: ~p~n", [process_flag(trap_exit, false)]),
    io:format("trap_exit back: ~p~n", [process_flag(trap_exit, true)]),
    io:format("priority: ~p~n", [process_flag(priority, high)]),
    io:format("priority back: ~p~n", [process_flag(priority, normal)]),
    io:format("min_heap_size: ~p~n", [process_flag(min_heap_size, 1000)]),
    io:format("min_heap_size back: ~p~n", [process_flag(min_heap_size, 233)]),
    io:format("sensitive: ~p~n", [process_flag(sensitive, false)]),
    io:format("message_queue_data: ~p~n", [process_flag(message_queue_data, on_heap)]),
    Err = fun(F) -> try F() of V -> {ok, V} catch C:E -> {C, E} end end,
    io:format("~p~n", [Err(fun() -> process_flag(trap_exit, maybe) end)]),
    io:format("~p~n", [Err(fun() -> process_flag(priority, urgent) end)]),
    io:format("~p~n", [Err(fun() -> process_flag(bogus, 1) end)]),
    io:format("~p~n", [Err(fun() -> process_flag(min_heap_size, -1) end)]).

%% Waits without depending on how long the other process takes (the
%% machine may be loaded): a monitor's DOWN, a process's status, a DOWN
%% already queued for a monitor.
wait_dead(P) ->
    R = monitor(process, P),
    receive {'DOWN', R, process, P, _} -> ok end.

wait_status(P, S) -> wait_info(P, [{status, S}]).

wait_info(P, Items) ->
    case process_info(P, [K || {K, _} <- Items]) of
        Items -> ok;
        _ -> receive after 1 -> wait_info(P, Items) end
    end.

wait_down(R) ->
    {messages, Msgs} = process_info(self(), messages),
    case [x || {'DOWN', Rx, process, _, _} <- Msgs, Rx =:= R] of
        [] -> receive after 1 -> wait_down(R) end;
        _ -> ok
    end.
