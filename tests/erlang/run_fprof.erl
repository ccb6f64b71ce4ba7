%% fprof as users run it (fprof:apply/3, profile/0, analyse/1 to a file),
%% and the trace port it traces to (dbg:trace_port(file, _) read back by
%% dbg:trace_client/3). The workload is deterministic and too short to be
%% preempted, so the profile's functions, callers, callees and CNT columns
%% are erl's. Times differ from run to run: each time column is checked to
%% be a number and dropped, and entries are sorted by function (the
%% report sorts by time). Collections (`garbage_collect`) depend on each
%% VM's heap sizes (and on GC stress) and are left out, totals included.
-module(run_fprof).
-export([main/0, work/1, sq/1, waiter/0]).

work(N) -> lists:sum([sq(X) || X <- lists:seq(1, N)]) + tail(N).
sq(X) -> X * X.
tail(N) -> sq(N) + length(atom_to_list(?MODULE)).

waiter() ->
    receive go -> ok end,
    R = work(4),
    receive {From, stop} -> From ! {self(), R} end.

main() ->
    {module, lists} = code:ensure_loaded(lists),
    trace_port(),
    Trace = "run_fprof.trace",
    Analysis = "run_fprof.analysis",
    io:format("apply ~p~n", [fprof:apply(?MODULE, work, [10], [{file, Trace}])]),
    %% fprof links the process that reads the trace after dbg's server
    %% has: a reader quick enough to be done before (on an idle
    %% scheduler) makes profile/1 answer {error, noproc}, the profile
    %% whole; erl's reader is never done that soon.
    Profiled = case fprof:profile([{file, Trace}]) of
                   {error, noproc} -> ok;
                   Other -> Other
               end,
    io:format("profile ~p~n", [Profiled]),
    io:format("analyse ~p~n", [fprof:analyse([{dest, Analysis}, {totals, true}])]),
    print(Analysis),
    %% Callers and callees off.
    ok = fprof:analyse([{dest, Analysis}, {callers, false}, {details, true}]),
    print(Analysis),
    ok = file:delete(Analysis),
    ok = file:delete(Trace),
    fprof:stop(),
    ok.

%% A process traced to a trace port, the file read back.
trace_port() ->
    File = "run_fprof.port_trace",
    Port = (dbg:trace_port(file, File))(),
    io:format("port ~p~n", [is_port(Port)]),
    Ms = [{'_', [], [{message, {{cp, {caller}}}}]}],
    P = spawn(?MODULE, waiter, []),
    wait_until_waiting(P),
    erlang:trace_pattern({?MODULE, '_', '_'}, Ms, [local]),
    1 = erlang:trace(P, true, [{tracer, Port}, call, return_to, procs, arity]),
    io:format("~p~n", [erlang:trace_info(P, tracer) =:= {tracer, Port}]),
    P ! go,
    wait_until_waiting(P),
    P ! {self(), stop},
    R = receive {P, X} -> X end,
    io:format("result ~p~n", [R]),
    wait_until_gone(P),
    erlang:trace_pattern({'_', '_', '_'}, false, [local]),
    true = erlang:port_close(Port),
    Self = self(),
    Handler = fun(end_of_trace, Acc) -> Self ! {events, lists:reverse(Acc)}, Acc;
                 (T, Acc) -> [T | Acc]
              end,
    Client = dbg:trace_client(file, File, {Handler, []}),
    io:format("client ~p~n", [is_pid(Client)]),
    Events = receive {events, Es} -> Es after 10000 -> timeout end,
    [io:format("~p~n", [strip(E, P)]) || E <- Events],
    ok = file:delete(File).

wait_until_waiting(P) ->
    case erlang:process_info(P, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), wait_until_waiting(P)
    end.

wait_until_gone(P) ->
    case is_process_alive(P) of
        false -> ok;
        true -> erlang:yield(), wait_until_gone(P)
    end.

strip(T, P) ->
    [trace, P | Items] = tuple_to_list(T),
    list_to_tuple(Items).

%% The analysis's terms, time columns checked and dropped, by function;
%% collections and their count left out.
print(File) ->
    {ok, Terms} = file:consult(File),
    {Heads, Entries} = lists:partition(fun head/1, Terms),
    Kept = [T || T <- Entries, not collection(T)],
    %% The totals count every entry's calls: printed as the sum of those
    %% printed (collections left out).
    Cnt = lists:sum([C || {_, {_, C, _, _}, _} <- Kept] ++ [C || {_, C, _, _} <- Kept]),
    [io:format("~p~n", [norm(T, Cnt)]) || T <- Heads],
    [io:format("~p~n", [E]) || E <- lists:sort([norm(T, Cnt) || T <- Kept])],
    io:format("--~n").

norm({analysis_options, _} = O, _) -> O;
norm([{totals, All, Acc, Own}], Cnt) when is_integer(All) ->
    [{totals, Cnt, time(Acc), time(Own)}];
norm([{Pid, All, undefined, Own}], Cnt) when is_list(Pid), is_integer(All) ->
    "<" ++ _ = Pid,
    [{pid, Cnt, undefined, time(Own)}];
norm({Callers, {F, Cnt, Acc, Own}, Callees}, _) ->
    {entries(Callers), {F, Cnt, time(Acc), time(Own)}, entries(Callees)};
norm({F, Cnt, Acc, Own}, _) ->
    {F, Cnt, time(Acc), time(Own)};
norm(T, _) -> T.

%% The options, the totals and the process's line, in the report's order.
head({analysis_options, _}) -> true;
head(L) -> is_list(L).

collection({_, {garbage_collect, _, _, _}, _}) -> true;
collection({garbage_collect, _, _, _}) -> true;
collection(_) -> false.

entries(Es) ->
    lists:sort([{F, Cnt, time(Acc), time(Own)} || {F, Cnt, Acc, Own} <- Es, F =/= garbage_collect]).

time(T) when is_number(T) -> t;
time(T) -> {not_a_time, T}.
