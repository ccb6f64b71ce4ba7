%% maps:merge/2 of large maps (hash-array-mapped tries, merged node by
%% node) and of a trie with a flat map: overlapping keys (the second map's
%% values win), disjoint keys, a map merged with itself or a subset, keys
%% of several types, and the iteration order of the result (to_list, ~w
%% printing, iterators), which must be BEAM's. No atom keys: a large
%% map's order of atom keys depends on BEAM's atom table.
-module(run_maps_merge).
-export([main/0]).

main() ->
    Ints = fun(From, To, Tag) -> maps:from_list([{I, {Tag, I}} || I <- lists:seq(From, To)]) end,
    A = Ints(1, 3000, a),
    B = Ints(2000, 6000, b),
    C = Ints(100000, 100050, c),
    Mixed1 = maps:from_list([{key(I), I} || I <- lists:seq(1, 400)]),
    Mixed2 = maps:from_list([{key(I), -I} || I <- lists:seq(300, 900, 3)]),
    Small = #{1 => small, 2999 => small, "x" => y, <<"bin">> => 1},
    Cases = [{ab, A, B}, {ba, B, A}, {ac, A, C}, {ca, C, A},
             {self, A, A}, {subset, A, Ints(10, 2000, s)},
             {superset, Ints(10, 2000, s), A},
             {mixed, Mixed1, Mixed2}, {mixed_rev, Mixed2, Mixed1},
             {flat_trie, Small, A}, {trie_flat, A, Small},
             {flat_flat, Small, #{"x" => z, 3 => 4}},
             {empty, #{}, B}, {to_empty, B, #{}},
             {grow, Ints(1, 20, g), Ints(15, 40, h)}],
    [report(Name, X, Y) || {Name, X, Y} <- Cases],
    %% Merging repeatedly: a trie built by merges, then merged again.
    Chain = lists:foldl(fun(I, M) -> maps:merge(M, Ints(I * 37, I * 37 + 60, I)) end,
                        #{}, lists:seq(1, 80)),
    report(chain, Chain, Ints(500, 900, z)),
    [io:format("~p~n", [try maps:merge(X, Y) catch error:R -> R end])
     || {X, Y} <- [{A, not_a_map}, {[], B}, {Small, 3}]],
    ok.

report(Name, X, Y) ->
    M = maps:merge(X, Y),
    L = maps:to_list(M),
    io:format("~p size ~p hash ~p~n", [Name, map_size(M), erlang:phash2(L)]),
    io:format("  first ~w~n", [lists:sublist(L, 8)]),
    io:format("  next ~w~n", [first_keys(maps:iterator(M), 8)]),
    io:format("  equal ~p~n", [M =:= maps:from_list(maps:to_list(X) ++ maps:to_list(Y))]),
    case map_size(M) < 60 of
        true -> io:format("  ~w~n", [M]);
        false -> ok
    end.

first_keys(_, 0) -> [];
first_keys(It, N) ->
    case maps:next(It) of
        none -> [];
        {K, _, Next} -> [K | first_keys(Next, N - 1)]
    end.

key(I) when I rem 5 =:= 0 -> I;
key(I) when I rem 5 =:= 1 -> integer_to_binary(I);
key(I) when I rem 5 =:= 2 -> {I, I rem 7};
key(I) when I rem 5 =:= 3 -> I * 1.5;
key(I) -> [I, I + 1].
