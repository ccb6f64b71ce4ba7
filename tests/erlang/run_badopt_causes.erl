%% The error_info causes of bad options: garbage_collect/2 (`bad_option`
%% for a list erlang.erl's get_gc_opts/2 refuses, whatever the pid; plain
%% for a bad {type, _} value), suspend_process/2 and spawn_opt/4 (`badopt`,
%% options checked before the other arguments).
-module(run_badopt_causes).
-export([main/0]).

c(F) ->
    try F() of
        _ -> ok
    catch
        error:badarg:S ->
            {_, _, _, I} = hd(S),
            proplists:get_value(error_info, I)
    end.

main() ->
    P = spawn(fun() -> receive stop -> ok end end),
    io:format("~p~n", [[c(fun() -> erlang:garbage_collect(self(), [{type, bad}]) end),
                        c(fun() -> erlang:garbage_collect(a, [bad]) end),
                        c(fun() -> erlang:garbage_collect(a, bad) end),
                        c(fun() -> erlang:garbage_collect(a, [{type, major}]) end),
                        c(fun() -> erlang:garbage_collect(self(), [bad]) end),
                        c(fun() -> erlang:garbage_collect(self(), [{async, r} | x]) end),
                        c(fun() -> erlang:garbage_collect(self(), [{type, minor}, {async, r}, {x, y}]) end)]]),
    io:format("~p~n", [[c(fun() -> erlang:suspend_process(P, [bad]) end),
                        c(fun() -> erlang:suspend_process(self(), [bad]) end),
                        c(fun() -> erlang:suspend_process(P, bad) end),
                        c(fun() -> erlang:suspend_process(P, [unless_suspending | x]) end),
                        c(fun() -> erlang:suspend_process(a, [bad]) end),
                        c(fun() -> erlang:suspend_process(a, []) end),
                        c(fun() -> erlang:suspend_process(self(), []) end)]]),
    io:format("~p~n", [[c(fun() -> spawn_opt(lists, seq, A, O) end)
                        || {A, O} <- [{a, [bad]}, {[1 | x], bad}, {a, [link]}, {[1, 2], [bad]},
                                      {[1 | x], [{min_heap_size, -1}]}]]]),
    P ! stop,
    ok.
