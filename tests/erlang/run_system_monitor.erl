%% erlang:system_monitor/0,1,2 as BEAM's (OTP 25): what it accepts and
%% reads back (limits raised to BEAM's least values, BEAM's order of the
%% options), what it refuses (with its error_info), that it is cleared
%% when the monitor exits, and the `large_heap` message a collection
%% sends it ({monitor, Pid, large_heap, Info}, Info's keys in BEAM's
%% order; the figures depend on when collections ran, so they are not
%% printed). erlang:process_display/2 prints on standard error (not
%% compared): only its answer and its badargs are.
-module(run_system_monitor).
-export([main/0]).

t(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R:S -> {C, R, [I || {_, _, _, I} <- [hd(S)], lists:keymember(error_info, 1, I)]}
    end.

show(Label, F) ->
    io:format("~s: ~p~n", [Label, strip(t(F))]).

%% The monitor's pid varies between VMs: print `self` instead.
strip(T) ->
    Me = self(),
    case T of
        {ok, {Me, Opts}} -> {ok, {self, Opts}};
        Other -> Other
    end.

main() ->
    Me = self(),
    show("none", fun() -> erlang:system_monitor() end),
    show("set", fun() -> erlang:system_monitor(Me, [{large_heap, 1000}, busy_port]) end),
    show("get", fun() -> erlang:system_monitor() end),
    show("replace", fun() -> erlang:system_monitor(Me, [{long_gc, 100}, {long_schedule, 50}, busy_dist_port]) end),
    show("tuple", fun() -> erlang:system_monitor({Me, [{large_heap, 100000}, {long_gc, 0}]}) end),
    show("least", fun() -> erlang:system_monitor(Me, [{long_gc, 0}, {large_heap, 0}, {long_schedule, 0}]) end),
    show("bignum", fun() -> erlang:system_monitor(Me, [{long_gc, 1 bsl 40}]) end),
    show("get2", fun() -> erlang:system_monitor() end),
    show("bad option", fun() -> erlang:system_monitor(Me, [bogus]) end),
    show("negative", fun() -> erlang:system_monitor(Me, [{large_heap, -1}]) end),
    show("not integer", fun() -> erlang:system_monitor(Me, [{long_gc, 1.5}]) end),
    show("long_message_queue", fun() -> erlang:system_monitor(Me, [{long_message_queue, {1, 2}}]) end),
    show("improper", fun() -> erlang:system_monitor(Me, [busy_port | busy_dist_port]) end),
    show("not a list", fun() -> erlang:system_monitor(Me, busy_port) end),
    show("not a pid", fun() -> erlang:system_monitor(foo, [busy_port]) end),
    show("bad spec", fun() -> erlang:system_monitor(foo) end),
    show("bad tuple", fun() -> erlang:system_monitor({Me, [], x}) end),
    show("still", fun() -> erlang:system_monitor() end),
    show("empty clears", fun() -> erlang:system_monitor(foo, []) end),
    show("cleared", fun() -> erlang:system_monitor() end),
    Dead = spawn(fun() -> ok end),
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    show("dead pid", fun() -> erlang:system_monitor(Dead, [busy_port]) end),
    show("undefined clears", fun() -> erlang:system_monitor(undefined) end),
    gone(),
    large_heap(),
    display(Dead),
    ok.

%% A monitor that exits is no longer the system monitor.
gone() ->
    M = spawn(fun() -> receive stop -> ok end end),
    undefined = erlang:system_monitor(M, [busy_port]),
    R = monitor(process, M),
    M ! stop,
    receive {'DOWN', R, _, _, _} -> ok end,
    show("after exit", fun() -> erlang:system_monitor() end).

%% A process whose heaps grow past the limit is reported after a
%% collection; the monitor forwards the first report on it.
large_heap() ->
    Me = self(),
    M = spawn(fun() -> forward_first(Me) end),
    erlang:system_monitor(M, [{large_heap, 20000}]),
    P = spawn(fun() ->
                  receive go -> ok end,
                  L = lists:seq(1, 40000),
                  erlang:garbage_collect(),
                  Me ! {self(), length(L)}
              end),
    M ! {watch, P},
    P ! go,
    receive {P, N} -> io:format("built ~p~n", [N]) end,
    receive
        {first, P, Info} ->
            io:format("keys ~p~n", [[K || {K, _} <- Info]]),
            io:format("integers ~p~n", [lists:all(fun({_, V}) -> is_integer(V) andalso V >= 0 end, Info)]),
            {_, Old} = lists:keyfind(old_heap_block_size, 1, Info),
            {_, Young} = lists:keyfind(heap_block_size, 1, Info),
            io:format("over the limit ~p~n", [Old + Young >= 20000])
    end,
    erlang:system_monitor(undefined),
    exit(M, kill).

forward_first(To) ->
    receive
        {watch, P} ->
            receive
                {monitor, P, large_heap, Info} -> To ! {first, P, Info}
            end,
            receive stop -> ok end
    end.

display(Dead) ->
    P = spawn(fun() -> receive stop -> ok end end),
    show("display other", fun() -> erlang:process_display(P, backtrace) end),
    show("display self", fun() -> erlang:process_display(self(), backtrace) end),
    show("display dead", fun() -> erlang:process_display(Dead, backtrace) end),
    show("display bad type", fun() -> erlang:process_display(P, bogus) end),
    show("display not a pid", fun() -> erlang:process_display(foo, backtrace) end),
    P ! stop.
