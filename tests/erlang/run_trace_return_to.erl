%% The trace events fprof needs, against a process tracer: return_to
%% (with call and a local pattern whose match specification reports the
%% caller: fprof's own), running (in/out with where), exiting's
%% out_exited, and the first schedule-in of new processes. One process
%% runs a deterministic workload (too short to be preempted), so its
%% events and their order are erl's; timestamps are checked and dropped.
-module(run_trace_return_to).
-export([main/0, work/1, sq/1, tail/1, waiter/0, starter/1]).

work(N) -> lists:sum([sq(X) || X <- lists:seq(1, N)]) + tail(N).
sq(X) -> X * X.
%% A tail call into a traced function: no return_to of its own.
tail(N) -> sq(N).

waiter() ->
    receive go -> ok end,
    R = ?MODULE:work(3) + erlang:phash2(a, 2),
    receive {From, stop} -> From ! {self(), R} end.

starter(Parent) -> Parent ! {self(), started}.

main() ->
    {module, lists} = code:ensure_loaded(lists),
    Ms = [{'_', [], [{message, {{cp, {caller}}}}]}],
    P = spawn(?MODULE, waiter, []),
    wait_until_waiting(P),
    erlang:trace_pattern({?MODULE, '_', '_'}, Ms, [local]),
    erlang:trace_pattern({lists, '_', '_'}, Ms, [local]),
    %% A BIF called through its export: its caller is the calling function.
    erlang:trace_pattern({erlang, phash2, 2}, Ms, [global]),
    1 = erlang:trace(P, true, [call, return_to, running, procs, exiting, arity, timestamp]),
    P ! go,
    wait_until_waiting(P),
    P ! {self(), stop},
    R = receive {P, X} -> X end,
    io:format("result ~p~n", [R]),
    print(collect(P, [])),
    erlang:trace_pattern({'_', '_', '_'}, false, [local]),
    erlang:trace_pattern({erlang, phash2, 2}, false, [global]),
    %% A global pattern: calls, but no return_to.
    Q = spawn(?MODULE, waiter, []),
    wait_until_waiting(Q),
    erlang:trace_pattern({?MODULE, '_', '_'}, true, [global]),
    1 = erlang:trace(Q, true, [call, return_to, running, procs, exiting, arity]),
    Q ! go,
    wait_until_waiting(Q),
    Q ! {self(), stop},
    receive {Q, _} -> ok end,
    print(collect(Q, [])),
    erlang:trace_pattern({'_', '_', '_'}, false, [global]),
    %% The first schedule-in of new processes: where each starts.
    erlang:trace(new, true, [running, procs, exiting]),
    Self = self(),
    S1 = spawn(?MODULE, starter, [Self]),
    receive {S1, started} -> ok end,
    print(collect(S1, [])),
    S2 = spawn(fun() -> Self ! {self(), started} end),
    receive {S2, started} -> ok end,
    print(collect(S2, [])),
    erlang:trace(new, false, [all]),
    %% Collections: a full sweep asked for, and minor ones of a growing
    %% heap (how many differs between VMs: the kinds are printed once
    %% each, with their info lists' keys, the values checked numbers).
    G = spawn(fun() -> receive go -> ok end, garbage_collect(), grow([], 5000), receive stop -> ok end end),
    wait_until_waiting(G),
    Kinds = spawn(fun() -> gc_kinds(G, []) end),
    1 = erlang:trace(G, true, [garbage_collection, {tracer, Kinds}]),
    G ! go,
    wait_until_waiting(G),
    erlang:trace(G, false, [garbage_collection]),
    Ref = erlang:trace_delivered(G),
    receive {trace_delivered, G, Ref} -> ok end,
    Kinds ! {self(), done},
    print(receive {Kinds, Ks} -> Ks end),
    G ! stop,
    %% {caller} in match_spec_test: no caller there.
    io:format("~p~n", [erlang:match_spec_test([a], Ms, trace)]),
    ok.

grow(L, 0) -> length(L);
grow(L, N) -> grow([N | L], N - 1).

%% The kinds of G's collection events with their info lists' keys, kept
%% as they come (a process under GC stress collects at every step).
gc_kinds(G, Acc) ->
    receive
        {trace, G, Kind, Info} ->
            Keys = [K || {K, V} <- Info, is_integer(V)],
            Keys = [K || {K, _} <- Info],
            gc_kinds(G, ordsets:add_element({Kind, Keys}, Acc));
        {From, done} ->
            From ! {self(), Acc}
    end.

wait_until_waiting(P) ->
    case erlang:process_info(P, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), wait_until_waiting(P)
    end.

%% P's events up to its last schedule-out.
collect(P, Acc) ->
    receive
        T when element(1, T) =:= trace; element(1, T) =:= trace_ts ->
            P = element(2, T),
            E = strip(T),
            case E of
                {out_exited, 0} -> lists:reverse([E | Acc]);
                _ -> collect(P, [E | Acc])
            end
    after 5000 -> {timeout, lists:reverse(Acc)}
    end.

%% The event without its tag, pid and timestamp (checked).
strip(T) ->
    [Tag, _ | Rest] = tuple_to_list(T),
    Items = case Tag of
        trace_ts ->
            {Mega, S, Us} = lists:last(Rest),
            true = is_integer(Mega) andalso is_integer(S) andalso is_integer(Us),
            lists:droplast(Rest);
        trace -> Rest
    end,
    list_to_tuple([case I of
                       Pid when is_pid(Pid) -> pid;
                       {erlang, apply, [F, []]} when is_function(F) -> {erlang, apply, [fun_, []]};
                       {M, F, [Pid]} when is_pid(Pid) -> {M, F, [pid]};
                       _ -> I
                   end || I <- Items]).

print(Es) -> [io:format("~p~n", [E]) || E <- Es], io:format("--~n").
