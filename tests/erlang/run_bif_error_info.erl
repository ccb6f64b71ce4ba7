%% The top stack frame of a failing BIF of the binary, maps, lists, math
%% and persistent_term modules: BEAM annotates it with the module that
%% explains the error (`error_info`).
-module(run_bif_error_info).
-export([main/0]).

main() ->
    Calls = [fun() -> binary:match(<<"a">>, x) end,
             fun() -> binary:part(<<"a">>, 5, 1) end,
             fun() -> binary:split(<<"a">>, <<>>) end,
             fun() -> binary:compile_pattern([]) end,
             fun() -> maps:put(a, 1, x) end,
             fun() -> maps:from_list(x) end,
             fun() -> lists:keyfind(a, x, []) end,
             fun() -> lists:reverse(x, []) end,
             fun() -> lists:member(a, x) end,
             fun() -> math:sqrt(x) end,
             fun() -> persistent_term:get(run_bif_error_info_nokey) end,
             fun() -> erlang:binary_part(<<"a">>, 2, 1) end],
    [io:format("~p~n", [try F() catch C:R:S -> {C, R, hd(S)} end]) || F <- Calls].
