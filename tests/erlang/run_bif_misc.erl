-module(run_bif_misc).
-export([main/0]).

%% Smaller BIFs of erlang, os and persistent_term, and the error_info that
%% BEAM puts in the frame of a failing BIF of each module.
main() ->
    X = 3,
    F = fun(Y) -> X + Y end,
    io:format("~p~n", [erlang:fun_info_mfa(F)]),
    io:format("~p~n", [erlang:fun_info_mfa(fun lists:map/2)]),
    show(fun() -> erlang:fun_info_mfa(id(3)) end),
    [io:format("~p~n", [catch erlang:posixtime_to_universaltime(T)])
     || T <- [0, 1700000000, -5, 1 bsl 62, -(1 bsl 40), -2208988801,
              67767976233532800, -62167219200, -62167219201, -62198755200,
              -62230291200, -(1 bsl 62), -(1 bsl 63)]],
    show(fun() -> erlang:posixtime_to_universaltime(id(1.0)) end),
    show(fun() -> erlang:posixtime_to_universaltime(id(1 bsl 64)) end),
    [show(fun() -> erlang:universaltime_to_posixtime(D) end)
     || D <- [{{1970, 1, 1}, {0, 0, 0}}, {{2023, 11, 14}, {22, 13, 20}},
              {{1600, 1, 1}, {0, 0, 0}}, {{1599, 12, 31}, {23, 59, 59}},
              {{2147483646, 1, 1}, {0, 0, 0}}, {{2147483647, 1, 1}, {0, 0, 0}},
              {{1970, 1, 1}, {24, 0, 0}}, {{2000, 2, 30}, {0, 0, 0}},
              {{2000, 2, 29}, {23, 59, 59}}, foo]],
    show(fun() -> erlang:bump_reductions(id(100000)) end),
    show(fun() -> erlang:bump_reductions(id(-1)) end),
    show(fun() -> erlang:bump_reductions(id(a)) end),
    [show(fun() -> os:putenv(N, V) end)
     || {N, V} <- [{"ENIGMA_T1", "v1"}, {"ENIGMA_T2", ""}, {"ENIGMA_T3", [256, $x]},
                   {"A=B", "x"}, {"", "x"}, {"ENIGMA_T4", <<"bin">>},
                   {enigma_t5, "x"}, {"ENIGMA_T6", "a\0b"}, {["ENIGMA", "_T7"], ["d", $e]}]],
    io:format("~p~n", [[os:getenv(N) || N <- ["ENIGMA_T1", "ENIGMA_T2", "ENIGMA_T3",
                                              "ENIGMA_T4", "ENIGMA_T7"]]]),
    [show(fun() -> os:unsetenv(N) end) || N <- ["ENIGMA_T1", "A=B", 1, ""]],
    io:format("~p~n", [os:getenv("ENIGMA_T1")]),
    ok = persistent_term:put({?MODULE, k}, [v]),
    io:format("~p~n", [lists:keyfind({?MODULE, k}, 1, persistent_term:get())]),
    show(fun() -> persistent_term:get({?MODULE, missing}) end),
    Failing = [fun() -> binary:part(id(<<1>>), 5, 1) end,
               fun() -> lists:reverse(id(1), 2) end,
               fun() -> lists:keyfind(a, id(b), c) end,
               fun() -> maps:from_list(id(1)) end,
               fun() -> maps:keys(id(1)) end,
               fun() -> math:sqrt(id(a)) end,
               fun() -> math:pow(id(a), 1) end,
               fun() -> unicode:characters_to_list(id(1), latin1) end,
               fun() -> os:getenv(id(1)) end,
               fun() -> erlang:atom_to_list(id(1)) end,
               fun() -> binary:copy(id(a)) end,
               fun() -> erts_internal:map_next(a, b, c) end],
    lists:foreach(fun show/1, Failing).

show(F) ->
    try F() of
        V -> io:format("~p~n", [V])
    catch
        C:R:S -> io:format("~p ~p ~p~n", [C, R, hd(S)])
    end.

id(X) -> X.
