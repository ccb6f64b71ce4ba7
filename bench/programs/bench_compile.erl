%% Real-world code rather than a kernel: OTP's own compiler compiling
%% stdlib's lists.erl (scanner, preprocessor, parser, linter, the Core,
%% Kernel and SSA passes, the assembler: records, maps, sets, gb_trees and
%% large tuples). One untimed compile first loads the compiler's modules.
-module(bench_compile).
-export([main/1]).

main([Arg]) ->
    Rounds = list_to_integer(Arg),
    Src = filename:join([code:lib_dir(stdlib), "src", "lists.erl"]),
    {ok, lists, _} = compile:file(Src, [binary]),
    {Micros, Result} = timer:tc(fun() -> loop(Rounds, Src, 0) end),
    io:format("~w ~w~n", [Micros, Result]).

loop(0, _, Acc) -> Acc;
loop(N, Src, Acc) ->
    {ok, lists, Beam} = compile:file(Src, [binary]),
    loop(N - 1, Src, Acc + erlang:phash2(Beam)).
