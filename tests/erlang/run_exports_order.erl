%% module_info(exports) lists a module's exports in BEAM's order: newest
%% export entry first, an entry being made when the module is loaded, or
%% earlier when a call through `apply` (a dynamic module name) names the
%% function before its module is loaded.
-module(run_exports_order).
-export([main/0]).

main() ->
    M = list_to_atom("run_exports_order_b"),
    io:format("~w~n", [M:module_info(exports)]),
    io:format("~w~n", [erlang:get_module_info(M, exports)]),
    io:format("~w~n", [proplists:get_value(exports, M:module_info())]),
    io:format("~w~n", [M:module_info(functions)]).
