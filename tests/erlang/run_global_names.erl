%% kernel's `global` on a node that is not distributed: names registered,
%% looked up, sent to and unregistered; a conflicting name refused; a
%% dead process's name dropped; gen_server's {global, Name}; locks and
%% global:trans/2.
-module(run_global_names).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).

init(N) -> {ok, N}.
handle_call(get, _From, N) -> {reply, {state, N}, N}.
handle_cast(_, N) -> {noreply, N}.

main() ->
    logger:set_primary_config(level, none),
    Self = self(),
    io:format("~p~n", [[global:whereis_name(nobody), global:registered_names(), ?T(global:send(nobody, x))]]),
    io:format("~p~n", [[global:register_name(me, Self), global:whereis_name(me) =:= Self, global:registered_names(),
                        global:register_name(me, Self), global:re_register_name(me, Self)]]),
    global:send(me, hello),
    io:format("~p~n", [receive hello -> got_hello after 1000 -> none end]),
    Other = spawn(fun() -> receive stop -> ok end end),
    io:format("~p~n", [[global:register_name(other, Other), global:register_name(me, Other), lists:sort(global:registered_names())]]),
    Ref = monitor(process, Other),
    Other ! stop,
    receive {'DOWN', Ref, process, Other, normal} -> ok end,
    %% The name goes when global_name_server has seen the exit, which is
    %% not ordered with this process's 'DOWN': wait for it.
    ok = until(fun() -> not lists:member(other, global:registered_names()) end),
    io:format("~p~n", [[global:whereis_name(other), global:registered_names()]]),
    io:format("~p~n", [[global:unregister_name(me), global:whereis_name(me), global:unregister_name(me), global:registered_names()]]),
    {ok, S} = gen_server:start({global, counter}, ?MODULE, 7, []),
    io:format("~p~n", [[gen_server:call({global, counter}, get), global:whereis_name(counter) =:= S,
                        element(1, gen_server:start({global, counter}, ?MODULE, 8, [])), ?T(gen_server:call({global, nobody}, get))]]),
    ok = gen_server:stop({global, counter}),
    ok = until(fun() -> not lists:member(counter, global:registered_names()) end),
    io:format("~p~n", [global:whereis_name(counter)]),
    io:format("~p~n", [[global:set_lock({my_lock, Self}), global:set_lock({my_lock, Self}, [node()], 0), global:del_lock({my_lock, Self}),
                        global:trans({other_lock, Self}, fun() -> in_trans end), global:trans({l, Self}, fun() -> 42 end, [node()], 1)]]),
    io:format("~p~n", [[global:sync(), global:register_name(x, Self, fun global:random_exit_name/3), global:whereis_name(x) =:= Self]]),
    ok.

until(Done) -> until(Done, 5000).

until(_, 0) -> timeout;
until(Done, N) ->
    case Done() of
        true -> ok;
        false -> receive after 1 -> until(Done, N - 1) end
    end.
