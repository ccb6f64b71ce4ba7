%% binary:split/3, match/3 and matches/3 read their options up to the
%% list's tail without checking it, as BEAM does; an option list that is
%% not a list, or a bad option before the tail, is badarg.
-module(run_split_opts_tail).
-export([main/0]).
id(X) -> X.

main() ->
    B = id(<<"a b c">>),
    Cases = [
        fun() -> binary:split(B, <<" ">>, id([global | x])) end,
        fun() -> binary:split(B, <<" ">>, id([trim_all | x])) end,
        fun() -> binary:split(B, <<" ">>, id([global, trim | x])) end,
        fun() -> binary:split(B, <<" ">>, id([{scope, {0, 3}} | x])) end,
        fun() -> binary:split(B, <<" ">>, id([bad | x])) end,
        fun() -> binary:split(B, <<" ">>, id(x)) end,
        fun() -> binary:split(B, <<" ">>, id(<<>>)) end,
        fun() -> binary:match(B, <<" ">>, id([{scope, {2, 3}} | x])) end,
        fun() -> binary:matches(B, <<" ">>, id([{scope, {0, 5}} | x])) end,
        fun() -> binary:match(B, <<" ">>, id([global | x])) end,
        fun() -> binary:matches(B, <<" ">>, id(x)) end
    ],
    [io:format("~p~n", [try F() catch C:R -> {C, R} end]) || F <- Cases],
    ok.
