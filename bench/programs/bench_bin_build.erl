%% Building a binary by appending in a loop (`<<Acc/binary, ...>>`), which
%% BEAM keeps linear by growing a writable binary in place.
-module(bench_bin_build).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() ->
        Bin = build(N, <<>>),
        {byte_size(Bin), erlang:crc32(Bin)}
    end),
    io:format("~w ~w~n", [Micros, Result]).

build(0, Acc) -> Acc;
build(N, Acc) when N rem 16 =:= 0 -> build(N - 1, <<Acc/binary, N:32/little, $\n>>);
build(N, Acc) -> build(N - 1, <<Acc/binary, (N band 255):8>>).
