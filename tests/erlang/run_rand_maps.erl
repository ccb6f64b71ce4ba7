-module(run_rand_maps).
-export([main/0]).
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).

%% Randomized differential test of maps: random sequences of operations
%% (put, update with :=, remove, take, merge, from_list, keys/values/
%% to_list, iterators, folds, filters, map patterns in function heads and
%% cases, equality, term order, hashing, the external format) on maps whose
%% sizes cross 32 keys (flatmap to hash trie and back), with keys of mixed
%% types (integers next to equal floats, 0.0 and -0.0, bignums, binaries,
%% tuples, lists, maps). Maps of over 32 keys iterate in hash order, and
%% BEAM hashes atoms, pids, refs and funs by their table index, so those
%% keys are only used by sequences that keep their maps small (and print a
%% larger map sorted). Every result (or exception class and reason) is
%% printed, a line per operation.

-ifndef(SEED).
-define(SEED, 5).
-endif.
-ifndef(SEQS).
-define(SEQS, 30).
-endif.

main() ->
    rand:seed(exsss, {4, 5, ?SEED}),
    lists:foreach(fun sequence/1, lists:seq(1, ?SEQS)),
    patterns().

%% ---------------------------------------------------------------- keys

pick(L) -> lists:nth(rand:uniform(length(L)), L).

%% A pool of keys for one sequence: `small` pools may hold atoms.
pool(Mode) ->
    Twins = lists:append([twins() || _ <- lists:seq(1, 4)]),
    Keys = [key(Mode, 2) || _ <- lists:seq(1, 30 + rand:uniform(30))],
    lists:usort(Twins ++ Keys).

%% Keys that are equal (==) but not exactly equal, or differ only slightly.
twins() ->
    I = pick([0, 1, -1, 7, 1 bsl 27, 1 bsl 53, -(1 bsl 40)]),
    pick([[I, float(I)], [0.0, -0.0], [{I}, {float(I)}], [[I], [float(I)]],
          [#{I => 1}, #{float(I) => 1}], [<<I:64>>, <<I:63>>]]).

key(Mode, D) ->
    case rand:uniform(12) of
        R when R =< 3 -> rand:uniform(100) - 50;
        4 -> pick([1 bsl 59, -(1 bsl 59), 1 bsl 60, 1 bsl 64, -(1 bsl 64) - 1,
                   1 bsl 200 + rand:uniform(1000)]);
        5 -> pick([0.5, -2.5, 1.0e300, 3.0, float(rand:uniform(100))]);
        6 -> rand:bytes(pick([0, 1, 4, 70]));
        7 -> <<(rand:uniform(1000)):(rand:uniform(20))>>;
        8 when D > 0 -> list_to_tuple([key(Mode, D - 1) || _ <- lists:seq(1, rand:uniform(3) - 1)]);
        9 when D > 0 -> [key(Mode, D - 1) || _ <- lists:seq(1, rand:uniform(3) - 1)];
        10 when D > 0 -> maps:from_list([{key(Mode, D - 1), 1} || _ <- lists:seq(1, rand:uniform(3))]);
        R when R >= 11, Mode =:= small -> pick([a, b, k, true, undefined, 'Z', '']);
        _ -> rand:uniform(1 bsl 40)
    end.

val() ->
    case rand:uniform(6) of
        1 -> rand:uniform(1000);
        2 -> pick([a, b, [], {}, #{}, <<"v">>]);
        3 -> float(rand:uniform(10));
        4 -> #{rand:uniform(3) => x};
        5 -> [rand:uniform(5)];
        6 -> 1 bsl 70
    end.

%% ---------------------------------------------------------------- sequences

t(F) -> try F() catch C:R -> {C, R} end.

sequence(S) ->
    Mode = pick([small, large, large]),
    Pool = pool(Mode),
    K = fun() -> pick(Pool) end,
    M0 = case rand:uniform(3) of
             1 -> #{};
             2 -> maps:from_list([{K(), val()} || _ <- lists:seq(1, rand:uniform(10))]);
             3 -> maps:from_list([{K(), val()} || _ <- lists:seq(1, 28 + rand:uniform(12))])
         end,
    io:format("seq ~p ~p~n", [S, Mode]),
    steps(S, 1, 25, Mode, K, M0).

steps(_, I, N, Mode, _, M) when I > N ->
    io:format("  end ~w~n", [out(Mode, M)]);
steps(S, I, N, Mode, K, M) ->
    {Tag, R, M1} = op(rand:uniform(24), K, M),
    %% Keep small sequences small: their atoms must not reach hash order.
    M2 = case Mode of
             small when map_size(M1) > 30 ->
                 maps:from_list(lists:sublist(lists:sort(maps:to_list(M1)), 20));
             _ -> M1
         end,
    io:format("  ~p ~p ~w ~w~n", [I, Tag, out(Mode, R), map_size(M2)]),
    steps(S, I + 1, N, Mode, K, M2).

%% A result as printed: maps (also inside tuples and lists) of small
%% sequences that grew over 32 keys become sorted lists.
out(small, M) when is_map(M), map_size(M) > 32 -> {big, lists:sort(maps:to_list(M))};
out(small, T) when is_tuple(T) -> list_to_tuple(out(small, tuple_to_list(T)));
out(small, [H | T]) -> [out(small, H) | out(small, T)];
out(_, X) -> X.

%% Operation N on map M with keys from K(): {Tag, Result, NewMap}.
op(1, K, M) -> Key = K(), V = val(), New = maps:put(Key, V, M), {put, {Key, New}, New};
op(2, K, M) -> Key = K(), V = val(), New = M#{Key => V}, {put_syntax, Key, New};
op(3, K, M) ->
    Key = K(),
    case t(fun() -> M#{Key := updated} end) of
        New when is_map(New) -> {update, {Key, New}, New};
        E -> {update, E, M}
    end;
op(4, K, M) ->
    Key = K(),
    R = t(fun() -> maps:update(Key, upd, M) end),
    {update_fun, R, case R of #{} -> R; _ -> M end};
op(5, K, M) -> Key = K(), New = maps:remove(Key, M), {remove, {Key, map_size(New)}, New};
op(6, K, M) ->
    Key = K(),
    case maps:take(Key, M) of
        {V, New} -> {take, {Key, V, New}, New};
        error -> {take, {Key, error}, M}
    end;
op(7, K, M) ->
    Key = K(),
    {get, {Key, t(fun() -> maps:get(Key, M) end), maps:get(Key, M, dflt), maps:find(Key, M),
           maps:is_key(Key, M), t(fun() -> #{Key := V} = M, V end),
           case M of #{Key := V2} -> {yes, V2}; #{} -> no end}, M};
op(8, K, M) ->
    Other = maps:from_list([{K(), val()} || _ <- lists:seq(1, pick([1, 3, 10, 35]))]),
    case rand:uniform(2) of
        1 -> New = maps:merge(M, Other), {merge, New, New};
        2 -> New = maps:merge(Other, M), {merge_rev, New, New}
    end;
op(9, K, M) ->
    L = maps:to_list(M) ++ [{K(), val()} || _ <- lists:seq(1, rand:uniform(8))],
    New = maps:from_list(lists:reverse(L)),
    {from_list, {New, New =:= maps:from_list(L)}, New};
op(10, _, M) -> {lists, {maps:keys(M), maps:values(M), maps:to_list(M)}, M};
op(11, _, M) ->
    {iter, {walk(maps:next(maps:iterator(M)), 100), walk(maps:next(maps:iterator(M)), 3)}, M};
op(12, _, M) ->
    F = fun(Key, V, Acc) -> [{Key, V} | Acc] end,
    {fold, {maps:fold(F, [], M), maps:size(maps:filter(fun(Key, _) -> erlang:phash2(Key) rem 2 =:= 0 end, M)),
            maps:map(fun(_, V) -> {V} end, M)}, M};
op(13, _, M) ->
    New = maps:filter(fun(Key, _) -> erlang:phash2(Key, 3) =/= 0 end, M),
    {filter, New, New};
op(14, K, M) ->
    Ks = [K() || _ <- lists:seq(1, rand:uniform(6))],
    {with, {maps:with(Ks, M), maps:without(Ks, M)}, maps:without(Ks, M)};
op(15, K, M) ->
    Key = K(),
    Copy = maps:from_list(lists:reverse(maps:to_list(M))),
    Other = M#{Key => val()},
    Fewer = maps:remove(Key, M),
    {compare, [compare(M, X) || X <- [Copy, Other, Fewer, #{}, maps:map(fun(_, V) -> V end, M)]], M};
op(16, _, M) ->
    B = term_to_binary(M),
    {hash, {erlang:phash2(M), erlang:phash2(M, 1 bsl 32), erlang:phash(M, 1 bsl 32),
            binary_to_term(B) =:= M, erlang:md5(term_to_binary(M, [deterministic])),
            byte_size(B), erlang:external_size(M)}, M};
op(17, _, M) -> {head, head(M), M};
op(18, K, M) ->
    Key = K(),
    R = t(fun() -> maps:update_with(Key, fun(V) -> {w, V} end, M) end),
    R2 = maps:update_with(Key, fun(V) -> {w, V} end, init, M),
    {update_with, {R, Key}, R2};
op(19, K, M) ->
    Other = maps:from_list([{K(), val()} || _ <- lists:seq(1, rand:uniform(12))]),
    {merge_with, {maps:merge_with(fun(Key, A, B) -> {Key, A, B} end, M, Other),
                  maps:intersect(M, Other), maps:intersect_with(fun(_, A, _) -> A end, Other, M)}, M};
op(20, K, M) ->
    {K1, K2, K3} = {K(), K(), K()},
    New = M#{K1 => 1, K2 => 2, K3 => 3},
    {multi_put, {K1, K2, K3, New}, New};
op(21, K, M) ->
    {K1, K2} = {K(), K()},
    R = t(fun() -> M#{K1 := a, K2 := b} end),
    {multi_update, {K1, K2, R}, case R of #{} -> R; _ -> M end};
op(22, K, M) ->
    {K1, K2, K3} = {K(), K(), K()},
    New = #{K1 => x, K2 => y, K3 => z},
    {literal, {New, map_size(New)}, maps:merge(M, New)};
op(23, K, M) ->
    Ks = [K() || _ <- lists:seq(1, rand:uniform(40))],
    {from_keys, {maps:from_keys(Ks, 0),
                 maps:groups_from_list(fun(X) -> erlang:phash2(X, 4) end, Ks)}, M};
op(24, _, M) ->
    L = maps:to_list(M),
    {filtermap, {maps:filtermap(fun(_, V) when is_integer(V) -> {true, V + 1};
                                   (_, V) -> is_atom(V) end, M),
                 maps:to_list(maps:from_list(L)) =:= L,
                 lists:sort(maps:keys(M)) =:= lists:usort([X || {X, _} <- L])}, M}.

walk(none, _) -> [];
walk(_, 0) -> more;
walk({Key, V, I}, N) -> [{Key, V} | walk(maps:next(I), N - 1)].

compare(A, B) -> {A == B, A =:= B, A < B, A > B, erlang:phash2(A) =:= erlang:phash2(B)}.

%% Map patterns in function heads, with literal keys.
head(#{1 := A, 1.0 := B}) -> {int_and_float, A, B};
head(#{0.0 := A}) -> {zero, A};
head(#{a := A, b := B}) when A =/= B -> {ab, A, B};
head(#{{} := A, [] := B}) -> {empty, A, B};
head(#{7 := A} = M) when map_size(M) > 32 -> {seven_big, A};
head(#{7 := A}) -> {seven, A};
head(#{1 bsl 64 := A}) -> {big, A};
head(#{k := _, true := T}) -> {k_true, T};
head(M) when map_size(M) =:= 0 -> empty;
head(#{}) -> other.

%% Fixed cases: the head patterns on maps made to match them.
patterns() ->
    Ms = [#{1 => a, 1.0 => b}, #{0.0 => z}, #{-0.0 => mz}, #{a => 1, b => 2}, #{a => 1, b => 1},
          #{{} => e, [] => f}, #{7 => s}, maps:from_list([{I, I} || I <- lists:seq(1, 40)]),
          #{1 bsl 64 => big}, #{k => 1, true => t}, #{}, #{1 => a}, #{0 => z, 0.0 => f}],
    io:format("heads ~w~n", [[head(M) || M <- Ms]]),
    io:format("zeros ~w~n", [[#{0.0 => a} =:= #{-0.0 => a}, #{0.0 => a} == #{-0.0 => a},
                               maps:is_key(-0.0, #{0.0 => a}),
                               map_size(#{0.0 => a, -0.0 => b}),
                               erlang:phash2(#{0.0 => a}) =:= erlang:phash2(#{-0.0 => a})]]).
