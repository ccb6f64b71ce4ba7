%% Map instructions and the maps module: construction, update with => and
%% :=, matching, guards, errors, and large (hash-trie) maps printed in
%% BEAM's order (keys without atoms: BEAM hashes an atom by its index in
%% its own atom table, which no other VM can reproduce).
-module(run_maps).
-export([main/0]).

main() ->
    M0 = #{a => 1, b => 2},
    M1 = M0#{c => 3},
    M2 = M1#{a := 10},
    io:format("~p ~p ~p~n", [M0, M1, M2]),
    #{a := A, c := C} = M2,
    io:format("~p ~p~n", [A, C]),
    io:format("~p~n", [[classify(X) || X <- [M0, #{}, #{b => 5}, not_a_map]]]),
    io:format("~p~n", [try M0#{zz := 1} catch C1:R1 -> {C1, R1} end]),
    io:format("~p~n", [try (id(not_a_map))#{a => 1} catch C2:R2 -> {C2, R2} end]),
    io:format("~p~n", [try maps:get(id(zz), M0) catch C3:R3 -> {C3, R3} end]),
    io:format("~p ~p~n", [maps:get(zz, M0, default), maps:find(a, M0)]),
    io:format("~p~n", [lists:sort(maps:to_list(maps:merge(M0, #{b => 20, d => 4})))]),
    io:format("~p~n", [maps:fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], #{x => 1})]),
    io:format("~p~n", [maps:map(fun(_, V) -> V * 2 end, M1)]),
    io:format("~p~n", [maps:filter(fun(_, V) -> V > 1 end, M1)]),
    Big = maps:from_list([{I, I * I} || I <- lists:seq(1, 100)]),
    io:format("~p ~p~n", [map_size(Big), maps:get(77, Big)]),
    io:format("~w~n", [maps:keys(Big)]),
    io:format("~w~n", [maps:to_list(maps:remove(50, Big))]),
    io:format("~p~n", [maps:from_list([{{I, I + 1}, I} || I <- lists:seq(1, 40)])]),
    Floats = maps:from_list([{I * 0.5, I} || I <- lists:seq(1, 40)]),
    io:format("~w~n", [Floats]),
    io:format("~p~n", [#{1 => a, 1.0 => b}]),
    io:format("~p~n", [lists:sum([V || {_, V} <- maps:to_list(M2)])]),
    Counts = count(lists:seq(1, 1000), #{}),
    io:format("~p~n", [Counts]),
    io:format("~p~n", [is_map_key(a, M0) andalso not is_map_key(q, M0)]).

classify(M) when is_map(M), is_map_key(a, M) -> has_a;
classify(#{b := B}) when B > 1 -> {b, B};
classify(M) when is_map(M) -> other_map;
classify(_) -> not_map.

count([], Acc) -> Acc;
count([X | Xs], Acc) ->
    K = X rem 7,
    count(Xs, Acc#{K => maps:get(K, Acc, 0) + 1}).

id(X) -> X.
