%% Loading prepared code: erlang:prepare_loading/2, finish_loading/1,
%% has_prepared_code_on_load/1, a pending on_load function run by
%% call_on_load_function/1 (waiting in receive) and finish_after_on_load/2;
%% code:atomic_load/1, prepare_loading/1, finish_loading/1 with their
%% errors (duplicated, not_purged, on_load_not_allowed, nofile,
%% sticky_directory; not badfile: erl's logger reports it on standard
%% output, with the time).
-module(run_atomic_load).
-export([main/0]).

t(N, F) ->
    R = try F() of V -> {ok, V} catch C:E -> {C, E} end,
    io:format("~s ~p~n", [N, R]).

make(M, Extra) ->
    Src = "-module(" ++ atom_to_list(M) ++ ").\n-export([f/0]).\n" ++ Extra
        ++ "f() -> " ++ atom_to_list(M) ++ ".\n",
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

sorted({error, Es}) -> {error, lists:sort(Es)};
sorted(R) -> R.

main() ->
    prepared(),
    on_load(),
    atomic().

prepared() ->
    A = make(pla, ""), B = make(plb, ""),
    C = make(plc, "-on_load(init/0).\ninit() -> ok.\n"),
    t("prep not atom", fun() -> erlang:prepare_loading("pla", A) end),
    t("prep not bin", fun() -> erlang:prepare_loading(pla, [A]) end),
    t("prep bits", fun() -> erlang:prepare_loading(pla, <<A/binary, 1:1>>) end),
    t("prep gzip", fun() -> is_reference(erlang:prepare_loading(pla, zlib:gzip(A))) end),
    t("prep is ref", fun() -> is_reference(erlang:prepare_loading(pla, A)) end),
    t("has on_load a", fun() -> erlang:has_prepared_code_on_load(erlang:prepare_loading(pla, A)) end),
    t("has on_load c", fun() -> erlang:has_prepared_code_on_load(erlang:prepare_loading(plc, C)) end),
    t("has on_load ref", fun() -> erlang:has_prepared_code_on_load(make_ref()) end),
    t("has on_load atom", fun() -> erlang:has_prepared_code_on_load(x) end),
    t("finish empty", fun() -> erlang:finish_loading([]) end),
    t("finish bad", fun() -> erlang:finish_loading([x]) end),
    t("finish improper", fun() -> erlang:finish_loading(x) end),
    t("finish ref", fun() -> erlang:finish_loading([make_ref()]) end),
    PA = erlang:prepare_loading(pla, A), PB = erlang:prepare_loading(plb, B),
    t("loaded before", fun() -> {erlang:module_loaded(pla), erlang:module_loaded(plb)} end),
    t("finish two", fun() -> erlang:finish_loading([PA, PB]) end),
    t("called", fun() -> {pla:f(), plb:f()} end),
    t("finish again", fun() -> erlang:finish_loading([PA]) end),
    t("has after", fun() -> erlang:has_prepared_code_on_load(PA) end),
    t("old code", fun() -> {erlang:check_old_code(pla), erlang:check_old_code(plb)} end),
    PA2 = erlang:prepare_loading(pla, A), PA3 = erlang:prepare_loading(pla, A),
    PB2 = erlang:prepare_loading(plb, B),
    t("finish dup", fun() -> erlang:finish_loading([PA2, PB2, PA3]) end),
    t("finish reload", fun() -> erlang:finish_loading([PA2, PB2]) end),
    t("old code now", fun() -> {erlang:check_old_code(pla), erlang:check_old_code(plb)} end),
    PA4 = erlang:prepare_loading(pla, A), PB3 = erlang:prepare_loading(plb, B),
    t("not purged", fun() -> erlang:finish_loading([PB3, PA4]) end),
    t("purge", fun() -> erlang:purge_module(pla) end),
    t("not purged b", fun() -> erlang:finish_loading([PB3, PA4]) end),
    t("purge b", fun() -> erlang:purge_module(plb) end),
    t("now", fun() -> erlang:finish_loading([PB3, PA4]) end),
    PC = erlang:prepare_loading(plc, C), PD = erlang:prepare_loading(pla, A),
    t("on_load two", fun() -> erlang:finish_loading([PD, PC]) end),
    t("on_load one", fun() -> erlang:finish_loading([PC]) end),
    t("plc loaded", fun() -> erlang:module_loaded(plc) end),
    t("plc call", fun() -> try plc:f() catch error:undef -> undef end end),
    t("call_on_load", fun() -> erlang:call_on_load_function(plc) end),
    t("finish_after", fun() -> erlang:finish_after_on_load(plc, true) end),
    t("plc call2", fun() -> plc:f() end),
    t("finish_after again", fun() -> erlang:finish_after_on_load(plc, true) end),
    t("call_on_load none", fun() -> erlang:call_on_load_function(plc) end),
    t("finish_after bad", fun() -> erlang:finish_after_on_load(plc, maybe) end).

%% An on_load function that waits in receive, run by the caller.
on_load() ->
    R = make(plr, "-on_load(init/0).\ninit() -> self() ! {plr, go}, receive {plr, G} -> G end.\n"),
    P = erlang:prepare_loading(plr, R),
    t("plr pending", fun() -> erlang:finish_loading([P]) end),
    t("plr runs", fun() -> erlang:call_on_load_function(plr) end),
    t("plr not yet", fun() -> erlang:module_loaded(plr) end),
    t("plr drop", fun() -> erlang:finish_after_on_load(plr, false) end),
    t("plr dropped", fun() -> {erlang:module_loaded(plr), erlang:function_exported(plr, f, 0)} end),
    P2 = erlang:prepare_loading(plr, R),
    t("plr pending again", fun() -> erlang:finish_loading([P2]) end),
    t("plr runs again", fun() -> erlang:call_on_load_function(plr) end),
    t("plr keep", fun() -> erlang:finish_after_on_load(plr, true) end),
    t("plr call", fun() -> plr:f() end).

atomic() ->
    t("atomic_load", fun() ->
        code:atomic_load([{plx, "plx.erl", make(plx, "")}, {ply, "ply.erl", make(ply, "")}])
    end),
    t("atomic calls", fun() -> {plx:f(), ply:f(), code:which(plx)} end),
    t("atomic_load dup", fun() -> code:atomic_load([{plx, "plx.erl", make(plx, "")}, plx]) end),
    t("atomic_load on_load", fun() ->
        code:atomic_load([{plz, "plz.erl", make(plz, "-on_load(init/0).\ninit() -> ok.\n")}])
    end),
    t("atomic_load nofile", fun() -> code:atomic_load([no_such_mod_q]) end),
    t("atomic_load bad", fun() -> code:atomic_load([1]) end),
    t("atomic_load not_purged", fun() -> code:atomic_load([{plx, "plx.erl", make(plx, "")}]) end),
    t("atomic_load not_purged2", fun() -> code:atomic_load([{plx, "plx.erl", make(plx, "")}]) end),
    t("atomic_load sticky", fun() -> code:atomic_load([lists]) end),
    t("atomic_load sticky two", fun() -> sorted(code:atomic_load([orddict, ordsets])) end),
    %% This module from the code path: its running code becomes old.
    Which = code:which(?MODULE),
    t("atomic_load path", fun() -> code:atomic_load([?MODULE, {plq, "plq.erl", make(plq, "")}]) end),
    t("path which", fun() -> {plq:f(), code:which(?MODULE) =:= Which, code:which(plq)} end),
    t("atomic_load path again", fun() -> code:atomic_load([?MODULE]) end),
    t("prepare", fun() ->
        {ok, {Tag, [{plv, {Ref, File, Native}}]}} =
            code:prepare_loading([{plv, "plv.erl", make(plv, "")}]),
        {Tag, is_reference(Ref), File, Native}
    end),
    {ok, P} = code:prepare_loading([{plv, "plv.erl", make(plv, "")}]),
    t("prepare loaded", fun() -> erlang:module_loaded(plv) end),
    t("finish", fun() -> code:finish_loading(P) end),
    t("plv", fun() -> {plv:f(), code:which(plv)} end),
    t("prepare on_load", fun() ->
        code:prepare_loading([{plu, "plu.erl", make(plu, "-on_load(init/0).\ninit() -> ok.\n")}])
    end),
    t("prepare dup", fun() -> sorted(code:prepare_loading([plv, {plv, "plv.erl", make(plv, "")}])) end),
    t("finish bad", fun() -> code:finish_loading(x) end),
    t("finish bad2", fun() -> code:finish_loading({x, []}) end).
