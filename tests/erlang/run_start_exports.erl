%% A process started at M:F (enigma run's main process, as erl's -eval;
%% spawn/3, spawn_opt/4, spawn_request/5) makes no export entry for M:F
%% before M loads, as BEAM: module_info(exports), newest entry first,
%% lists the module's own order. (An apply of M:F makes the entry first.)
-module(run_start_exports).
-export([main/0, other/0]).

main() ->
    _ = (catch logger:set_primary_config(level, none)),
    io:format("~w~n", [?MODULE:module_info(exports)]),
    B = list_to_atom("run_start_exports_b"),
    {_, MB} = spawn_opt(B, b, [], [monitor]),
    receive {'DOWN', MB, _, _, RB} -> io:format("~p~n", [RB]) end,
    io:format("~w~n", [B:module_info(exports)]),
    C = list_to_atom("run_start_exports_c"),
    R = spawn_request(C, c, [], [monitor]),
    receive {'DOWN', R, _, _, RC} -> io:format("~p~n", [RC]) end,
    io:format("~w~n", [C:module_info(exports)]),
    D = list_to_atom("run_start_exports_d"),
    io:format("~p~n", [erlang:function_exported(D, nope, 0)]),
    {_, MD} = spawn_opt(D, nope, [], [monitor]),
    receive {'DOWN', MD, _, _, {RD, _}} -> io:format("~p~n", [RD]) end,
    io:format("~w~n", [D:module_info(exports)]),
    io:format("~p~n", [[erlang:function_exported(D, nope, 0),
                        erlang:function_exported(D, a, 0)]]),
    ok.

other() -> ok.
