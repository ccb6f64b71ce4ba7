%% What erl logs when a load fails: the loader's report of the file it
%% refused and the code server's, for code:load_binary/3, load_abs/1,
%% load_file/1, ensure_loaded/1 and erlang:load_module/2 (the loader's
%% only), a call that loads a bad module on demand, and a sticky
%% module's refusal. The reports come from two
%% processes on erl, so they are collected by a handler and printed sorted.
-module(run_load_reports).
-export([main/0, log/2]).

main() ->
    ok = logger:remove_handler(default),
    ok = logger:add_handler(collect, ?MODULE, #{config => #{to => self()}}),
    Dir = filename:join("/tmp", "enigma_load_reports_" ++ os:getpid()),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    ok = file:write_file(filename:join(Dir, "bad_ab.beam"), <<"junk">>),
    ok = file:write_file(filename:join(Dir, "bad_el.beam"), <<"FOR1", 0:32, "BEAM">>),
    ok = file:write_file(filename:join(Dir, "bad_od.beam"), <<"FOR1garbage">>),
    {ok, B} = file:read_file(code:which(?MODULE)),
    <<Head:40/binary, _/binary>> = B,
    Calls = [{load_binary_other_name, fun() -> code:load_binary(other, "other.beam", B) end},
             {load_binary_cut, fun() -> code:load_binary(cut, "cut.beam", binary:part(B, 0, 100)) end},
             {load_binary_zeros, fun() -> code:load_binary(zeros, "zeros.beam", <<Head/binary, 0:800>>) end},
             {load_module_junk, fun() -> erlang:load_module(junk, <<"junk">>) end},
             {load_module_other_name, fun() -> erlang:load_module(other2, B) end},
             {load_binary_sticky, fun() -> code:load_binary(lists, "lists.beam", B) end},
             {load_file_sticky, fun() -> code:load_file(lists) end},
             {load_abs_junk, fun() -> code:load_abs(filename:join(Dir, "bad_ab")) end},
             {load_abs_missing, fun() -> code:load_abs(filename:join(Dir, "none")) end},
             {ensure_loaded_bad, fun() -> true = code:add_patha(Dir), code:ensure_loaded(bad_el) end},
             {load_file_missing, fun() -> code:load_file(no_such_module_xyz) end},
             {call_bad_od, fun() -> call_undef(fun() -> bad_od:f(1) end) end},
             {apply_bad_od, fun() -> call_undef(fun() -> apply(bad_od, g, [a, b]) end) end},
             {call_missing, fun() -> call_undef(fun() -> no_such_module_xyz:f() end) end}],
    [io:format("~p: ~p~n", [Name, F()]) || {Name, F} <- Calls],
    Reports = collect(18, []),
    [io:format("~ts~n", [string:replace(R, Dir, "DIR", all)]) || R <- lists:sort(Reports)],
    code:del_path(Dir),
    [file:delete(filename:join(Dir, F)) || F <- ["bad_ab.beam", "bad_el.beam", "bad_od.beam"]],
    file:del_dir(Dir),
    io:format("~p more~n", [length(collect(1, [], 200))]).

%% A call that loads its module on demand: the undef's first two frames
%% (erl's -eval adds erl_eval's frames below them).
call_undef(F) ->
    try F() catch error:undef:St -> {undef, lists:sublist(St, 2)} end.

collect(N, Acc) -> collect(N, Acc, 5000).

collect(0, Acc, _) -> Acc;
collect(N, Acc, Wait) ->
    receive {report, R} -> collect(N - 1, [R | Acc], Wait)
    after Wait -> Acc
    end.

%% logger handler callback: the report's text to the test process.
log(#{level := Level, msg := {Format, Args}}, #{config := #{to := To}}) ->
    To ! {report, lists:flatten(io_lib:format("~p: " ++ Format, [Level | Args]))};
log(#{level := Level, msg := Other}, #{config := #{to := To}}) ->
    To ! {report, lists:flatten(io_lib:format("~p: ~p", [Level, Other]))}.
