%% A match specification whose key position holds no variable, not even
%% inside a map, is a bound key on BEAM: looked up exactly, so a map there
%% matches that map only (elsewhere a map pattern matches larger maps).
-module(run_ets_bound_key).
-export([main/0]).

p(K, What, X) -> io:format("~p ~p: ~p~n", [K, What, X]).

main() ->
    [kind(K) || K <- [set, ordered_set, bag, duplicate_bag]],
    ok.

kind(K) ->
    T = ets:new(t, [K]),
    ets:insert(T, [{#{k => 2}, a}, {#{k => 2, z => 1}, b}, {{#{k => 2}}, c},
                   {{#{k => 2, z => 1}}, d}, {{1.0, #{k => 2}}, e}, {{1, #{k => 2}}, f}]),
    p(K, select, lists:sort(ets:select(T, [{{#{k => 2}, '$1'}, [], ['$1']}]))),
    p(K, nested, lists:sort(ets:select(T, [{{{#{k => 2}}, '$1'}, [], ['$1']}]))),
    p(K, number, lists:sort(ets:select(T, [{{{1, #{k => 2}}, '$1'}, [], ['$1']}]))),
    several_clauses(K, T),
    p(K, match, lists:sort(ets:match(T, {#{k => 2}, '$1'}))),
    p(K, match_object, lists:sort(ets:match_object(T, {#{k => 2}, '_'}))),
    p(K, count, ets:select_count(T, [{{#{k => 2}, '_'}, [], [true]}])),
    p(K, var, lists:sort(ets:select(T, [{{#{k => '$1'}, '$2'}, [], ['$2']}]))),
    p(K, run, ets:match_spec_run(lists:sort(ets:tab2list(T)),
                                 ets:match_spec_compile([{{#{k => 2}, '$1'}, [], ['$1']}]))),
    p(K, delete, ets:select_delete(T, [{{#{k => 2}, '_'}, [], [true]}])),
    p(K, left, lists:sort(ets:tab2list(T))),
    ets:delete(T).

%% An ordered_set scanned for several clauses compares some ground keys
%% exactly as well (not modelled: docs/RUNTIME.md, "ETS").
several_clauses(ordered_set, _) ->
    ok;
several_clauses(K, T) ->
    p(K, two_clauses, lists:sort(ets:select(T, [{{#{k => 2}, '$1'}, [], ['$1']},
                                                 {{{#{k => 2}}, '$1'}, [], ['$1']}]))),
    p(K, mixed, lists:sort(ets:select(T, [{{#{k => 2}, '$1'}, [], ['$1']},
                                          {{{'_'}, '$1'}, [], ['$1']}]))).
