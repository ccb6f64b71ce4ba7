%% ets:info(T, memory) in BEAM 25's words: an empty table by its kind and
%% concurrency options, each object its flat size and the hash or tree
%% node's own words, a hash table's extra segments as it grows (also with
%% write_concurrency), objects replaced and deleted; digraph:info/1 sums
%% its three tables. Not compressed tables.
-module(run_ets_memory).
-export([main/0]).

main() ->
    Big = binary:copy(<<"x">>, 100),
    [begin
         T = ets:new(x, [Type]),
         M0 = ets:info(T, memory),
         ets:insert(T, {a, 1}), M1 = ets:info(T, memory),
         ets:insert(T, {b, {label, b}}), M2 = ets:info(T, memory),
         ets:insert(T, [{I, [I], "str", <<"bin">>} || I <- lists:seq(1, 10)]), M3 = ets:info(T, memory),
         ets:insert(T, {['$e' | 1], a, b, []}), M4 = ets:info(T, memory),
         ets:insert(T, {c, 1.5, 1 bsl 70, self(), make_ref()}), M5 = ets:info(T, memory),
         ets:delete(T, a), M6 = ets:info(T, memory),
         ets:insert(T, {b, Big}), M7 = ets:info(T, memory),
         ets:delete_all_objects(T), M8 = ets:info(T, memory),
         io:format("~p ~p~n", [Type, [M0, M1, M2, M3, M4, M5, M6, M7, M8]]),
         ets:delete(T)
     end || Type <- [set, ordered_set, bag, duplicate_bag]],
    [begin
         T = ets:new(x, [Type]),
         R = [begin ets:insert(T, [{I} || I <- lists:seq(1, N)]), ets:info(T, memory) end
              || N <- [1, 10, 255, 256, 257, 511, 512, 513, 1000, 2000, 5000, 10000]],
         ets:delete_all_objects(T),
         io:format("~p ~p ~p~n", [Type, R, ets:info(T, memory)]),
         ets:delete(T)
     end || Type <- [set, ordered_set]],
    Sized = fun(Opts, Objs) ->
                    T = ets:new(x, Opts),
                    M0 = ets:info(T, memory),
                    ets:insert(T, Objs),
                    R = {M0, ets:info(T, memory) - M0, ets:info(T, size)},
                    ets:delete(T),
                    R
            end,
    WC = {write_concurrency, true}, RC = {read_concurrency, true},
    io:format("~p~n", [[Sized(O, [{1}]) || O <- [[set, WC], [set, WC, {decentralized_counters, true}], [set, RC], [set, WC, RC],
                                               [set, WC, RC, {decentralized_counters, true}], [ordered_set, RC], [ordered_set, WC],
                                               [ordered_set, WC, RC], [ordered_set, WC, {decentralized_counters, false}], [bag, WC],
                                               [duplicate_bag, RC], [set, {decentralized_counters, true}], [named_table, public, set]]]]),
    io:format("~p~n", [[Sized([set, WC], [{I} || I <- lists:seq(1, 300)]), Sized([ordered_set, WC], [{I} || I <- lists:seq(1, 1000)]),
                        Sized([set], [{a, Big}]), Sized([set], [{a, <<"small">>}]), Sized([bag], [{a, 1}, {a, 2}, {b, 3}]),
                        Sized([duplicate_bag], [{a, 1}, {a, 1}]), Sized([set], [{a, make_ref()}]), Sized([set], [{a, self()}]),
                        Sized([set], [{a, fun() -> ok end}]), Sized([set], [{a, #{k => v}}]), Sized([bag], [{I rem 3, I} || I <- lists:seq(1, 2000)]),
                        Sized([set, {keypos, 2}], [{x, 1}])]]),
    G = digraph:new([acyclic]),
    [digraph:add_vertex(G, V, {label, V}) || V <- [a, b, c, d, e]],
    [digraph:add_edge(G, X, Y) || {X, Y} <- [{a, b}, {b, c}, {a, c}, {c, d}]],
    io:format("~p~n", [digraph:info(G)]),
    digraph:del_vertex(G, c),
    io:format("~p~n", [digraph:info(G)]),
    ok.
