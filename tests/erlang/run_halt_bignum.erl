%% halt/1 with a bignum status exits with its low byte, as erl does.
-module(run_halt_bignum).
-export([main/0]).

main() ->
    io:format("halting~n"),
    erlang:halt((1 bsl 70) + 5).
