%% Large inputs: a 10 MB binary built by appending in a loop (linear only if
%% appends happen in place), and a map of 100,000 keys, checked by size,
%% checksum, lookups and BEAM's iteration order (through phash2 of the list).
-module(run_large).
-export([main/0]).

main() ->
    Chunk = list_to_binary(lists:seq(0, 99)),
    Bin = append(100000, Chunk, <<>>),
    io:format("~p ~p~n", [byte_size(Bin), erlang:crc32(Bin)]),
    <<First:8, _:4999999/binary, Middle:16, _/binary>> = Bin,
    io:format("~p ~p ~p~n", [First, Middle, binary:last(Bin)]),
    Map = maps:from_list([{K, K * 3} || K <- lists:seq(1, 100000)]),
    io:format("~p ~p ~p~n", [map_size(Map), maps:get(77777, Map), maps:is_key(100001, Map)]),
    io:format("~p~n", [erlang:phash2(maps:to_list(Map))]),
    io:format("~p~n", [lists:sum(maps:values(Map))]),
    Smaller = lists:foldl(fun(K, M) -> maps:remove(K, M) end, Map, lists:seq(1, 100000, 2)),
    io:format("~p ~p~n", [map_size(Smaller), erlang:phash2(maps:keys(Smaller))]).

append(0, _, Acc) -> Acc;
append(N, Chunk, Acc) -> append(N - 1, Chunk, <<Acc/binary, Chunk/binary>>).
