-module(run_on_load_fail).
-export([main/0]).

%% A module whose on_load function does not return ok is not loaded:
%% loaded on demand, the call raises undef (and the next call tries
%% again); code:ensure_loaded/1, code:load_file/1 and code:load_binary/3
%% return {error, on_load_failure}. A module whose on_load returns ok is
%% loaded. The helper modules are on_load_fail_b.S and on_load_ok_d.S.
main() ->
    out(catch on_load_fail_b:f()),
    out(code:is_loaded(on_load_fail_b)),
    out(erlang:module_loaded(on_load_fail_b)),
    out(catch on_load_fail_b:f()),
    out(code:ensure_loaded(on_load_fail_b)),
    out(code:load_file(on_load_fail_b)),
    out(erlang:module_loaded(on_load_fail_b)),
    out(code:load_binary(on_load_fail_e, "on_load_fail_e.erl", make(on_load_fail_e, "failed"))),
    out(erlang:module_loaded(on_load_fail_e)),
    out(catch on_load_fail_e:f()),
    out(code:load_binary(on_load_ok_e, "on_load_ok_e.erl", make(on_load_ok_e, "ok"))),
    out(catch on_load_ok_e:f()),
    out(catch on_load_ok_d:f()),
    out(erlang:module_loaded(on_load_ok_d)).

make(M, Result) ->
    Src = "-module(" ++ atom_to_list(M) ++ ").\n-on_load(init/0).\n-export([f/0]).\n"
        ++ "init() -> " ++ Result ++ ".\nf() -> " ++ atom_to_list(M) ++ ".\n",
    {ok, M, Bin} = compile:forms(forms(Src), [binary]),
    Bin.

forms(Src) ->
    {ok, Toks, _} = erl_scan:string(Src),
    split(Toks, []).

split([], []) -> [];
split([{dot, _} = D | T], Acc) ->
    {ok, F} = erl_parse:parse_form(lists:reverse([D | Acc])),
    [F | split(T, [])];
split([Tok | T], Acc) -> split(T, [Tok | Acc]).

out({'EXIT', {R, [Top | _]}}) -> io:format("~p~n", [{'EXIT', R, Top}]);
out(V) -> io:format("~p~n", [V]).
