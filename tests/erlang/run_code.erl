-module(run_code).
-export([main/0]).

%% Module `code` without a code server: loading, what is loaded from
%% where, deleting, and the OTP directories.
main() ->
    P = fun(X) -> io:format("~p~n", [X]) end,
    Base = fun({file, F}) when is_list(F) -> {file, filename:basename(F)};
              (F) when is_list(F) -> filename:basename(F);
              (X) -> X
           end,
    P(code:ensure_loaded(lists)),
    P(Base(code:is_loaded(lists))),
    P(Base(code:which(lists))),
    P(code:which(erlang)),
    P(code:is_loaded(erlang)),
    P(code:is_loaded(run_code_absent_xyz)),
    P(code:which(run_code_absent_xyz)),
    P(code:ensure_loaded(run_code_absent_xyz)),
    P(code:load_file(run_code_absent_xyz)),
    P(code:ensure_loaded(run_code)),
    P(Base(code:is_loaded(run_code))),
    P(code:is_loaded(erl_syntax)),
    P(code:ensure_loaded(erl_syntax)),
    P(Base(code:which(erl_syntax))),
    P(erlang:function_exported(erl_syntax, atom, 1)),
    P(code:load_file(erl_syntax)),
    P(code:soft_purge(erl_syntax)),
    P(code:purge(erl_syntax)),
    P(code:delete(erl_syntax)),
    P(code:is_loaded(erl_syntax)),
    P(erl_syntax:type(erl_syntax:atom(a))),
    P(Base(code:is_loaded(erl_syntax))),
    P(code:is_sticky(lists)),
    P(code:is_sticky(erlang)),
    P(code:root_dir() =:= filename:dirname(code:lib_dir())),
    P(lists:prefix("stdlib-", filename:basename(code:lib_dir(stdlib)))),
    P(code:lib_dir(run_code_no_app)),
    P(filename:basename(code:priv_dir(stdlib))),
    P(lists:keymember(lists, 1, code:all_loaded())),
    P(lists:member(zlib, erlang:pre_loaded())),
    [P(try code:F(A) catch C:R -> {C, R} end)
     || {F, A} <- [{ensure_loaded, 1}, {ensure_loaded, "lists"}, {which, 1},
                   {is_loaded, 1}, {load_file, 1}]].
