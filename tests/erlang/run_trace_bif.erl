%% BIF tracing as erl does it: a BIF called through its export (call_ext
%% of a BIF the compiler leaves a call, apply, a fun erlang:F/A) raises
%% call, return_from and exception_from events and is counted; one the
%% compiler makes an instruction (length/1 in a body, a guard) is not.
%% Also: a process that is its own tracer gets no events.
-module(run_trace_bif).
-export([main/0, collector/1, work/2, self_traced/0]).

-include("trace_collector.hrl").

norm(T) when is_pid(T) -> pid;
norm(T) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T)));
norm([H | T]) -> [norm(H) | norm(T)];
norm(T) -> T.

%% Called through the export, so the compiler knows nothing of L and A.
work(L, A) ->
    N = length(L),
    S = atom_to_list(A),
    T = erlang:apply(erlang, atom_to_list, [A]),
    Len = erlang:apply(erlang, length, [L]),
    X = try list_to_atom(A) catch error:badarg -> bad end,
    F = fun erlang:atom_to_list/1,
    G = if length(L) > 1 -> guard; true -> no end,
    {N, S, T, Len, X, F(A), G, erlang:phash2(L), erlang:make_tuple(2, A)}.

self_traced() ->
    erlang:trace(self(), true, [call, send, 'receive']),
    _ = erlang:phash2(x),
    self() ! hello,
    receive hello -> ok end,
    erlang:trace(self(), false, [call, send, 'receive']),
    receive Any -> {unexpected, Any} after 0 -> none end.

p(X) -> io:format("~p~n", [X]).

main() ->
    M = ?MODULE,
    C = spawn(M, collector, [[]]),
    erlang:trace(self(), true, [call, {tracer, C}]),
    p(erlang:trace_pattern({erlang, atom_to_list, 1}, [{'_', [], [{return_trace}]}], [])),
    p(erlang:trace_pattern({erlang, length, 1}, true, [])),
    p(erlang:trace_pattern({erlang, list_to_atom, 1}, [{'_', [], [{exception_trace}]}], [])),
    p(erlang:trace_pattern({erlang, phash2, 1}, true, [local])),
    p(erlang:trace_pattern({erlang, make_tuple, 2}, [{['_', abc], [], [{message, tagged}]}], [])),
    p(M:work([1, 2], abc)),
    p(events(C)),
    p(erlang:trace_info({erlang, atom_to_list, 1}, all)),
    p(erlang:trace_info({erlang, phash2, 1}, traced)),
    p(erlang:trace_pattern({erlang, '_', '_'}, false, [])),
    p(erlang:trace_pattern({erlang, '_', '_'}, false, [local])),
    %% Counted.
    p(erlang:trace_pattern({erlang, atom_to_list, 1}, true, [call_count])),
    p(erlang:trace_pattern({erlang, length, 1}, true, [call_count])),
    %% Read before printing anything (io_lib calls BIFs too).
    W = M:work([1, 2, 3], xyz),
    Counts = [erlang:trace_info({erlang, F, 1}, call_count) || F <- [atom_to_list, length]],
    p({W, Counts}),
    p(events(C)),
    p(erlang:trace_pattern({erlang, '_', '_'}, false, [call_count])),
    %% With the arity flag.
    erlang:trace(self(), true, [arity, {tracer, C}]),
    p(erlang:trace_pattern({erlang, atom_to_list, 1}, [{'_', [], [{return_trace}]}], [local])),
    p(M:work([1], q)),
    p(events(C)),
    p(erlang:trace_pattern({erlang, '_', '_'}, false, [local])),
    erlang:trace(self(), false, [call, arity]),
    %% Its own tracer.
    p(erlang:trace_pattern({erlang, phash2, 1}, true, [])),
    p(self_traced()),
    p(erlang:trace_pattern({erlang, phash2, 1}, false, [])),
    ok.
