%% The causes ETS errors carry (erl_error's `***` lines for each
%% argument): a taken table name, giving a table away to its owner or by
%% a process that does not own it, counter and element updates at the key
%% position or out of range, and `andalso`/`orelse` without operands in a
%% match specification; a table's causes before those of the other
%% arguments, and select_replace/2 on a bag.
-module(run_ets_causes).
-export([main/0]).

main() ->
    T = ets:new(x, [named_table, public]),
    ets:insert(T, [{a, 1, b}, {c, 2}]),
    show(fun() -> ets:new(x, [named_table]) end),
    show(fun() -> ets:new(y, [bad_option]) end),
    show(fun() -> ets:give_away(T, self(), gift) end),
    Self = self(),
    spawn(fun() -> Self ! {r, catch_it(fun() -> ets:give_away(T, Self, x) end)} end),
    receive {r, R} -> io:format("~p~n", [R]) end,
    show(fun() -> ets:update_counter(T, a, {1, 1}) end),
    show(fun() -> ets:update_counter(T, a, [{2, 1}, {1, 1}]) end),
    show(fun() -> ets:update_counter(T, a, {4, 1}) end),
    show(fun() -> ets:update_counter(T, a, {3, 1}) end),
    show(fun() -> ets:update_counter(T, nokey, {1, 1}) end),
    show(fun() -> ets:update_counter(T, nokey, {4, 1}) end),
    show(fun() -> ets:update_counter(T, nokey, 1, {nokey}) end),
    show(fun() -> ets:update_counter(T, nokey, {1, 1}, {nokey, 0}) end),
    show(fun() -> ets:update_counter(T, c, {3, 1}, {c, 0}) end),
    show(fun() -> ets:update_element(T, a, {1, x}) end),
    show(fun() -> ets:update_element(T, a, [{2, y}, {1, x}]) end),
    show(fun() -> ets:update_element(T, a, {4, x}) end),
    show(fun() -> ets:update_element(T, nokey, {1, x}) end),
    show(fun() -> ets:select(T, [{'_', [], [{'andalso'}]}]) end),
    show(fun() -> ets:select(T, [{'_', [{'orelse'}], [true]}]) end),
    show(fun() -> ets:select(T, [{'_', [{'andalso', true}], [true]}]) end),
    show(fun() -> ets:match_spec_compile([{'_', [], [{'orelse'}]}]) end),
    [io:format("~p~n", [erlang:match_spec_test({a}, [{{'_'}, G, B}], table)]) ||
        {G, B} <- [{[], [{'andalso'}]}, {[{'orelse'}], [true]}, {[{'andthen'}], [true]},
                   {[], [{'andthen', true}]}, {[{'orelse', false}], [true]}]],
    io:format("~p~n", [ets:lookup(T, a)]),
    Other = spawn(fun() -> receive stop -> ok end end),
    show(fun() -> ets:give_away(T, Other, gift) end),
    show(fun() -> ets:give_away(T, Other, gift) end),
    Other ! stop,
    tables_first().

%% The table's causes come before the other arguments' (BEAM reads the
%% table first), and select_replace/2 refuses a bag (table_type).
tables_first() ->
    Ms = [{{'$1', '$2'}, [], [{{'$1', x}}]}],
    [begin
         B = ets:new(b, [Kind]),
         ets:insert(B, [{a, 1}, {b, 2}]),
         show(fun() -> ets:select_replace(B, Ms) end),
         show(fun() -> ets:select_replace(B, bad) end),
         io:format("~p~n", [lists:sort(ets:tab2list(B))]),
         ets:delete(B)
     end || Kind <- [bag, duplicate_bag]],
    Self = self(),
    Owner = spawn(fun() ->
                          Self ! {tabs, ets:new(prot, [protected]), ets:new(priv, [private])},
                          receive stop -> ok end
                  end),
    {Prot, Priv} = receive {tabs, P1, P2} -> {P1, P2} end,
    [show(fun() -> ets:F(Tab, bad) end)
     || F <- [select, select_count, select_delete, select_replace, select_reverse,
              match, match_object, match_delete],
        Tab <- [nosuch, 1, Priv]],
    show(fun() -> ets:select_replace(Prot, bad) end),
    show(fun() -> ets:select_delete(Prot, bad) end),
    [show(fun() -> ets:F(Tab, bad, 0) end)
     || F <- [select, select_reverse, match, match_object], Tab <- [nosuch, Priv]],
    Mon = monitor(process, Owner),
    Owner ! stop,
    receive {'DOWN', Mon, process, Owner, _} -> ok end.

catch_it(F) ->
    try F() of V -> {ok, V}
    catch error:R:S -> {R, lines(R, S)}
    end.

show(F) -> io:format("~p~n", [catch_it(F)]).

lines(R, S) ->
    Text = erl_error:format_exception(error, R, S, #{stack_trace_fun => fun(_, _, _) -> true end}),
    [L || L <- string:split(lists:flatten(Text), "\n", all), string:find(L, "***") =/= nomatch].
