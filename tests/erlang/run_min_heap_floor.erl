%% min_heap_size below BEAM's default 233 words: spawn_opt floors it at
%% the system's min_heap_size (system_flag/2), not at 233, and rounds it up
%% to a heap size step; a new process's heap is that size, before and after
%% a collection of an idle process; process_flag/2 never goes below the
%% system's value and leaves the heap size to the next collection.
-module(run_min_heap_floor).
-export([main/0]).

t(F) -> try F() of V -> V catch C:R -> {C, R} end.

idle() -> receive go -> ok end.

show(Tag, P) ->
    io:format("~p ~p~n", [Tag, process_info(P, [min_heap_size, heap_size, total_heap_size])]).

main() ->
    Old = erlang:system_flag(min_heap_size, 10),
    io:format("system ~p ~p~n", [Old, erlang:system_info(min_heap_size)]),
    P = spawn(fun idle/0),
    show(default10, P),
    erlang:garbage_collect(P),
    show(default10_gc, P),
    show(opt50, spawn_opt(fun idle/0, [{min_heap_size, 50}])),
    Q = spawn_opt(fun idle/0, [{min_heap_size, 20}]),
    erlang:garbage_collect(Q),
    show(opt20_gc, Q),
    show(opt5, spawn_opt(fun idle/0, [{min_heap_size, 5}])),
    show(opt0, spawn_opt(fun idle/0, [{min_heap_size, 0}])),
    show(opt1000, spawn_opt(fun idle/0, [{min_heap_size, 1000}])),
    erlang:system_flag(min_heap_size, 0),
    io:format("system0 ~p~n", [erlang:system_info(min_heap_size)]),
    show(zero, spawn(fun idle/0)),
    show(opt1, spawn_opt(fun idle/0, [{min_heap_size, 1}])),
    erlang:system_flag(min_heap_size, Old),
    show(opt10, spawn_opt(fun idle/0, [{min_heap_size, 10}])),
    show(opt100, spawn_opt(fun idle/0, [{min_heap_size, 100}])),
    show(opt232, spawn_opt(fun idle/0, [{min_heap_size, 232}])),
    show(opt234, spawn_opt(fun idle/0, [{min_heap_size, 234}])),
    io:format("~p~n", [t(fun() -> spawn_opt(fun idle/0, [{min_heap_size, -1}]) end)]),
    Me = self(),
    F = fun() ->
            A = process_flag(min_heap_size, 10),
            B = process_info(self(), [min_heap_size, heap_size]),
            C = process_flag(min_heap_size, 300),
            D = process_info(self(), [min_heap_size, heap_size]),
            Me ! {flags, A, B, C, D}
        end,
    spawn(F),
    receive {flags, _, _, _, _} = M -> io:format("~p~n", [M]) end,
    io:format("~p~n", [t(fun() -> process_flag(min_heap_size, -5) end)]).
