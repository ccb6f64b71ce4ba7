%% ETS match specifications: match, match_object, select and its
%% continuations, counts, deletes, replaces, compiled specifications and
%% erlang:match_spec_test/3 (sorted where BEAM's hash order cannot be
%% matched).
-module(run_ets_select).
-export([main/0]).

p(X) -> io:format("~p~n", [X]).
e(F) -> try F() of V -> V catch C:R -> {C, R} end.
s(L) when is_list(L) -> lists:sort(L);
s(X) -> X.

main() ->
    [tables(Type) || Type <- [set, ordered_set, bag, duplicate_bag]],
    guards(),
    chunks(),
    compiled(),
    ms_test(),
    errors(),
    continuation_shape(),
    reverse(),
    ok.

fill(Type) ->
    T = ets:new(t, [Type]),
    ets:insert(T, [{I, I rem 3, [I], {I, -I}, float(I)} || I <- lists:seq(1, 12)]),
    ets:insert(T, [{a, b, c, d, e}, {x, y}, {"str", <<"bin">>, self(), 7, 8}]),
    T.

tables(Type) ->
    T = fill(Type),
    p(Type),
    p(s(ets:match(T, {'$1', 0, '_', '_', '_'}))),
    p(s(ets:match(T, {'$2', '$1', '_', {'_', '$3'}, '_'}))),
    p(s(ets:match_object(T, {'_', 1, '_', '_', '_'}))),
    p(s(ets:match_object(T, {'_', '_'}))),
    p(s(ets:match(T, {'$1', '$1', '_', '_', '_'}))),
    p(s(ets:match(T, {'_', '_', ['$1' | '_'], '_', '_'}))),
    p(s(ets:select(T, [{{'$1', '$2', '_', '_', '$3'}, [{'>', '$3', 9.5}], [{{'$1', '$2'}}]}]))),
    p(s(ets:select(T, [{{'$1', '_', '_', '_', '_'}, [{is_atom, '$1'}], ['$_']},
                       {{'$1', '_'}, [], [{const, {two, '$1'}}]}]))),
    p(s(ets:select(T, [{{'$1', '_', '_', '_', '_'}, [{is_integer, '$1'}, {'<', '$1', 4}], [['$1', {'*', '$1', 2}]]}]))),
    p(s(ets:select(T, [{{5, '_', '_', '_', '_'}, [], ['$$']}]))),
    p(s(ets:select(T, [{{5, '$1', '$2', '_', '_'}, [], ['$$']}]))),
    p(s(ets:select_reverse(T, [{{'$1', '_', '_', '_', '_'}, [{is_integer, '$1'}], ['$1']}]))),
    p(ets:select_count(T, [{{'$1', '$2', '_', '_', '_'}, [{'==', '$2', 2}], [true]}])),
    p(ets:select_count(T, [{'_', [], [false]}])),
    p(e(fun() -> ets:select_replace(T, [{{'$1', 0, '$2', '$3', '$4'}, [], [{{'$1', zero, '$2', '$3', '$4'}}]}]) end)),
    p(s(ets:match_object(T, {'_', zero, '_', '_', '_'}))),
    p(e(fun() -> ets:select_replace(T, [{{'$1', '$2'}, [], [{{'$2', '$1'}}]}]) end)),
    p(ets:select_delete(T, [{{'$1', 1, '_', '_', '_'}, [], [true]}])),
    p(ets:info(T, size)),
    p(ets:match_delete(T, {'_', '_', '_', '_', '_'})),
    p(s(ets:tab2list(T))),
    p(ets:select_delete(T, [{'_', [], [true]}])),
    p(ets:tab2list(T)),
    ets:delete(T).

guards() ->
    T = ets:new(g, [ordered_set]),
    ets:insert(T, [{1, 10, a}, {2, 20.0, "s"}, {3, -3, {t, 1}}, {4, 1 bsl 80, <<1, 2>>},
                   {5, 5, [1, 2, 3]}, {6, 0, #{k => v}}, {7, 7, self()}]),
    G = fun(Guards) -> ets:select(T, [{{'$1', '$2', '$3'}, Guards, ['$1']}]) end,
    p(G([{is_float, '$2'}])),
    p(G([{is_list, '$3'}])),
    p(G([{is_tuple, '$3'}, {'==', {element, 1, '$3'}, t}])),
    p(G([{is_binary, '$3'}, {'=:=', {byte_size, '$3'}, 2}])),
    p(G([{'andalso', {is_integer, '$2'}, {'>', '$2', 6}}])),
    p(G([{'orelse', {is_atom, '$3'}, {is_map, '$3'}}])),
    p(G([{'not', {is_integer, '$2'}}])),
    p(G([{'xor', {is_integer, '$2'}, {'>', '$1', 3}}])),
    p(G([{'and', {'>', '$1', 2}, {'<', '$1', 5}}])),
    p(G([{'or', {'>', '$1', 6}, {'<', '$1', 2}}])),
    p(G([{'>', {abs, '$2'}, 2}, {'<', {abs, '$2'}, 11}])),
    p(G([{'==', {length, '$3'}, 3}])),
    p(G([{'==', {hd, '$3'}, 1}])),
    p(G([{'=:=', {map_get, k, '$3'}, v}])),
    p(G([{is_map_key, k, '$3'}])),
    p(G([{'=:=', '$3', {self}}])),
    p(G([{'=:=', {'rem', '$2', 2}, 0}, {is_integer, '$2'}])),
    p(G([{'>', {'+', '$1', '$2'}, 10}])),
    p(G([{'==', {'band', '$1', 1}, 1}, {'=/=', '$1', 3}])),
    p(G([{'>', {'bsl', 1, '$1'}, 30}])),
    p(e(fun() -> G([{'==', {tuple_size, '$3'}, 2}]) end)),
    p(G([{'==', {round, '$2'}, 20}])),
    p(G([{'>=', {trunc, '$2'}, 10}])),
    p(G([{'==', {node, '$3'}, node()}])),
    p(G([{'==', {'div', '$2', 0}, 1}])),
    p(G([true])),
    p(G([false])),
    p(G([{'==', '$1', {const, 3}}])),
    p(G([{'=:=', {{'$1', x}}, {const, {2, x}}}])),
    p(ets:select(T, [{{'$1', '$2', '_'}, [{is_integer, '$2'}], [{'div', '$2', {'-', '$1', 1}}]}])),
    p(ets:select(T, [{{'$1', '_', '_'}, [{'<', '$1', 3}], [{{'$1', '$_'}}, '$$']}])),
    p(ets:select(T, [{{'$1', '_', '_'}, [{'<', '$1', 3}], [[a, '$1' | b]]}])),
    p(ets:select(T, [{{'$1', '_', '_'}, [{'<', '$1', 3}], [{self}]}]) =:= [self(), self()]),
    p(ets:select(T, [{{'$1', '$2', '_'}, [{'<', '$1', 3}], [{element, 2, '$2'}]}])),
    p(ets:select(T, [{{1, '_', '_'}, [], [{'+', 1, a}, ok]}])),
    ets:delete(T).

chunks() ->
    T = ets:new(c, [ordered_set]),
    ets:insert(T, [{I, I * I} || I <- lists:seq(1, 25)]),
    MS = [{{'$1', '$2'}, [{'>', '$1', 3}], ['$2']}],
    p(all_chunks(ets:select(T, MS, 7), fun ets:select/1)),
    p(all_chunks(ets:select_reverse(T, MS, 7), fun ets:select_reverse/1)),
    p(all_chunks(ets:match(T, {'$1', '_'}, 10), fun ets:match/1)),
    p(all_chunks(ets:match_object(T, {'_', 4}, 3), fun ets:match_object/1)),
    p(ets:select(T, [{{'$1', '_'}, [{'>', '$1', 100}], ['$1']}], 5)),
    p(ets:select(T, [{{100, '_'}, [], ['$_']}], 1)),
    p(ets:select(T, [{{3, '_'}, [], ['$_']}], 1)),
    S = ets:new(c2, [set]),
    ets:insert(S, [{I, I} || I <- lists:seq(1, 30)]),
    p(lists:sort(lists:append(all_chunks(ets:select(S, [{{'$1', '_'}, [], ['$1']}], 4), fun ets:select/1)))),
    p(e(fun() -> ets:select(T, MS, 0) end)),
    p(e(fun() -> ets:select(T, MS, foo) end)),
    p(e(fun() -> ets:select(not_a_continuation) end)).

all_chunks('$end_of_table', _) -> [];
all_chunks({L, C}, F) -> [L | all_chunks(F(C), F)].

compiled() ->
    MS = [{{'$1', '$2'}, [{is_integer, '$2'}], [{{'$2', '$1'}}]}],
    C = ets:match_spec_compile(MS),
    p({ets:is_compiled_ms(C), ets:is_compiled_ms(MS), ets:is_compiled_ms(make_ref())}),
    p(ets:match_spec_run([{a, 1}, {b, x}, {c, 3}, foo], C)),
    p(ets:match_spec_run_r([{a, 1}, {b, 2}], C, [tail])),
    p(e(fun() -> ets:match_spec_compile(bad) end)),
    p(e(fun() -> ets:match_spec_compile([{{'$1'}, [], ['$2']}]) end)),
    p(e(fun() -> ets:match_spec_run([x], MS) end)).

ms_test() ->
    T = fun(Term, MS) -> p(erlang:match_spec_test(Term, MS, table)) end,
    T({a, b}, [{{'$1', '$2'}, [], ['$2']}]),
    T({a, b}, [{{'$1', '$2'}, [], ['$3']}]),
    T({a, b}, [{{'$1', '$2'}, [{foo, '$1'}], ['$1']}]),
    T({a, b}, [{{'$1', '$2'}, [{'>', '$1', 1}], [{element, 1, '$1'}]}]),
    T({a, b}, [{{c, '$2'}, [], ['$2']}]),
    T({a, b}, [{{'$1', '$2'}, [], ['$$', '$_']}]),
    T({1, 2, 3}, [{{'$1', '$2', '$3'}, [{'<', '$1', '$2'}, {'<', '$2', '$3'}], [{{'$3', '$2', '$1'}}]}]),
    T({1, [2, 3]}, [{{'_', ['$1' | '$2']}, [], [{{'$1', '$2'}}]}]),
    T({1, 1}, [{{'$1', '$1'}, [], [same]}]),
    T({1, 2}, [{{'$1', '$1'}, [], [same]}, {'_', [], [other]}]),
    T({x}, [{'$1', [], ['$1']}]),
    T({x}, [{'_', [], [{const, '$1'}]}]),
    p(e(fun() -> erlang:match_spec_test({a}, [], bogus) end)),
    p(erlang:match_spec_test([a, b], [{['$1', '$2'], [], ['$$']}], trace)),
    p(erlang:match_spec_test([a, b], [{['$1'], [], ['$$']}], trace)).

errors() ->
    T = ets:new(er, [private]),
    ets:insert(T, {1, 2}),
    Bad = [bad, [bad], [{a, b}], [{{'$1'}, [], ['$2']}], [{{'$1'}, [{nosuchfun, '$1'}], []}],
           [{{'$1'}, [{erlang, '$1'}], []}], [{{'$1'}, foo, []}], [{{'$1'}, [], bar}]],
    [p({e(fun() -> ets:select(T, MS) end), e(fun() -> ets:select_count(T, MS) end),
        e(fun() -> ets:select_delete(T, MS) end)}) || MS <- Bad],
    p(e(fun() -> ets:match(T, '$1') end)),
    p(e(fun() -> ets:match_object(T, [not_a_tuple]) end)),
    p(e(fun() -> ets:select(nosuch, []) end)),
    p(ets:select(T, [])),
    p(ets:select(T, [{'_', [], ['$_']}])),
    p(ets:select(T, [{'$1', [], ['$1']}])).

reverse() ->
    T = ets:new(r, [ordered_set]),
    ets:insert(T, [{I} || I <- lists:seq(1, 10)]),
    p(ets:select_reverse(T, [{{'$1'}, [], ['$1']}])),
    p(ets:select(T, [{{'$1'}, [], ['$1']}])),
    {L, C} = ets:select_reverse(T, [{{'$1'}, [{'>', '$1', 4}], ['$1']}], 3),
    p(L),
    p(all_chunks(ets:select_reverse(C), fun ets:select_reverse/1)).

%% An ordered_set's continuation as BEAM builds it ({Tab, LastKey,
%% EndCondition, Limit, CompiledMs, [], Reverse, 0}; the compiled
%% specification left out: references differ), and followed.
continuation_shape() ->
    T = ets:new(t, [ordered_set]),
    ets:insert(T, [{I, I} || I <- lists:seq(1, 10)]),
    Ms = [{{'$1', '_'}, [], ['$1']}],
    Shape = fun(C) -> setelement(5, setelement(1, C, tab), ms) end,
    {R1, C1} = ets:select(T, Ms, 3),
    {R2, C2} = ets:select_reverse(T, Ms, 3),
    {R3, C3} = ets:match(T, {'$1', '_'}, 4),
    io:format("~p~n", [[{R1, Shape(C1)}, {R2, Shape(C2)}, {R3, Shape(C3)}]]),
    {R4, C4} = ets:select(C2),
    io:format("~p~n", [{R4, Shape(C4), element(1, ets:select(C1)), element(1, ets:match(C3))}]),
    ets:delete(T).
