%% Large ETS tables: 100,000 objects inserted, looked up, deleted,
%% counted and listed (too big for the GC-stress pass: its lists of keys
%% are collected at every safe point).
-module(run_ets_large).
-export([main/0]).

p(X) -> io:format("~p~n", [X]).

main() ->
    large().

large() ->
    [begin
         T = ets:new(big, [Type]),
         N = 100000,
         [ets:insert(T, {I, I * 2, integer_to_list(I)}) || I <- lists:seq(1, N)],
         p({Type, ets:info(T, size)}),
         p(lists:sum([element(2, hd(ets:lookup(T, I))) || I <- lists:seq(1, N, 7)])),
         [ets:delete(T, I) || I <- lists:seq(1, N, 2)],
         p(ets:info(T, size)),
         p(ets:select_count(T, [{{'$1', '_', '_'}, [{'<', '$1', 1000}], [true]}])),
         p(length(ets:tab2list(T))),
         ets:delete(T)
     end || Type <- [set, ordered_set]].
