%% dbg on process tracing: a tracer process with a handler fun, dbg:p/2
%% with send/receive and procs flags, clear and stop. The handler hands
%% each event back to the test process (pids normalised here); one
%% tracee, so its events arrive in the order it raised them.
-module(run_trace_dbg).
-export([main/0]).

main() ->
    Me = self(),
    Handler = fun(T, N) -> Me ! {ev, N, T}, N + 1 end,
    {ok, Tr} = dbg:tracer(process, {Handler, 0}),
    C = spawn(fun() -> child(Me) end),
    p(dbg:p(C, [s, r])),
    p(erlang:trace_info(C, flags)),
    p(erlang:trace_info(C, tracer) =:= {tracer, Tr}),
    C ! go,
    receive {C, hi} -> ok end,
    p(dbg:p(C, [clear])),
    p(erlang:trace_info(C, flags)),
    p(dbg:p(C, [p])),
    C ! go,
    receive {C, spawned} -> ok end,
    M = monitor(process, C),
    C ! stop,
    receive {'DOWN', M, process, C, _} -> ok end,
    Evs = [receive {ev, I, T} -> T end || I <- lists:seq(0, 4)],
    Names = [{C, child}, {Me, me}],
    [p(norm(E, Names)) || E <- Evs],
    p(dbg:stop()),
    p(is_process_alive(Tr)),
    p(erlang:trace_info(C, flags)),
    ok.

child(Parent) ->
    receive go -> Parent ! {self(), hi} end,
    receive go -> ok end,
    S = spawn(fun() -> ok end),
    register(trace_dbg_child, self()),
    Parent ! {self(), spawned},
    receive stop -> exit({stopped, is_pid(S)}) end.

norm(T, M) when is_pid(T) ->
    case lists:keyfind(T, 1, M) of {_, N} -> N; false -> pid end;
norm(T, M) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), M));
norm([H | T], M) -> [norm(H, M) | norm(T, M)];
norm(T, _) when is_function(T) -> 'fun';
norm(T, _) -> T.

p(T) -> io:format("~p~n", [T]).
