-module(run_audit_remote_node).
-export([main/0, f/1, slow/0]).

%% What a node that is not distributed answers when a program reaches for
%% another node: spawns (spawn_request, spawn_opt, spawn/4, spawn_link,
%% spawn_monitor), erpc and rpc, send/3 with noconnect, and the same calls
%% to the local node. Every reply is waited for by its request id.

t(F) -> try shape(F()) catch C:R -> {C, shape(R)} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

shape(R) when is_reference(R) -> ref;
shape(T) when is_tuple(T) -> list_to_tuple([shape(E) || E <- tuple_to_list(T)]);
shape(L) when is_list(L) -> [shape(E) || E <- L];
shape(P) when is_pid(P) -> pid;
shape(X) -> X.

f(X) -> X * 2.
slow() -> receive after 5000 -> ok end.

reply(Tag, Ref) ->
    receive {Tag, Ref, Result, Value} -> shape({Result, Value}) after 2000 -> timeout end.

main() ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    Opts = [[], [monitor], [link], [{reply, no}], [{reply, error_only}], [{reply, yes}], [{reply_tag, t}], [bad],
            [{reply, bad}], [monitor, {reply_tag, t}], [{monitor, [{tag, x}]}], [{priority, high}], [link, monitor]],
    p(spawn_request, [{O, try erlang:spawn_request(nonode@x, ?MODULE, f, [1], O) of
                              R when is_reference(R) ->
                                  Tag = proplists:get_value(reply_tag, O, spawn_reply),
                                  case lists:member({reply, no}, O) of
                                      true -> ref;
                                      false -> reply(Tag, R)
                                  end
                          catch C:E -> {C, E}
                          end} || O <- Opts]),
    p(spawn_request_bad, [t(fun() -> erlang:spawn_request(N, m, f, [], O) end)
                          || {N, O} <- [{"x", []}, {1, []}, {nonode@x, foo}, {nonode@x, [monitor | x]}]]
                         ++ [t(fun() -> erlang:spawn_request(nonode@x, M, F, A, []) end)
                             || {M, F, A} <- [{1, f, []}, {m, 1, []}, {m, f, x}, {m, f, [a | b]}]]),
    p(spawn_request_fun, [begin R = erlang:spawn_request(nonode@x, fun() -> ok end, O), reply(spawn_reply, R) end
                          || O <- [[], [monitor]]]),
    p(spawn_opt, [{O, t(fun() -> case erlang:spawn_opt(nonode@x, ?MODULE, f, [1], O) of
                                     {Pid, Ref} when is_pid(Pid) ->
                                         {pid, receive {_, Ref, process, Pid, Why} -> Why after 2000 -> timeout end};
                                     Pid when is_pid(Pid) ->
                                         case lists:member(link, O) of
                                             true -> {pid, receive {'EXIT', Pid, Why} -> Why after 2000 -> timeout end};
                                             false -> pid
                                         end
                                 end end)} || O <- Opts]),
    p(spawn4, [t(fun() -> spawn(nonode@x, ?MODULE, f, [1]) end),
               t(fun() -> P = spawn_link(nonode@x, ?MODULE, f, [1]), receive {'EXIT', P, W} -> W after 2000 -> timeout end end),
               t(fun() -> {P, R} = spawn_monitor(nonode@x, ?MODULE, f, [1]),
                          receive {'DOWN', R, process, P, W} -> W after 2000 -> timeout end end),
               t(fun() -> {P, R} = spawn_monitor(nonode@x, fun() -> ok end),
                          receive {'DOWN', R, process, P, W} -> W after 2000 -> timeout end end),
               t(fun() -> spawn(node(), ?MODULE, f, [1]) end), t(fun() -> spawn(nonode@x, 1, f, []) end)]),
    p(erpc, [t(fun() -> erpc:call(nonode@x, ?MODULE, f, [1]) end), t(fun() -> erpc:call(nonode@x, fun() -> ok end) end),
             t(fun() -> erpc:cast(nonode@x, ?MODULE, f, [1]) end),
             t(fun() -> erpc:multicall([nonode@x, node()], ?MODULE, f, [3]) end),
             t(fun() -> erpc:call(node(), ?MODULE, f, [5]) end), t(fun() -> erpc:call(node(), erlang, error, [x]) end),
             t(fun() -> erpc:call(node(), ?MODULE, slow, [], 50) end),
             t(fun() -> R = erpc:send_request(nonode@x, ?MODULE, f, [1]), erpc:receive_response(R, 2000) end)]),
    p(rpc, [rpc:call(node(), ?MODULE, f, [21]), rpc:call(node(), erlang, error, [boom]), rpc:call(node(), ?MODULE, nope, []),
            rpc:call(node(), erlang, exit, [bye]), rpc:call(node(), erlang, throw, [ball]), rpc:call(node(), ?MODULE, slow, [], 50),
            rpc:call(nonode@x, ?MODULE, f, [1]), rpc:multicall([node(), nonode@x], ?MODULE, f, [2]),
            rpc:pmap({?MODULE, f}, [], [1, 2, 3]), rpc:parallel_eval([{?MODULE, f, [3]}, {?MODULE, f, [4]}])]),
    Async = rpc:async_call(node(), ?MODULE, f, [10]),
    p(rpc_async, [rpc:yield(Async), rpc:nb_yield(rpc:async_call(node(), ?MODULE, f, [11]), 1000)]),
    p(send3, [t(fun() -> erlang:send({foo, nonode@x}, x, O) end) || O <- [[], [noconnect], [nosuspend], [noconnect, nosuspend], [bad]]]
             ++ [t(fun() -> erlang:send_nosuspend({foo, nonode@x}, x, O) end) || O <- [[], [noconnect]]]),
    Local = [t(fun() -> erlang:send(self(), {local, O}, O) end) || O <- [[], [noconnect], [bad], foo]],
    p(send3_local, Local ++ [receive {local, [noconnect]} -> got after 1000 -> timeout end]),
    p(ping, [net_adm:ping(nonode@x), t(fun() -> erlang:monitor_node(nonode@x, true) end), is_alive(), node()]),
    ok.
