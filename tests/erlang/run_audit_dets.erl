-module(run_audit_dets).

%% dets tables (set and bag: insert, lookup, match, select, fold,
%% delete, counters, reopening, traversal), ets:tab2file/file2tab and
%% disk_log, in a directory of their own.
-export([main/0]).
t(F) -> try F() catch C:R -> {C, R} end.
p(T, V) -> io:format("~p: ~p~n", [T, V]).
main() ->
    Dir = "/tmp/enigma_audit_dets_" ++ os:getpid(),
    ok = filelib:ensure_dir(Dir ++ "/x"),
    F = Dir ++ "/t.dets",
    {ok, T} = dets:open_file(tab, [{file, F}, {type, set}, {keypos, 1}]),
    p(insert, [dets:insert(T, [{I, I * I, integer_to_list(I)} || I <- lists:seq(1, 500)]), dets:insert(T, {a, b, c})]),
    p(lookup, [dets:lookup(T, 7), dets:lookup(T, nope), dets:member(T, a)]),
    p(match, lists:sort(dets:match(T, {'$1', 4, '_'}))),
    p(select, lists:sort(dets:select(T, [{{'$1', '$2', '_'}, [{is_integer, '$1'}, {'<', '$2', 50}], ['$1']}]))),
    p(foldl, dets:foldl(fun({K, _, _}, A) when is_integer(K) -> A + K; (_, A) -> A end, 0, T)),
    p(info, [dets:info(T, size), dets:info(T, type), dets:info(T, keypos), filename:basename(dets:info(T, filename))]),
    p(delete, [dets:delete(T, 7), dets:lookup(T, 7), dets:match_delete(T, {'_', 9, '_'}), dets:info(T, size)]),
    p(update_counter, t(fun() -> dets:update_counter(T, 10, {2, 1}) end)),
    p(close, dets:close(T)),
    {ok, T2} = dets:open_file(tab2, [{file, F}]),
    p(reopen, [dets:info(T2, size), dets:lookup(T2, 500), dets:lookup(T2, 10)]),
    p(traverse, lists:sort(dets:traverse(T2, fun({K, _, _}) when is_integer(K), K > 495 -> {continue, K}; (_) -> continue end))),
    p(to_ets, t(fun() -> E = ets:new(e, []), dets:to_ets(T2, E), ets:info(E, size) end)),
    p(bag, t(fun() -> {ok, B} = dets:open_file(bag, [{file, Dir ++ "/b.dets"}, {type, bag}]),
                      dets:insert(B, [{k, 1}, {k, 2}, {k, 1}]), R = dets:lookup(B, k), dets:close(B), lists:sort(R) end)),
    p(close2, dets:close(T2)),
    p(bad, [t(fun() -> dets:open_file(bad, [{file, "/nonexistent_dir/x.dets"}]) end), t(fun() -> dets:lookup(tab, 1) end)]),
    %% ets:tab2file / file2tab (disk_log)
    E2 = ets:new(saved, [ordered_set, named_table]),
    ets:insert(E2, [{I, lists:duplicate(I, $x)} || I <- lists:seq(1, 50)]),
    p(tab2file, ets:tab2file(E2, Dir ++ "/e.tab")),
    p(tabfile_info, t(fun() -> {ok, I} = ets:tabfile_info(Dir ++ "/e.tab"), [proplists:get_value(K, I) || K <- [name, type, size, named_table]] end)),
    ets:delete(E2),
    p(file2tab, t(fun() -> {ok, E3} = ets:file2tab(Dir ++ "/e.tab"), {ets:info(E3, size), ets:lookup(E3, 3), ets:first(E3)} end)),
    %% disk_log
    {ok, L} = disk_log:open([{name, lg}, {file, Dir ++ "/l.log"}]),
    p(dlog, [disk_log:log(L, {a, 1}), disk_log:log_terms(L, [b, c, {d, [1]}]), disk_log:sync(L)]),
    p(dlog_chunk, t(fun() -> {_, Terms} = disk_log:chunk(L, start), Terms end)),
    p(dlog_info, t(fun() -> I = disk_log:info(L), [proplists:get_value(K, I) || K <- [name, type, format, mode, no_items]] end)),
    p(dlog_close, disk_log:close(L)),
    os:cmd("rm -rf " ++ Dir),
    ok.
