%% binary:copy/2 takes any count below 2^64: an empty binary copied any
%% number of times is empty; a count of 2^64 or more, or negative, is
%% badarg.
-module(run_binary_copy_count).
-export([main/0]).
id(X) -> X.

main() ->
    [io:format("~p~n", [try binary:copy(id(B), id(N)) catch C:R -> {C, R} end])
     || {B, N} <- [{<<>>, 1 bsl 59}, {<<>>, 1 bsl 62}, {<<>>, (1 bsl 64) - 1},
                   {<<>>, 1 bsl 64}, {<<>>, -1}, {<<>>, 0}, {<<"ab">>, 0},
                   {<<"ab">>, 3}, {<<1:4>>, 0}, {<<1:4>>, 2}, {x, 1}, {<<"a">>, a}]],
    ok.
