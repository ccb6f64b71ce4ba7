%% trace_pattern(on_load, ...): patterns a module loaded from then on gets
%% (also one with an on_load function, and one loaded again), read back
%% with trace_info(on_load, _); a module loaded again loses its patterns
%% unless on_load ones are set; BEAM's rules between global and local
%% patterns (one kind turns the other off; restart and pause of a global
%% pattern turn it on).
-module(run_trace_on_load).
-export([main/0, collector/1, f/1]).

f(X) -> X.

-include("trace_collector.hrl").

norm(T) when is_pid(T) -> pid;
norm(T) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T)));
norm([H | T]) -> [norm(H) | norm(T)];
norm(T) -> T.

t(F) -> try F() catch C:R -> {C, R} end.

p(X) -> io:format("~p~n", [X]).

info(M) -> [erlang:trace_info({M, F, 1}, all) || F <- [f, g]].

reload(M) ->
    code:purge(M),
    code:load_file(M).

main() ->
    M = ?MODULE,
    %% Global and local patterns exclude each other.
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, restart, []) end)),
    p(erlang:trace_info({M, f, 1}, all)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, pause, [global]) end)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, [{'_', [], []}], [call_count]) end)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, true, [call_time, local]) end)),
    p(erlang:trace_info({M, f, 1}, all)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, false, [global]) end)),
    p(erlang:trace_info({M, f, 1}, traced)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, true, [global]) end)),
    p(erlang:trace_info({M, f, 1}, all)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, false, [local]) end)),
    p(erlang:trace_info({M, f, 1}, traced)),
    p(t(fun() -> erlang:trace_pattern({M, f, 1}, true, [call_count]) end)),
    p(erlang:trace_info({M, f, 1}, all)),
    p(t(fun() -> erlang:trace_pattern({M, '_', '_'}, pause, [call_time]) end)),
    p(erlang:trace_info({M, f, 1}, all)),
    p(t(fun() -> erlang:trace_pattern({M, '_', '_'}, false, [call_time, call_count]) end)),
    p(erlang:trace_info({M, f, 1}, all)),
    %% on_load patterns read back.
    p(erlang:trace_info(on_load, all)),
    p(erlang:trace_pattern(on_load, true, [local, call_time])),
    p(erlang:trace_info(on_load, all)),
    p([erlang:trace_info(on_load, I) || I <- [traced, match_spec, call_time, call_count, meta]]),
    p(erlang:trace_pattern(on_load, [{'_', [], [{return_trace}]}], [global])),
    p(erlang:trace_info(on_load, all)),
    p(erlang:trace_pattern(on_load, false, [])),
    p(erlang:trace_info(on_load, all)),
    p(erlang:trace_info(on_load, bogus)),
    %% A module with an on_load function, counted from its load.
    p(erlang:trace_pattern(on_load, true, [call_count])),
    p(erlang:trace_info(on_load, call_count)),
    p(trace_onload:f(1)),
    p(cprof:analyse(trace_onload)),
    p(erlang:trace_pattern(on_load, false, [call_count])),
    %% A module loaded again loses its patterns.
    {module, _} = code:ensure_loaded(trace_late),
    p(erlang:trace_pattern({trace_late, '_', '_'}, true, [call_count])),
    p(erlang:trace_pattern({trace_late, f, '_'}, true, [global])),
    p(erlang:trace_pattern({trace_late, g, '_'}, true, [local])),
    trace_late:f(3),
    p(info(trace_late)),
    p(reload(trace_late)),
    p(info(trace_late)),
    %% ... but takes the on_load ones.
    C = spawn(M, collector, [[]]),
    erlang:trace(self(), true, [call, {tracer, C}]),
    p(erlang:trace_pattern(on_load, [{'_', [], [{return_trace}]}], [local])),
    p(reload(trace_late)),
    p(trace_late:f(1)),
    p(events(C)),
    p(info(trace_late)),
    p(erlang:trace_pattern(on_load, true, [global])),
    p(reload(trace_late)),
    p(trace_late:f(1)),
    p(events(C)),
    p(info(trace_late)),
    p(erlang:trace_pattern(on_load, false, [])),
    p(reload(trace_late)),
    p(trace_late:f(1)),
    p(events(C)),
    p(info(trace_late)),
    ok.
