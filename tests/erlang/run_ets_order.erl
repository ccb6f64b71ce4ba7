%% Hash tables (set, bag, duplicate_bag) traverse in BEAM's bucket order:
%% tab2list, first/next walks, select and match (whole and in chunks),
%% slot/2, foldl, for many key kinds, sizes across the bucket splits at
%% 256, 512 and 2048 buckets and back down as keys are deleted, bags with
%% repeated keys, write_concurrency false/true/auto and read_concurrency,
%% and fixed tables (deleted keys keep their place). Nothing is sorted.
-module(run_ets_order).
-export([main/0]).

p(X) -> io:format("~w~n", [X]).

opts() ->
    [[], [{write_concurrency, true}], [{write_concurrency, auto}],
     [{read_concurrency, true}], [{write_concurrency, true}, {read_concurrency, true}],
     [{write_concurrency, true}, {decentralized_counters, true}]].

keys(N) ->
    Kinds = [fun(I) -> I end,
             fun(I) -> -I end,
             fun(I) -> I * 1000000000000000000000 end,
             fun(I) -> I / 3 end,
             fun(I) -> list_to_atom("k" ++ integer_to_list(I)) end,
             fun(I) -> integer_to_binary(I) end,
             fun(I) -> {I, <<"x">>} end,
             fun(I) -> [I, I] end],
    [(lists:nth(I rem length(Kinds) + 1, Kinds))(I) || I <- lists:seq(1, N)].

walk(T) -> walk(T, ets:first(T), []).
walk(_, '$end_of_table', Acc) -> lists:reverse(Acc);
walk(T, K, Acc) -> walk(T, ets:next(T, K), [K | Acc]).

slots(T) -> slots(T, 0, []).
slots(T, I, Acc) ->
    case ets:slot(T, I) of
        '$end_of_table' -> {I, lists:reverse(Acc)};
        [] -> slots(T, I + 1, Acc);
        L -> slots(T, I + 1, [{I, L} | Acc])
    end.

chunks(T, N) -> follow(ets:select(T, [{'_', [], ['$_']}], N), []).

follow('$end_of_table', Acc) -> lists:reverse(Acc);
follow({L, C}, Acc) -> follow(ets:select(C), [L | Acc]).

show(T, Small) ->
    All = [ets:tab2list(T), walk(T), slots(T), chunks(T, 7), chunks(T, 100),
           ets:match(T, {'$1', '_'}), ets:select(T, [{{'$1', '_'}, [], ['$1']}]),
           ets:foldl(fun(O, A) -> [O | A] end, [], T),
           ets:info(T, size)],
    case Small of
        true -> [p(X) || X <- All];
        false -> p([erlang:phash2(X) || X <- All])
    end.

main() ->
    small(),
    sizes(),
    bags(),
    shrink(),
    fixed(),
    keyed(),
    clear(),
    writes(),
    big_select_delete(),
    counters().

small() ->
    [begin
         T = ets:new(t, [Type | O]),
         ets:insert(T, [{K, v} || K <- keys(30)]),
         show(T, true),
         ets:delete(T)
     end || Type <- [set, bag], O <- opts()].

sizes() ->
    [begin
         T = ets:new(t, [set | O]),
         [ets:insert(T, {K, N}) || K <- keys(N)],
         show(T, N < 40),
         ets:delete(T)
     end || O <- opts(), N <- [0, 1, 5, 255, 256, 257, 300, 511, 512, 513, 600, 2049, 2500]].

bags() ->
    [begin
         T = ets:new(t, [Type | O]),
         [ets:insert(T, {K rem 37, K}) || K <- lists:seq(1, 400)],
         [ets:insert(T, {K rem 37, K}) || K <- lists:seq(1, 50)],
         ets:delete_object(T, {3, 3}),
         ets:delete(T, 5),
         [ets:insert(T, {5, K}) || K <- [c, a, b]],
         show(T, false),
         p(ets:lookup(T, 5)),
         p(ets:slot(T, 1)),
         p(chunks(T, 30)),
         ets:delete(T)
     end || Type <- [bag, duplicate_bag], O <- opts()].

%% Grow past two extra segments, then delete until the table joins buckets.
shrink() ->
    [begin
         T = ets:new(t, [set | O]),
         %% (a long list inserted at once into a write_concurrency table
         %% lands in an order that depends on where BEAM yields)
         [ets:insert(T, {K}) || K <- lists:seq(1, 5000)],
         p({ets:info(T, size), erlang:phash2(slots(T))}),
         [ets:delete(T, K) || K <- lists:seq(1, 4900)],
         show(T, false),
         [ets:insert(T, {K}) || K <- lists:seq(-300, -1)],
         show(T, false),
         p(ets:select_delete(T, [{{'$1'}, [{'<', '$1', 4990}], [true]}])),
         show(T, false),
         ets:delete(T)
     end || O <- [[], [{write_concurrency, true}], [{write_concurrency, auto}]]].

%% A fixed table neither grows nor shrinks; deleted keys keep their places
%% and come back there.
fixed() ->
    [begin
         T = ets:new(t, [Type | O]),
         ets:insert(T, [{K, 1} || K <- lists:seq(1, 200)]),
         ets:safe_fixtable(T, true),
         [ets:delete(T, K) || K <- lists:seq(1, 100, 3)],
         ets:insert(T, [{K, 2} || K <- lists:seq(1, 100, 6)]),
         ets:insert(T, [{K, 3} || K <- lists:seq(201, 400)]),
         p(ets:next(T, 4)),
         show(T, false),
         ets:safe_fixtable(T, false),
         show(T, false),
         ets:insert(T, {1000, 4}),
         show(T, false),
         ets:delete(T)
     end || Type <- [set, bag], O <- [[], [{write_concurrency, true}]]].

%% Specifications that name their keys visit those keys' buckets in
%% clause order.
keyed() ->
    [begin
         T = ets:new(t, [set | O]),
         ets:insert(T, [{K, K} || K <- lists:seq(1, 300)]),
         Ms = [{{K, '$1'}, [], ['$1']} || K <- [7, 300, 1, 999, 42, 7]],
         p(ets:select(T, Ms)),
         p(chunks_ms(T, Ms, 2)),
         ets:delete(T)
     end || O <- [[], [{write_concurrency, true}]]].

chunks_ms(T, Ms, N) -> follow(ets:select(T, Ms, N), []).

clear() ->
    T = ets:new(t, [set]),
    ets:insert(T, [{K} || K <- lists:seq(1, 1000)]),
    ets:delete_all_objects(T),
    ets:insert(T, [{K} || K <- lists:seq(1, 20)]),
    show(T, true).

%% Other writes: update_counter's default, insert_new, take, delete_object,
%% and delete_all_objects of a fixed table.
writes() ->
    [begin
         T = ets:new(t, [Type | O]),
         [ets:insert(T, {K rem 40, K}) || K <- lists:seq(1, 120)],
         case Type of
             set ->
                 [ets:update_counter(T, K, 1, {K, 0}) || K <- lists:seq(30, 300)],
                 p(ets:insert_new(T, [{1000, a}, {1001, b}])),
                 p(ets:insert_new(T, [{1002, a}, {1, b}]));
             _ ->
                 ets:delete_object(T, {7, 47}),
                 ets:insert(T, [{7, x}, {7, y}, {8, x}])
         end,
         p(ets:take(T, 5)),
         show(T, false),
         ets:safe_fixtable(T, true),
         p(ets:take(T, 6)),
         ets:delete_object(T, {9, 9}),
         ets:delete_object(T, {9, 49}),
         ets:insert(T, [{9, z}, {6, z}, {5000, z}]),
         show(T, false),
         p(ets:delete_all_objects(T)),
         ets:insert(T, [{K, w} || K <- lists:seq(1, 60)]),
         show(T, false),
         ets:safe_fixtable(T, false),
         show(T, false),
         ets:insert(T, {61, w}),
         show(T, false),
         p([ets:select_reverse(T, [{{'$1', '_'}, [{'<', '$1', 10}], ['$1']}]),
            follow(ets:select_reverse(T, [{{'$1', '_'}, [], ['$1']}], 9), []),
            follow(ets:match(T, {'$1', '_'}, 11), []),
            follow(ets:match_object(T, {'_', w}, 13), [])]),
         ets:delete(T)
     end || Type <- [set, bag, duplicate_bag], O <- [[], [{write_concurrency, true}]]].

%% A select_delete that visits more than 1000 objects yields on BEAM,
%% which fixes the table (unless the caller is its only writer): it does
%% not shrink then.
big_select_delete() ->
    [begin
         T = ets:new(t, [set | O]),
         [ets:insert(T, {K}) || K <- lists:seq(1, N)],
         p(ets:select_delete(T, [{{'$1'}, [{'>', '$1', 10}], [true]}])),
         show(T, false),
         ets:insert(T, {0}),
         show(T, false),
         ets:delete(T)
     end || O <- [[], [{write_concurrency, true}], [public], [public, {write_concurrency, true}]],
            N <- [900, 5000]].

counters() ->
    p([ets:info(ets:new(t, O), decentralized_counters)
       || O <- [[], [{write_concurrency, true}], [{write_concurrency, auto}],
                [{decentralized_counters, true}],
                [{write_concurrency, true}, {decentralized_counters, true}],
                [{decentralized_counters, true}, {write_concurrency, true}],
                [{write_concurrency, auto}, {decentralized_counters, false}],
                [{decentralized_counters, false}, {write_concurrency, auto}],
                [{write_concurrency, auto}, {write_concurrency, true}],
                [{write_concurrency, true}, {write_concurrency, auto}],
                [bag, {write_concurrency, auto}],
                [ordered_set], [ordered_set, {write_concurrency, true}],
                [ordered_set, {write_concurrency, auto}],
                [ordered_set, {decentralized_counters, true}],
                [ordered_set, {write_concurrency, true}, {decentralized_counters, false}]]]).
