%% maps:next/1 on iterators as BEAM builds them: the first call on a
%% trie returns 32 associations and a `[Path | Map]` tail naming the next
%% leaf (four bits per trie level), and hand-made paths are walked,
%% range-checked and rejected (`badarg`) as erl_map.c does.
-module(run_maps_next_path).
-export([main/0]).

r(F) -> try F() catch C:R -> {C, R} end.

%% The keys of an iterator chunk and its tail (the path, not the map).
shape(none) -> none;
shape({K, _, I}) -> [K | shape(I)];
shape([P | M]) when is_map(M) -> {path, P};
shape(Other) -> Other.

walk(I, N) ->
    case maps:next(I) of
        none -> N;
        {_, _, I2} -> walk(I2, N + 1)
    end.

main() ->
    Small = [#{}, #{a => 1}, #{a => 1, b => 2}, maps:from_list([{I, I} || I <- lists:seq(1, 32)])],
    [io:format("~w ~w: ~w~n", [map_size(M), P, r(fun() -> shape(maps:next([P | M])) end)])
     || M <- Small, P <- [0, 1, 2, 3, 32, 33, 16#FFFF, -1, 1 bsl 60, a, 1.0]],
    Big = [maps:from_list([{I, I} || I <- lists:seq(1, N)]) || N <- [33, 40, 100, 1000, 5000]]
        ++ [maps:from_list([{integer_to_binary(I), I} || I <- lists:seq(1, 300)]),
            maps:from_list([{{I, x}, I} || I <- lists:seq(1, 70)])],
    lists:foreach(
      fun(M) ->
              io:format("size ~w~n", [map_size(M)]),
              {K, V, I} = maps:next(maps:iterator(M)),
              io:format(" first ~w ~w ~w~n", [K, V, shape(I)]),
              io:format(" walked ~w~n", [walk(maps:iterator(M), 0)]),
              [io:format(" ~w: ~w~n", [P, r(fun() -> case maps:next([P | M]) of
                                                          {K1, _, I1} -> {K1, length(shape(I1))};
                                                          X -> X
                                                      end end)])
               || P <- lists:seq(0, 300) ++ [16#FFFF, 16#FFFFF, -1, 1 bsl 60, 1 bsl 64, (1 bsl 64) + 1, -(1 bsl 64), a]]
      end, Big),
    ok.
