%% The causes ETS errors carry (erl_error's `***` lines for each
%% argument): a taken table name, giving a table away to its owner or by
%% a process that does not own it, counter and element updates at the key
%% position or out of range, and `andalso`/`orelse` without operands in a
%% match specification.
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
    Other ! stop.

catch_it(F) ->
    try F() of V -> {ok, V}
    catch error:R:S -> {R, lines(R, S)}
    end.

show(F) -> io:format("~p~n", [catch_it(F)]).

lines(R, S) ->
    Text = erl_error:format_exception(error, R, S, #{stack_trace_fun => fun(_, _, _) -> true end}),
    [L || L <- string:split(lists:flatten(Text), "\n", all), string:find(L, "***") =/= nomatch].
