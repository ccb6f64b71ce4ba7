%% `M#{K := V}` on hash-trie maps (one walk down the trie, not a lookup
%% then a put): every key updated across levels, a missing key failing
%% with badkey (in a large map and after updates), updates that change
%% nothing, float keys 0.0 and -0.0, and the counting loop of
%% bench_map_count, checked by sums, sizes and order.
-module(run_maps_update).
-export([main/0]).

main() ->
    [sizes(N) || N <- [33, 100, 1000, 20000]],
    Big = maps:from_list([{I, I} || I <- lists:seq(1, 500)]),
    io:format("~p~n", [[try (id(Big))#{K := 0} catch error:R -> R end
                        || K <- [0, 501, a, <<"1">>, 1.0]]]),
    Same = Big#{7 := 7},
    io:format("~p ~p~n", [Same =:= Big, maps:get(7, Big#{7 := seven})]),
    Up = lists:foldl(fun(K, M) -> M#{K := K * 2} end, Big, lists:seq(1, 500, 3)),
    io:format("~p ~p ~p~n", [map_size(Up), lists:sum(maps:values(Up)), maps:get(499, Up)]),
    io:format("~w~n", [lists:sublist(maps:to_list(Up), 20)]),
    Floats = maps:from_list([{0.0, zero} | [{I / 4, I} || I <- lists:seq(1, 40)]]),
    io:format("~p~n", [try Floats#{-0.0 := minus} catch error:R2 -> R2 end]),
    Words = [<<"w", (integer_to_binary(I rem 997))/binary>> || I <- lists:seq(1, 5000)],
    Counts = count(Words, #{}),
    io:format("~p ~p ~p~n", [map_size(Counts), maps:get(<<"w5">>, Counts),
                             lists:sum(maps:values(Counts))]),
    io:format("~p~n", [lists:sublist(maps:to_list(Counts), 8)]),
    ok.

sizes(N) ->
    M = maps:from_list([{<<"k", (integer_to_binary(I))/binary>>, I} || I <- lists:seq(1, N)]),
    M2 = maps:fold(fun(K, V, Acc) -> Acc#{K := V + 1} end, M, M),
    io:format("~p ~p ~p ~p~n", [N, map_size(M2), lists:sum(maps:values(M2)),
                                try M2#{<<"nope">> := 1} catch error:R -> R end]).

count([], Counts) -> Counts;
count([Word | Rest], Counts) ->
    Next = case Counts of
               #{Word := N} when is_integer(N) -> Counts#{Word := N + 1};
               _ -> Counts#{Word => 1}
           end,
    count(Rest, Next).

id(X) -> X.
