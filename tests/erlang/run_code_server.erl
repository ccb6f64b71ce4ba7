%% `code`'s functions that OTP answers through its code server: the code
%% path, object code, loading several modules, directories, chunks.
-module(run_code_server).
-export([main/0]).

t(N, F) ->
    R = try F() of V -> {ok, V} catch C:E -> {C, E} end,
    io:format("~s ~p~n", [N, R]).

main() ->
    Old = code:get_path(),
    Here = filename:dirname(code:which(?MODULE)),
    Tmp = "/tmp",
    t("get_path is strings", fun() -> lists:all(fun io_lib:char_list/1, Old) end),
    t("get_path starts", fun() -> lists:sublist(Old, 2) =:= [Here, "."] end),
    t("kernel ebin on path", fun() -> lists:member(code:lib_dir(kernel, ebin), Old) end),
    t("stdlib after kernel", fun() -> lists:nth(4, Old) =:= code:lib_dir(stdlib, ebin) end),
    t("add_patha", fun() -> code:add_patha(Tmp ++ "/") end),
    t("first", fun() -> hd(code:get_path()) end),
    t("add_pathz again", fun() -> code:add_pathz(Tmp) end),
    t("once", fun() -> length([D || D <- code:get_path(), D =:= Tmp]) end),
    t("del_path", fun() -> code:del_path(Tmp) end),
    t("del_path again", fun() -> code:del_path(Tmp) end),
    t("add_path missing", fun() -> code:add_path("/nonexistent/dir") end),
    t("add_path atom", fun() -> code:add_path('/nonexistent') end),
    t("add_path bad", fun() -> code:add_path(123) end),
    t("add_path last", fun() -> code:add_path(Tmp), lists:last(code:get_path()) end),
    t("del_path last", fun() -> code:del_path(Tmp) end),
    t("add_pathsa", fun() -> code:add_pathsa([Tmp, "/usr", "/nonexistent"]) end),
    t("two first", fun() -> lists:sublist(code:get_path(), 2) end),
    t("add_pathsz", fun() -> code:add_pathsz(["/var"]) end),
    t("last", fun() -> lists:last(code:get_path()) end),
    t("set_path bad", fun() -> code:set_path(["/nonexistent"]) end),
    t("set_path", fun() -> code:set_path(Old) end),
    t("restored", fun() -> code:get_path() =:= Old end),
    t("del_path by name", fun() -> code:del_path(tools) end),
    t("tools gone", fun() -> code:which(cover) end),
    t("set_path again", fun() -> code:set_path(Old) end),
    t("get_mode", fun() -> code:get_mode() end),
    t("get_object_code", fun() ->
        {M, B, F} = code:get_object_code(lists),
        {M, is_binary(B), filename:basename(F), F =:= code:which(lists)}
    end),
    t("get_object_code missing", fun() -> code:get_object_code(no_such_module_x) end),
    t("get_object_code bad", fun() -> code:get_object_code("lists") end),
    t("ensure_modules_loaded", fun() -> code:ensure_modules_loaded([lists, orddict]) end),
    t("ensure_modules_loaded loaded", fun() -> erlang:module_loaded(orddict) end),
    t("ensure_modules_loaded missing",
      %% The order of the errors is the order in which erl_prim_loader's
      %% parallel workers answer: sort it.
      fun() ->
          case code:ensure_modules_loaded([lists, no_such_module_y, no_such_module_x]) of
              {error, Es} -> {error, lists:sort(Es)};
              R -> R
          end
      end),
    t("ensure_modules_loaded bad", fun() -> code:ensure_modules_loaded([lists | x]) end),
    t("ensure_modules_loaded not atom", fun() -> code:ensure_modules_loaded(["lists"]) end),
    t("root_dir", fun() -> code:root_dir() =:= filename:dirname(code:lib_dir()) end),
    t("lib_dir/2", fun() -> filename:basename(code:lib_dir(kernel, ebin)) end),
    t("lib_dir/2 missing", fun() -> code:lib_dir(no_such_app, ebin) end),
    t("compiler_dir", fun() -> filename:basename(code:compiler_dir()) end),
    t("priv_dir", fun() -> filename:basename(code:priv_dir(no_such_app)) end),
    t("where_is_file", fun() -> code:where_is_file("lists.beam") =:= code:which(lists) end),
    t("where_is_file missing", fun() -> code:where_is_file("no_such.beam") end),
    t("is_module_native", fun() -> code:is_module_native(lists) end),
    t("is_module_native not loaded", fun() -> code:is_module_native(no_such_module_x) end),
    {_, Beam, _} = code:get_object_code(lists),
    t("module_md5", fun() -> code:module_md5(Beam) =:= lists:module_info(md5) end),
    t("module_md5 bad", fun() -> code:module_md5(<<"bad">>) end),
    t("module_md5 not binary", fun() -> code:module_md5(bad) end),
    t("get_chunk", fun() -> is_binary(code:get_chunk(Beam, "Code")) end),
    t("get_chunk missing", fun() -> code:get_chunk(Beam, "Xyzw") end),
    t("get_chunk bad", fun() -> code:get_chunk(<<"bad">>, "Code") end),
    t("get_chunk bad name", fun() -> code:get_chunk(Beam, bad) end),
    t("io_lib:format error", fun() -> io_lib:format("~w ~w", [1]) end),
    t("io_lib:format error 2", fun() -> io_lib:format("~q", [1]) end),
    t("is_loaded", fun() -> code:is_loaded(lists) =:= {file, code:which(lists)} end),
    t("which missing", fun() -> code:which(no_such_module_x) end).
