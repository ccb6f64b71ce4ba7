%% Process tracing (erlang:trace/3): send, 'receive' and procs events,
%% set_on_spawn / set_on_link inheritance, timestamps, trace_info/2 and
%% the errors of bad arguments. The test process is the tracer; pids,
%% refs, funs and timestamps are normalised here, and the events of each
%% tracee are printed in their own order (two tracees' events may
%% interleave differently on erl).
-module(run_trace_procs).
-export([main/0, child/1, grand/0]).

main() ->
    logger:set_primary_config(level, none),
    basic(),
    inherit(),
    flags(),
    errors(),
    ok.

%% One tracee: its messages, names, links, spawns and exit.
basic() ->
    Me = self(),
    C = spawn(?MODULE, child, [Me]),
    p(erlang:trace(C, true, [send, 'receive', procs])),
    p(erlang:trace_info(C, flags)),
    p(erlang:trace_info(C, tracer) =:= {tracer, Me}),
    p(erlang:trace_info(new, flags)),
    Ref = monitor(process, C),
    C ! go,
    receive {C, hello} -> C ! reply end,
    receive {C, {dead, D}} -> ok end,
    receive {'DOWN', Ref, _, _, R} -> p({down, R}) end,
    p(erlang:trace_info(C, flags)),
    events(C, [{Me, me}, {C, child}, {D, dead}]).

child(Parent) ->
    receive go -> ok end,
    Parent ! {self(), hello},
    receive reply -> ok end,
    register(trace_procs_child, self()),
    unregister(trace_procs_child),
    L = spawn(fun() -> receive stop -> ok end end),
    link(L),
    unlink(L),
    L ! stop,
    D = spawn(fun() -> receive stop -> ok end end),
    M = monitor(process, D),
    D ! stop,
    receive {'DOWN', M, process, D, normal} -> ok end,
    D ! to_the_dead,
    catch trace_procs_child2 ! catch_me,
    register(trace_procs_child2, self()),
    trace_procs_child2 ! to_myself,
    receive to_myself -> ok end,
    Parent ! {self(), {dead, D}},
    exit(done).

%% set_on_spawn passes the flags on; a linked child killed gives its
%% parent getting_unlinked; trace_ts carries a timestamp.
inherit() ->
    Me = self(),
    C = spawn(fun() ->
                  receive go -> ok end,
                  process_flag(trap_exit, true),
                  G1 = spawn_link(?MODULE, grand, []),
                  Me ! {g1, G1},
                  exit(G1, kill),
                  receive {'EXIT', G1, killed} -> ok end,
                  G2 = spawn(?MODULE, grand, []),
                  Me ! {g2, G2},
                  receive stop -> exit({shutdown, 1}) end
              end),
    p(erlang:trace(C, true, [procs, set_on_spawn, timestamp])),
    p(erlang:trace_info(C, flags)),
    Ref = monitor(process, C),
    C ! go,
    G1 = receive {g1, X1} -> X1 end,
    G2 = receive {g2, X2} -> X2 end,
    p(erlang:trace_info(G2, flags)),
    p(erlang:trace(G2, false, [all])),
    p(erlang:trace_info(G2, flags)),
    p(erlang:trace_info(G2, tracer)),
    G2 ! stop,
    C ! stop,
    receive {'DOWN', Ref, _, _, R} -> p({down, R}) end,
    events(C, [{Me, me}, {C, child}, {G1, grand1}, {G2, grand2}]),
    %% A link ended by the other side's exit.
    L = spawn(fun() -> receive stop -> ok end end),
    A = spawn(fun() ->
                  process_flag(trap_exit, true),
                  P = receive {link, X} -> X end,
                  link(P),
                  Me ! linked,
                  receive {'EXIT', P, normal} -> ok end
              end),
    p(erlang:trace(A, true, [procs])),
    A ! {link, L},
    receive linked -> ok end,
    MA = monitor(process, A),
    L ! stop,
    receive {'DOWN', MA, _, _, _} -> ok end,
    events(A, [{Me, me}, {A, a}, {L, l}]).

grand() -> receive stop -> ok end.

%% Flags set and cleared, the tracer dropped with the last flag, another
%% tracer refused while the first lives.
flags() ->
    Me = self(),
    C = spawn(fun() -> receive stop -> ok end end),
    T2 = spawn(fun() -> receive stop -> ok end end),
    p(erlang:trace(C, true, [send, {tracer, T2}])),
    p(catch_badarg(fun() -> erlang:trace(C, true, ['receive']) end)),
    p(erlang:trace(C, false, [send])),
    p(erlang:trace_info(C, tracer)),
    p(erlang:trace(C, true, ['receive'])),
    p(erlang:trace_info(C, tracer) =:= {tracer, Me}),
    p(catch_badarg(fun() -> erlang:trace(C, true, [send, {tracer, T2}]) end)),
    p(erlang:trace(C, true, [send, call, running, garbage_collection, set_on_first_spawn])),
    p(erlang:trace_info(C, flags)),
    p(erlang:trace(C, true, [all])),
    p(erlang:trace_info(C, flags)),
    p(erlang:trace(C, false, [all])),
    p(erlang:trace_info(C, flags)),
    p(erlang:trace(C, true, [])),
    p(erlang:trace_info(C, flags)),
    p(erlang:trace(new, true, [send])),
    p(erlang:trace_info(new, flags)),
    p(erlang:trace_info(new_processes, tracer) =:= {tracer, Me}),
    p(erlang:trace(new, false, [send])),
    p(erlang:trace_info(new, flags)),
    C ! stop,
    T2 ! stop.

errors() ->
    Dead = spawn(fun() -> ok end),
    M = monitor(process, Dead),
    receive {'DOWN', M, _, _, _} -> ok end,
    C = spawn(fun() -> receive stop -> ok end end),
    p(catch_badarg(fun() -> erlang:trace(Dead, true, [send]) end)),
    p(erlang:trace_info(Dead, flags)),
    p(catch_badarg(fun() -> erlang:trace(C, true, [bogus]) end)),
    p(catch_badarg(fun() -> erlang:trace(C, true, [{tracer, Dead}, send]) end)),
    p(catch_badarg(fun() -> erlang:trace(C, true, [{tracer, foo}, send]) end)),
    p(catch_badarg(fun() -> erlang:trace(C, maybe, [send]) end)),
    p(catch_badarg(fun() -> erlang:trace(C, true, send) end)),
    p(catch_badarg(fun() -> erlang:trace(foo, true, [send]) end)),
    p(catch_badarg(fun() -> erlang:trace_info(foo, flags) end)),
    p(erlang:trace_info(C, flags)),
    C ! stop.

catch_badarg(F) ->
    try F() catch error:badarg:S ->
        [{_, _, _, Info} | _] = S,
        {badarg, proplists:get_value(error_info, Info)}
    end.

%% The trace messages of every tracee, once all are delivered, grouped
%% by tracee in the order each raised them.
events(Tracee, Names) ->
    Ref = erlang:trace_delivered(Tracee),
    receive {trace_delivered, Tracee, Ref} -> ok end,
    Ms = [norm(T, Names) || T <- drain()],
    Tracees = lists:usort([element(2, T) || T <- Ms]),
    [[p(T) || T <- Ms, element(2, T) =:= Who] || Who <- Tracees],
    ok.

drain() ->
    receive T when element(1, T) =:= trace; element(1, T) =:= trace_ts -> [T | drain()]
    after 0 -> []
    end.

norm(T, M) when is_pid(T) ->
    case lists:keyfind(T, 1, M) of {_, N} -> N; false -> pid end;
norm({A, B, C}, _) when is_integer(A), is_integer(B), is_integer(C) -> ts;
norm(T, M) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), M));
norm([H | T], M) -> [norm(H, M) | norm(T, M)];
norm(T, _) when is_reference(T) -> ref;
norm(T, _) when is_function(T) -> 'fun';
norm(T, _) -> T.

p(T) -> io:format("~p~n", [T]).
