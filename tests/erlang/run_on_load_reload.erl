%% A new version whose on_load fails leaves the previous version loaded,
%% as on BEAM; a first version whose on_load fails leaves nothing.
-module(run_on_load_reload).
-export([main/0]).

%% Module olr_m, version V, whose on_load returns R.
beam(V, R) ->
    Forms = [{attribute, 1, module, olr_m},
             {attribute, 2, export, [{f, 0}, {init, 0}]},
             {attribute, 3, on_load, {init, 0}},
             {function, 4, f, 0, [{clause, 4, [], [], [{integer, 4, V}]}]},
             {function, 5, init, 0, [{clause, 5, [], [], [{atom, 5, R}]}]}],
    {ok, olr_m, Bin} = compile:forms(Forms, []),
    Bin.

t(N, F) ->
    R = try F() of V -> {ok, V} catch C:E -> {C, E} end,
    io:format("~s ~p~n", [N, R]).

main() ->
    t("first fails", fun() -> code:load_binary(olr_m, "olr_m.beam", beam(0, bad)) end),
    t("nothing loaded", fun() -> {code:is_loaded(olr_m), erlang:module_loaded(olr_m)} end),
    t("v1", fun() -> code:load_binary(olr_m, "olr_m.beam", beam(1, ok)) end),
    t("call v1", fun() -> olr_m:f() end),
    t("v2 fails", fun() -> code:load_binary(olr_m, "olr_m.beam", beam(2, failed)) end),
    t("still v1", fun() -> olr_m:f() end),
    t("loaded", fun() -> {code:is_loaded(olr_m), erlang:module_loaded(olr_m)} end),
    t("v3 load_module fails", fun() -> code:purge(olr_m), erlang:load_module(olr_m, beam(3, nope)) end),
    t("still v1 again", fun() -> olr_m:f() end).
