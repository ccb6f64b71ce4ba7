%% ETS corners checked against erl (session 14's audit): map expressions
%% and patterns in match specifications, andalso/orelse values in bodies,
%% compile errors of the wrong dialect, select_replace's key check,
%% continuations that ets:repair_continuation/2 takes, last/prev of hash
%% tables, BEAM's error causes, rename of an unnamed table, setopts
%% protection.
-module(run_ets_spec_forms).
-export([main/0]).

main() ->
    bodies(),
    patterns(),
    dialect(),
    replace(),
    continuations(),
    hash_order(),
    causes(),
    misc().

bodies() ->
    T = ets:new(t, [ordered_set]),
    ets:insert(T, [{1, a}, {2, b}]),
    Specs = [[{{'$1', '$2'}, [], [#{k => '$1', v => '$2'}]}],
             [{{'$1', '$2'}, [], [#{'$2' => ['$1']}]}],
             [{{'$1', '$2'}, [], [{{'$1', #{x => {'+', '$1', 1}}}}]}],
             [{{'$1', '$2'}, [], [{'andalso', true, '$1'}]}],
             [{{'$1', '$2'}, [], [{'andalso', '$1', true}]}],
             [{{'$1', '$2'}, [], [{'orelse', false, '$2'}]}],
             [{{'$1', '$2'}, [], [{'andthen', true, true, '$2'}]}],
             [{{'$1', '$2'}, [{'andalso', true, '$1'}], ['$1']}],
             [{{'$1', '$2'}, [{'orelse', false, {'==', '$1', 2}}], ['$2']}]],
    [io:format("body ~p: ~p~n", [I, catch ets:select(T, S)])
     || {I, S} <- lists:zip(lists:seq(1, length(Specs)), Specs)],
    io:format("run: ~p~n", [ets:match_spec_run([{1, a}, {2, b}],
                               ets:match_spec_compile([{{'$1', '$2'}, [], [#{'$2' => '$1'}]}]))]).

patterns() ->
    T = ets:new(t, [set]),
    ets:insert(T, [{1, #{a => 1, b => 2}}, {2, #{a => 2}}, {3, #{b => 3}}, {4, x},
                   {5, {#{a => 1}}}, {6, #{a => #{c => 1}, b => 1}}]),
    Specs = [[{{'$1', #{a => '$2'}}, [], [{{'$1', '$2'}}]}],
             [{{'$1', #{a => 1}}, [], ['$1']}],
             [{{'$1', #{}}, [], ['$1']}],
             [{{'$1', {#{a => '_'}}}, [], ['$1']}],
             [{{'$1', #{a => #{c => '$2'}}}, [], [{{'$1', '$2'}}]}],
             [{{'$1', #{a => '$2', b => '$2'}}, [], ['$1']}],
             [{{'$1', #{'$2' => 1}}, [], ['$1']}],
             [{{'$1', #{'_' => 1}}, [], ['$1']}]],
    [io:format("pattern ~p: ~p~n", [I, element(1, catch {lists:sort(ets:select(T, S))})])
     || {I, S} <- lists:zip(lists:seq(1, length(Specs)), Specs)],
    io:format("match: ~p~n", [lists:sort(ets:match(T, {'$1', #{b => '$2'}}))]),
    io:format("test_ms: ~p~n", [ets:test_ms({1, #{a => 1}}, [{{'$1', #{'$2' => 1}}, [], ['$1']}])]).

dialect() ->
    Forms = [{[], [{caller}]}, {[], [{message, x}]}, {[], [{display, '$1'}]},
             {[], [{return_trace}]}, {[{is_seq_trace}], ['$1']},
             {[{'==', '$1', {'$2'}}], ['$1']}, {[], [{get_tcw}]}, {[], [{set_tcw, 1}]},
             {[], [{foo, '$1'}]}, {[], [{'foo bar'}]}, {[], [{}]}, {[], [{1, 2}]},
             {[], [{exception_trace}]}, {[], [{silent, true}]}, {[], [{trace, [], []}]}],
    [io:format("~p~n", [ets:test_ms({1, 2}, [{{'$1', '$2'}, G, B}])]) || {G, B} <- Forms].

replace() ->
    T = ets:new(t, [set]),
    ets:insert(T, [{1, 2, 3}, {2, 3, 4}]),
    Specs = [[{{'$1', '$2', '$3'}, [], [{{'$2', '$1', '$3'}}]}],
             [{{'$1', '$2', '$3'}, [], [{{'$1', '$3', '$2'}}]}],
             [{{'$1', '$2', '$3'}, [], ['$_']}],
             [{{'$1', '$2', '$3'}, [], [{const, {1, x, y}}]}],
             [{{1, '$2', '$3'}, [], [{const, {1, x, y}}]}],
             [{{'$1', '$2', '$3'}, [], [{{{element, 1, '$_'}, new, '$3'}}]}],
             [{{'$1', '$2', '$3'}, [], [{{{element, 2, '$_'}, new, '$3'}}]}],
             [{{{'$1', a}, '$2', '$3'}, [], [{{{{'$1', a}}, new, '$3'}}]}],
             [{{'_', '$2', '$3'}, [], [{{'_', new, '$3'}}]}],
             [{{'$1', '$2', '$3'}, [], [x, {{'$1', '$3', '$2'}}]}],
             [{{'$1', '$2', '$3'}, [], [{{'$1', '$3', '$2'}}]}, {{'$1', '$2'}, [], [{{'$2', '$1'}}]}]],
    [io:format("replace ~p: ~p~n", [I, element(1, catch {ets:select_replace(T, S)})])
     || {I, S} <- lists:zip(lists:seq(1, length(Specs)), Specs)],
    io:format("after: ~p~n", [lists:sort(ets:tab2list(T))]).

continuations() ->
    [begin
         T = ets:new(t, [K]),
         ets:insert(T, [{I, x} || I <- lists:seq(1, 20)]),
         MS = [{{'$1', '_'}, [], ['$1']}],
         {L, C} = ets:select(T, MS, 3),
         C2 = ets:repair_continuation(C, MS),
         Rest = walk(ets:select(C2)),
         C3 = binary_to_term(term_to_binary(C)),
         Broken = (catch ets:select(C3)), % a magic reference decoded on its node still works
         Repaired = walk(ets:select(ets:repair_continuation(C3, MS))),
         {L2, _} = ets:select_reverse(T, MS, 4),
         {L3, C4} = ets:match(T, {'$1', '_'}, 5),
         io:format("~p: ~p ~p ~p ~p ~p ~p~n",
                   [K, length(L) + length(Rest), lists:sort(L ++ Rest) =:= lists:seq(1, 20),
                    is_list(element(1, Broken)), length(L) + length(Repaired),
                    length(L2), length(L3) + length(walk(ets:match(C4)))]),
         %% C kept alive: a decoded magic reference finds its magic only while
         %% some term still holds it.
         io:format("~p first chunk: ~p ~p~n",
                   [K, K =/= ordered_set orelse L2 =:= [20, 19, 18, 17], is_tuple(C)])
     end || K <- [set, ordered_set, bag, duplicate_bag]],
    T = ets:new(t, [ordered_set]),
    ets:insert(T, [{I} || I <- lists:seq(1, 10)]),
    {R1, C} = ets:select_reverse(T, [{{'$1'}, [], ['$1']}], 4),
    {R2, _} = ets:select_reverse(C),
    io:format("reverse: ~p ~p~n", [R1, R2]).

walk('$end_of_table') -> [];
walk({L, C}) -> L ++ walk(ets:select(C)).

hash_order() ->
    [begin
         T = ets:new(t, [K]),
         ets:insert(T, [{I, x} || I <- lists:seq(1, 20)]),
         Same = ets:last(T) =:= ets:first(T)
             andalso lists:all(fun(I) -> ets:prev(T, I) =:= ets:next(T, I) end, lists:seq(1, 20)),
         io:format("~p last/prev: ~p~n", [K, Same])
     end || K <- [set, bag, duplicate_bag]],
    O = ets:new(t, [ordered_set]),
    ets:insert(O, [{I} || I <- lists:seq(1, 5)]),
    io:format("ordered: ~p ~p ~p~n", [ets:last(O), ets:prev(O, 3), ets:prev(O, 1)]).

cause(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:R:St ->
            [{_, _, _, Info} | _] = St,
            EI = proplists:get_value(error_info, Info, #{}),
            Text = lists:flatten(erl_error:format_exception(error, R, St)),
            Lines = [L || L <- string:split(Text, "\n", all), string:find(L, "***") =/= nomatch],
            {R, maps:get(cause, EI, none), Lines}
    end.

causes() ->
    T = ets:new(t, [set]),
    ets:insert(T, [{k, 1, a}]),
    D = ets:new(d, [set]),
    ets:delete(D),
    Self = self(),
    Priv = spawn(fun() -> P = ets:new(p, [private]), Self ! {tab, P}, receive stop -> ok end end),
    P = receive {tab, X} -> X end,
    Cases = [fun() -> ets:lookup(nosuchtab, 1) end,
             fun() -> ets:delete(nosuchtab) end,
             fun() -> ets:lookup(D, 1) end,
             fun() -> ets:insert(D, {1}) end,
             fun() -> ets:lookup(123, 1) end,
             fun() -> ets:lookup(P, 1) end,
             fun() -> ets:insert(P, {1}) end,
             fun() -> ets:update_counter(T, nokey, 1) end,
             fun() -> ets:lookup_element(T, nokey, 2) end,
             fun() -> ets:update_counter(T, k, {3, 1}) end,
             fun() -> ets:lookup_element(T, k, 9) end,
             fun() -> ets:first(D) end,
             fun() -> ets:select(D, [{'_', [], [true]}]) end],
    [io:format("cause ~p: ~p~n", [I, cause(F)])
     || {I, F} <- lists:zip(lists:seq(1, length(Cases)), Cases)],
    Priv ! stop.

misc() ->
    T = ets:new(t, [set]),
    ets:insert(T, {1, 2, 3}),
    R = ets:rename(T, newname),
    io:format("rename: ~p ~p~n", [R =:= T, ets:info(T, name)]),
    N = ets:new(named, [named_table]),
    io:format("rename named: ~p~n", [{N, ets:rename(N, named2), ets:info(named2, name)}]),
    io:format("setopts: ~p ~p~n", [ets:setopts(T, {protection, private}), ets:info(T, protection)]),
    io:format("setopts: ~p ~p~n", [ets:setopts(T, [{protection, public}, {heir, none}]), ets:info(T, protection)]),
    io:format("setopts bad: ~p~n", [element(1, catch ets:setopts(T, {protection, nobody}))]),
    Self = self(),
    spawn(fun() -> Self ! {other, catch ets:insert(T, {5, 5, 5}), catch ets:setopts(T, {protection, private})} end),
    receive {other, A, B} -> io:format("other: ~p ~p~n", [A, element(1, B)]) end.
