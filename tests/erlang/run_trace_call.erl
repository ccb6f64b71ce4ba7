%% Call tracing: erlang:trace_pattern/2,3 on this module's functions
%% (global and local, match specs true, [], false, return_trace,
%% exception_trace, message, guards on arguments), the call flag's
%% events with arity and timestamps, trace_info of functions, call_count.
%% The test process traces itself into a collector, which hands back what
%% it got once trace_delivered/1 says all has arrived.
-module(run_trace_call).
-export([main/0, fact/1, sum/2, crash/1, tail/1, collector/1, sq/1]).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

sum(A, B) -> A + B.

crash(X) -> inner(X).

inner(X) -> erlang:error({bad, X}).

sq(X) -> X * X.

%% Loops the JIT compiles (eagerly, or after enough iterations) before
%% their callees are traced: a local and an external call.
loop_local(0, Acc) -> Acc;
loop_local(N, Acc) -> loop_local(N - 1, Acc + sq(N)).

loop_remote(0, Acc) -> Acc;
loop_remote(N, Acc) -> loop_remote(N - 1, Acc + ?MODULE:sq(N)).

tail(0) -> done;
tail(N) -> tail(N - 1).

-include("trace_collector.hrl").

norm(T) when is_pid(T) -> pid;
norm({trace_ts, P, What, A, B, {Mega, S, Micro}})
  when is_integer(Mega), is_integer(S), is_integer(Micro) ->
    {trace_ts, norm(P), What, norm(A), norm(B), stamp};
norm({trace_ts, P, What, A, {Mega, S, Micro}})
  when is_integer(Mega), is_integer(S), is_integer(Micro) ->
    {trace_ts, norm(P), What, norm(A), stamp};
norm(T) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T)));
norm([H | T]) -> [norm(H) | norm(T)];
norm(T) -> T.

step(Name, C, F) ->
    R = try F() catch Class:Reason -> {Class, Reason} end,
    p({Name, R, events(C)}).

main() ->
    M = ?MODULE,
    C = spawn(?MODULE, collector, [[]]),
    p(erlang:trace(self(), true, [call, {tracer, C}])),
    %% Global: the external call only.
    p(erlang:trace_pattern({M, fact, 1}, true)),
    step(global, C, fun() -> M:fact(3) end),
    step(global_local_call, C, fun() -> fact(2) end),
    p(erlang:trace_info({M, fact, 1}, traced)),
    %% Local: every recursive call.
    p(erlang:trace_pattern({M, fact, 1}, [], [local])),
    step(local, C, fun() -> fact(3) end),
    p(erlang:trace_info({M, fact, 1}, all)),
    %% return_trace.
    p(erlang:trace_pattern({M, fact, 1}, [{'_', [], [{return_trace}]}], [local])),
    step(return_trace, C, fun() -> M:fact(2) end),
    p(erlang:trace_info({M, fact, 1}, match_spec)),
    %% A tail-recursive function keeps its frames under return_trace.
    p(erlang:trace_pattern({M, tail, 1}, [{'_', [], [{return_trace}]}], [local])),
    step(tail, C, fun() -> tail(2) end),
    %% exception_trace through two functions.
    p(erlang:trace_pattern({M, crash, 1}, [{'_', [], [{exception_trace}]}], [local])),
    p(erlang:trace_pattern({M, inner, 1}, [{'_', [], [{exception_trace}]}], [local])),
    step(exception, C, fun() -> crash(7) end),
    step(exception_stack, C, fun() ->
        try crash(8) catch error:E:S -> {E, [{Mo, Fu, Ar} || {Mo, Fu, Ar, _} <- S, Mo =:= M]} end
    end),
    %% return_trace alone sends nothing for an exception.
    p(erlang:trace_pattern({M, crash, 1}, [{'_', [], [{return_trace}]}], [local])),
    step(return_only, C, fun() -> crash(9) end),
    %% Guards on arguments and message.
    p(erlang:trace_pattern({M, sum, 2}, [{['$1', '$2'], [{'>', '$1', '$2'}], []}], [local])),
    step(guard, C, fun() -> [sum(1, 2), sum(5, 3), M:sum(9, 0)] end),
    p(erlang:trace_pattern({M, sum, 2}, [{['$1', '_'], [], [{message, {{first, '$1'}}}]}], [local])),
    step(message, C, fun() -> sum(4, 5) end),
    p(erlang:trace_pattern({M, sum, 2}, [{'_', [], [{message, false}]}], [local])),
    step(message_false, C, fun() -> sum(4, 5) end),
    p(erlang:trace_pattern({M, sum, 2}, [{['$1', '$2'], [], [{message, '$2'}, {return_trace}]}], [local])),
    step(message_return, C, fun() -> sum(1, 1) end),
    %% Off again.
    p(erlang:trace_pattern({M, '_', '_'}, false, [local])),
    step(off, C, fun() -> {fact(2), sum(1, 2), tail(1)} end),
    p(erlang:trace_info({M, fact, 1}, all)),
    %% Wildcards: all exported functions (global), then all (local).
    p(erlang:trace_pattern({M, '_', '_'}, true, [global])),
    step(wild_global, C, fun() -> {M:sum(1, 2), sum(3, 4), M:tail(1)} end),
    p(erlang:trace_pattern({M, '_', '_'}, false, [global])),
    p(erlang:trace_pattern({M, sum, '_'}, true, [local])),
    step(wild_arity, C, fun() -> sum(1, 2) end),
    p(erlang:trace_pattern({M, '_', '_'}, false, [local])),
    %% The arity flag and timestamps.
    p(erlang:trace_pattern({M, sum, 2}, [{'_', [], [{return_trace}]}], [local])),
    p(erlang:trace(self(), true, [arity, {tracer, C}])),
    step(arity, C, fun() -> sum(2, 2) end),
    p(erlang:trace(self(), false, [arity])),
    p(erlang:trace(self(), true, [timestamp, {tracer, C}])),
    step(timestamp, C, fun() -> sum(2, 3) end),
    p(erlang:trace(self(), false, [timestamp])),
    %% Not traced by this process: no event, though the pattern stays.
    p(erlang:trace(self(), false, [call])),
    step(untraced_process, C, fun() -> sum(3, 3) end),
    p(erlang:trace_info({M, sum, 2}, traced)),
    p(erlang:trace_pattern({M, sum, 2}, false, [local])),
    %% call_count.
    p(erlang:trace_pattern({M, fact, 1}, true, [call_count])),
    fact(4),
    p(erlang:trace_info({M, fact, 1}, call_count)),
    p(erlang:trace_pattern({M, fact, 1}, pause, [call_count])),
    fact(4),
    p(erlang:trace_info({M, fact, 1}, call_count)),
    p(erlang:trace_pattern({M, fact, 1}, restart, [call_count])),
    p(erlang:trace_info({M, fact, 1}, call_count)),
    p(erlang:trace_pattern({M, fact, 1}, false, [call_count])),
    p(erlang:trace_info({M, fact, 1}, all)),
    %% Loops run (and compiled) before their callee is traced.
    p({loop_local(3000, 0), loop_remote(3000, 0)}),
    p(erlang:trace_pattern({M, sq, 1}, true, [call_count])),
    p({loop_local(100, 0), loop_remote(50, 0)}),
    p(erlang:trace_info({M, sq, 1}, call_count)),
    p(erlang:trace_pattern({M, sq, 1}, false, [call_count])),
    p(erlang:trace(self(), true, [call, {tracer, C}])),
    p(erlang:trace_pattern({M, sq, 1}, true, [global])),
    step(loops_global, C, fun() -> {loop_local(3, 0), loop_remote(2, 0)} end),
    p(erlang:trace_pattern({M, sq, 1}, true, [local])),
    step(loops_local, C, fun() -> {loop_local(2, 0), loop_remote(2, 0)} end),
    p(erlang:trace_pattern({M, sq, 1}, false, [local])),
    p(erlang:trace(self(), false, [call])),
    %% Functions that are not there, and bad arguments.
    p(erlang:trace_info({M, nope, 1}, traced)),
    p(erlang:trace_pattern({no_such_module, f, 1}, true)),
    p(erlang:trace_pattern({M, nope, 0}, true, [local])),
    p(bad(fun() -> erlang:trace_pattern({M, fact, 1}, [{'_', [], [{foo}]}], [local]) end)),
    p(bad(fun() -> erlang:trace_pattern({'_', fact, 1}, true, [local]) end)),
    p(bad(fun() -> erlang:trace_pattern({M, fact, 1}, true, [bogus]) end)),
    p(bad(fun() -> erlang:trace_pattern({M, fact, 1}, true, [global, local]) end)),
    exit(C, kill),
    ok.

bad(F) ->
    try F() catch error:R:S -> {R, [Cause || {erlang, trace_pattern, _, [{error_info, #{cause := Cause}}]} <- S]} end.

p(T) -> io:format("~p~n", [T]).
