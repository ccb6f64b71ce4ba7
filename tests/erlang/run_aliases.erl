-module(run_aliases).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

%% Aliases (alias/0,1, unalias/1, monitor/3's alias option), the
%% destinations `!` accepts, and gen_server, which calls through them.

main() ->
    destinations(),
    aliases(),
    monitor_aliases(),
    server(),
    ok.

catch_error(F) ->
    try F() of V -> {ok, V} catch C:E -> {C, E} end.

destinations() ->
    register(me, self()),
    {me, node()} ! by_tuple,
    receive by_tuple -> io:format("to {Name, node()}~n") end,
    io:format("~p~n", [catch_error(fun() -> {nobody, node()} ! x end)]),
    io:format("~p~n", [catch_error(fun() -> {nobody, 'other@host'} ! x end)]),
    io:format("~p~n", [catch_error(fun() -> nobody ! x end)]),
    io:format("~p~n", [catch_error(fun() -> {nobody, 1} ! x end)]),
    io:format("~p~n", [catch_error(fun() -> 42 ! x end)]),
    io:format("~p~n", [catch_error(fun() -> make_ref() ! x end)]),
    io:format("~p~n", [catch_error(fun() -> erlang:send(me, y, [noconnect]) end)]),
    receive y -> ok end,
    unregister(me).

aliases() ->
    A = alias(),
    A ! one,
    receive one -> io:format("through alias~n") end,
    io:format("unalias: ~p~n", [unalias(A)]),
    A ! two,
    receive two -> io:format("not expected~n") after 10 -> io:format("inactive alias drops~n") end,
    io:format("unalias again: ~p~n", [unalias(A)]),
    R = alias([reply]),
    R ! r1, R ! r2,
    io:format("reply alias: ~p~n", [[receive M -> M after 10 -> none end || _ <- [1, 2]]]),
    Self = self(),
    B = alias(),
    spawn(fun() -> B ! {from_other, self() =/= Self} end),
    receive {from_other, T} -> io:format("from another process: ~p~n", [T]) end,
    io:format("~p~n", [catch_error(fun() -> alias([bogus]) end)]),
    io:format("~p~n", [catch_error(fun() -> unalias(foo) end)]).

monitor_aliases() ->
    P = spawn(fun() -> receive stop -> ok end end),
    M = monitor(process, P, [{alias, reply_demonitor}]),
    M ! first, M ! second,
    io:format("reply_demonitor: ~p~n", [[receive X -> X after 10 -> none end || _ <- [1, 2]]]),
    io:format("monitor gone: ~p~n", [demonitor(M, [info])]),
    M2 = monitor(process, P, [{alias, demonitor}]),
    demonitor(M2),
    M2 ! after_demonitor,
    receive after_demonitor -> io:format("not expected~n") after 10 -> io:format("alias went with monitor~n") end,
    M3 = monitor(process, P, [{alias, explicit_unalias}]),
    P ! stop,
    receive {'DOWN', M3, process, P, W} -> io:format("down: ~p~n", [W]) end,
    M3 ! still,
    receive still -> io:format("explicit alias outlives monitor~n") after 10 -> io:format("dropped~n") end,
    io:format("~p~n", [catch_error(fun() -> monitor(process, P, [bogus]) end)]),
    io:format("~p~n", [catch_error(fun() -> monitor(process, P, [{alias, bogus}]) end)]).

server() ->
    process_flag(trap_exit, true),
    {ok, S} = gen_server:start_link(?MODULE, 10, []),
    io:format("call: ~p~n", [gen_server:call(S, add)]),
    io:format("call: ~p~n", [gen_server:call(S, add)]),
    gen_server:cast(S, reset),
    S ! poke,
    io:format("after cast and info: ~p~n", [gen_server:call(S, get)]),
    {ok, N} = gen_server:start_link({local, named_server}, ?MODULE, 0, []),
    io:format("by name: ~p ~p~n", [gen_server:call(named_server, add), whereis(named_server) =:= N]),
    io:format("stop: ~p~n", [gen_server:stop(N)]),
    receive {'EXIT', N, Why} -> io:format("server exit: ~p~n", [Why]) end,
    {exit, {Dead, {gen_server, call, [_, get]}}} = catch_error(fun() -> gen_server:call(N, get) end),
    io:format("call dead: ~p~n", [Dead]),
    io:format("stop: ~p~n", [gen_server:stop(S, shutdown, infinity)]),
    receive {'EXIT', S, Why2} -> io:format("server exit: ~p~n", [Why2]) end.

init(N) -> {ok, N}.

handle_call(add, _From, N) -> {reply, N + 1, N + 1};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast(reset, _) -> {noreply, 0}.

handle_info(poke, N) -> {noreply, N + 100}.

terminate(_, _) -> ok.
