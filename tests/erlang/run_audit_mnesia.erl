-module(run_audit_mnesia).

%% Mnesia with RAM tables only (nothing is written to its directory):
%% transactions, indexes, match and select, aborts, dirty operations,
%% counters, table information.
-export([main/0]).
-record(person, {name, age, city}).
t(F) -> try F() catch C:R -> {C, R} end.
p(T, V) -> io:format("~p: ~p~n", [T, V]).
main() ->
    logger:set_primary_config(level, none),
    application:set_env(mnesia, dir, "/tmp/enigma_audit_mnesia_never_written"),
    p(start, mnesia:start()),
    p(create, mnesia:create_table(person, [{attributes, record_info(fields, person)}, {index, [city]}, {ram_copies, [node()]}])),
    p(wait, mnesia:wait_for_tables([person], 5000)),
    p(write, mnesia:transaction(fun() -> [mnesia:write(#person{name = N, age = A, city = C}) || {N, A, C} <- [{alice, 30, paris}, {bob, 25, rome}, {carol, 35, paris}]], ok end)),
    p(read, mnesia:transaction(fun() -> mnesia:read(person, bob) end)),
    p(index, mnesia:transaction(fun() -> lists:sort(mnesia:index_read(person, paris, #person.city)) end)),
    p(match, mnesia:transaction(fun() -> lists:sort(mnesia:match_object(#person{city = paris, _ = '_'})) end)),
    p(select, mnesia:transaction(fun() -> lists:sort(mnesia:select(person, [{#person{name = '$1', age = '$2', _ = '_'}, [{'>', '$2', 26}], ['$1']}])) end)),
    p(abort, mnesia:transaction(fun() -> mnesia:write(#person{name = dave, age = 1, city = x}), mnesia:abort(nope) end)),
    p(dirty, [mnesia:dirty_read(person, dave), mnesia:dirty_write(#person{name = eve, age = 40, city = oslo}), mnesia:dirty_read(person, eve)]),
    p(info, [mnesia:table_info(person, size), mnesia:table_info(person, attributes), mnesia:table_info(person, type)]),
    p(delete, mnesia:transaction(fun() -> mnesia:delete({person, alice}) end)),
    p(keys, lists:sort(mnesia:dirty_all_keys(person))),
    p(foldl, mnesia:transaction(fun() -> mnesia:foldl(fun(#person{age = A}, S) -> A + S end, 0, person) end)),
    p(counter, [mnesia:create_table(ctr, [{attributes, [k, v]}]), mnesia:dirty_update_counter(ctr, x, 5), mnesia:dirty_update_counter(ctr, x, -2)]),
    p(bad_tx, t(fun() -> mnesia:transaction(fun() -> mnesia:read(nosuchtab, 1) end) end)),
    p(system_info, [mnesia:system_info(is_running), mnesia:system_info(tables) -- [schema]]),
    p(stop, mnesia:stop()),
    ok.
