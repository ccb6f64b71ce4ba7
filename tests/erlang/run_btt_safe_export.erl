%% binary_to_term(B, [safe]) of export funs: an entry that only a plain
%% decode created is not a known function (audit finding 2, session 13).
-module(run_btt_safe_export).
-export([main/0]).
r(B, O) -> try binary_to_term(B, O) catch error:E -> {error, E} end.
main() ->
    %% EXPORT_EXT of m:f/1, m:f/44 (no such functions; the atoms exist) and lists:reverse/1
    Bs = [<<131, 113, 119, 1, $m, 119, 1, $f, 97, 1>>,
          <<131, 113, 119, 1, $m, 119, 1, $f, 97, 44>>,
          <<131, 113, 119, 5, "lists", 119, 7, "reverse", 97, 1>>],
    _ = [m, f],
    io:format("safe: ~p~n", [[r(B, [safe]) || B <- Bs]]),
    io:format("plain: ~p~n", [[r(B, []) || B <- Bs]]),
    io:format("safe again: ~p~n", [[r(B, [safe]) || B <- Bs]]).
