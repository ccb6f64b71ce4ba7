%% Word-frequency counting in a map: `M#{K := V + 1}` and
%% `maps:update_with/4` over many distinct binary keys (a large
%% hash-array-mapped trie), then a fold over the counts.
-module(bench_map_count).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Words = words(N, 12345, []),
    {Micros, Result} = timer:tc(fun() ->
        M1 = count(Words, #{}),
        M2 = count_with(Words, #{}),
        {map_size(M1), maps:get(<<"w7">>, M1, 0), M1 =:= M2,
         maps:fold(fun(_, V, A) -> max(V, A) end, 0, M2)}
    end),
    io:format("~w ~w~n", [Micros, Result]).

count([W | Ws], M) ->
    case M of
        #{W := C} -> count(Ws, M#{W := C + 1});
        #{} -> count(Ws, M#{W => 1})
    end;
count([], M) -> M.

count_with([W | Ws], M) ->
    count_with(Ws, maps:update_with(W, fun(C) -> C + 1 end, 1, M));
count_with([], M) -> M.

%% N words drawn from about N div 4 distinct ones (a linear congruential
%% sequence, the same on every VM).
words(0, _, Acc) -> Acc;
words(N, Seed, Acc) ->
    Next = (Seed * 1103515245 + 12345) band 16#7FFFFFFF,
    K = (Next bsr 8) rem (N div 4 + 1),
    words(N - 1, Next, [<<"w", (integer_to_binary(K))/binary>> | Acc]).
