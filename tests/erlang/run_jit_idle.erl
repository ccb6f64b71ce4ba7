%% The JIT's give-ups (session 21): a loop whose recording meets an
%% instruction the recorder lacks is blacklisted at once and, with
%% nothing compiled, the interpreter samples its counts; a loop that
%% becomes hot later is still compiled; a trace whose entries leave at
%% once is forgotten; a path that meets the unsupported instruction only
%% now and then. Results only: the same with the JIT off, on and eager.
-module(run_jit_idle).
-export([main/0]).

main() ->
    Bin = build(20000, <<>>),
    io:format("bin ~w ~w~n", [byte_size(Bin), erlang:crc32(Bin)]),
    io:format("sum ~w~n", [sum(300000, 0)]),
    io:format("long ~w~n", [count(lists:seq(1, 20000), 0)]),
    Short = [count(L, 0) || L <- lists:duplicate(20000, []) ++ [[a], [], [b, c]]],
    io:format("short ~w~n", [lists:sum(Short)]),
    io:format("long ~w~n", [count(lists:seq(1, 50000), 0)]),
    Mixed = [case I rem 97 of 0 -> {tag, I}; _ -> I end || I <- lists:seq(1, 30000)],
    io:format("mixed ~w~n", [mixed(Mixed, 0)]),
    io:format("again ~w~n", [mixed(lists:seq(1, 30000) ++ [{tag, -1}], 0)]).

build(0, Acc) -> Acc;
build(N, Acc) when N rem 16 =:= 0 -> build(N - 1, <<Acc/binary, N:32/little, $\n>>);
build(N, Acc) -> build(N - 1, <<Acc/binary, (N band 255):8>>).

sum(0, Acc) -> Acc;
sum(N, Acc) -> sum(N - 1, Acc + N).

count([], N) -> N;
count([_ | T], N) -> count(T, N + 1).

mixed([], Acc) -> Acc;
mixed([{tag, X} | T], Acc) -> mixed(T, Acc - X);
mixed([X | T], Acc) -> mixed(T, Acc + X).
