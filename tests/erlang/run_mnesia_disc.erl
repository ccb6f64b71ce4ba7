%% mnesia with disc_copies tables in a directory of its own: schema,
%% transactions, aborts, dirty reads and selects, a restart that reads the
%% table back from disk, the schema deleted.
-module(run_mnesia_disc).
-export([main/0]).
-record(kv, {k, v}).
main() ->
    logger:set_primary_config(level, none),
    Dir = filename:join("/tmp", "enigma_run_mnesia_" ++ os:getpid()),
    application:set_env(mnesia, dir, Dir),
    io:format("schema ~p~n", [mnesia:create_schema([node()])]),
    io:format("start ~p~n", [mnesia:start()]),
    io:format("table ~p~n", [mnesia:create_table(kv, [{disc_copies, [node()]}, {attributes, record_info(fields, kv)}])]),
    io:format("wait ~p~n", [mnesia:wait_for_tables([kv], 5000)]),
    io:format("tx ~p~n", [mnesia:transaction(fun() -> [mnesia:write(#kv{k = I, v = I * I}) || I <- lists:seq(1, 100)], ok end)]),
    io:format("read ~p~n", [mnesia:transaction(fun() -> mnesia:read(kv, 7) end)]),
    io:format("abort ~p~n", [mnesia:transaction(fun() -> mnesia:write(#kv{k = x, v = 1}), mnesia:abort(nope) end)]),
    io:format("dirty ~p~n", [{mnesia:dirty_read(kv, x), length(mnesia:dirty_all_keys(kv))}]),
    io:format("select ~p~n", [lists:sort(mnesia:dirty_select(kv, [{#kv{k = '$1', v = '$2'}, [{'<', '$1', 4}], ['$2']}]))]),
    io:format("info ~p~n", [{mnesia:table_info(kv, size), mnesia:table_info(kv, storage_type)}]),
    io:format("stop ~p~n", [mnesia:stop()]),
    io:format("restart ~p~n", [mnesia:start()]),
    io:format("wait ~p~n", [mnesia:wait_for_tables([kv], 5000)]),
    io:format("persisted ~p~n", [{mnesia:dirty_read(kv, 10), mnesia:table_info(kv, size)}]),
    io:format("stop ~p~n", [mnesia:stop()]),
    io:format("delete ~p~n", [mnesia:delete_schema([node()])]),
    os:cmd("rm -rf " ++ Dir).
