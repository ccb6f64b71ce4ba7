%% Large ETS tables: 100,000 objects inserted, looked up, deleted,
%% counted and listed, and large objects (too big for the GC-stress pass:
%% its lists of keys are collected at every safe point).
-module(run_ets_large).
-export([main/0]).

p(X) -> io:format("~p~n", [X]).

main() ->
    large(),
    off_heap().

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

%% Objects live off the process heaps: big binaries, deep terms and long
%% lists go in and come out whole, after the writer collected or died.
off_heap() ->
    Self = self(),
    T = ets:new(oh, [public, set]),
    Big = binary:copy(<<"0123456789abcdef">>, 65536),
    Deep = lists:foldl(fun(I, Acc) -> {I, Acc} end, leaf, lists:seq(1, 50000)),
    Long = lists:seq(1, 100000),
    W = spawn(fun() ->
                      ets:insert(T, [{big, Big}, {deep, Deep}, {long, Long},
                                     {sub, binary:part(Big, 10, 20)}, {fn, fun lists:sum/1}]),
                      garbage_collect(),
                      Self ! written
              end),
    receive written -> ok end,
    M = monitor(process, W),
    receive {'DOWN', M, _, _, _} -> ok end,
    garbage_collect(),
    [{big, B}] = ets:lookup(T, big),
    p({byte_size(B), B =:= Big, erlang:md5(B) =:= erlang:md5(Big)}),
    p(ets:lookup(T, deep) =:= [{deep, Deep}]),
    p(ets:lookup_element(T, long, 2) =:= Long),
    p(ets:lookup(T, sub)),
    p((ets:lookup_element(T, fn, 2))([1, 2, 3])),
    p(ets:match_object(T, {long, Long}) =:= [{long, Long}]),
    p(ets:select_count(T, [{{'_', Long}, [], [true]}])),
    p(ets:member(T, Deep)),
    ets:insert(T, {Deep, Long}),
    p({ets:member(T, Deep), length(ets:lookup_element(T, Deep, 2))}),
    p(ets:delete(T, big)),
    p(ets:info(T, size)),
    ets:delete(T).
