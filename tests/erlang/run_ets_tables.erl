%% ETS tables: types, access rights, keypos, owners and heirs, counters,
%% traversal (sorted where BEAM's hash order cannot be matched). Large
%% tables are run_ets_large's.
-module(run_ets_tables).
-export([main/0]).

p(X) -> io:format("~p~n", [X]).
e(F) -> try F() of V -> V catch C:R -> {C, R} end.
s(L) when is_list(L) -> lists:sort(L);
s(X) -> X.

main() ->
    types(),
    errors(),
    counters(),
    traversal(),
    access(),
    owners(),
    concurrency(),
    ok.

types() ->
    [begin
         T = ets:new(t, [Type]),
         p({Type, ets:insert(T, [{a, 1}, {b, 2}, {a, 1}, {a, 3}, {1, x}, {1.0, y}])}),
         p(s(ets:lookup(T, a))),
         p({ets:lookup(T, 1), ets:lookup(T, 1.0)}),
         p({ets:member(T, a), ets:member(T, zz), ets:info(T, size)}),
         p(s(ets:tab2list(T))),
         p({ets:insert_new(T, {a, 9}), ets:insert_new(T, [{c, 1}, {d, 2}]), ets:insert_new(T, [{e, 1}, {a, 2}])}),
         p(s(ets:take(T, a))),
         p({ets:lookup(T, a), ets:delete(T, b), ets:lookup(T, b)}),
         ets:insert(T, [{k, 1}, {k, 2}]),
         p({ets:delete_object(T, {k, 1}), s(ets:lookup(T, k))}),
         p(catch ets:lookup_element(T, k, 2)),
         p(e(fun() -> ets:lookup_element(T, k, 3) end)),
         p(e(fun() -> ets:lookup_element(T, nokey, 1) end)),
         p(ets:info(T, type)),
         p(ets:delete_all_objects(T)),
         p({ets:info(T, size), ets:tab2list(T)}),
         p(ets:delete(T)),
         p({ets:info(T), e(fun() -> ets:lookup(T, a) end)})
     end || Type <- [set, ordered_set, bag, duplicate_bag]],
    K = ets:new(k, [{keypos, 2}, ordered_set]),
    ets:insert(K, [{x, 3, c}, {y, 1, a}, {z, 2, b}]),
    p({ets:tab2list(K), ets:lookup(K, 2), ets:info(K, keypos)}),
    p(e(fun() -> ets:insert(K, {only_one}) end)),
    p(e(fun() -> ets:insert(K, [{a, 1}, bad]) end)),
    p(ets:tab2list(K)),
    N = ets:new(named, [named_table, public]),
    p({N, ets:whereis(named) =/= undefined, ets:whereis(nothere)}),
    p(ets:insert(named, {q, 1})),
    p(e(fun() -> ets:new(named, [named_table]) end)),
    p(ets:rename(named, renamed)),
    p({ets:lookup(renamed, q), e(fun() -> ets:lookup(named, q) end)}),
    p([ets:info(renamed, I) || I <- [name, named_table, protection, size, keypos, type, owner]] =:=
      [renamed, true, public, 1, 1, set, self()]),
    Info = ets:info(renamed),
    p([K1 || {K1, _} <- Info]),
    p(ets:delete(renamed)),
    ok.

errors() ->
    p(e(fun() -> ets:new(1, []) end)),
    p(e(fun() -> ets:new(x, [bogus]) end)),
    p(e(fun() -> ets:new(x, [{keypos, 0}]) end)),
    p(e(fun() -> ets:new(x, foo) end)),
    p(e(fun() -> ets:new(x, [{heir, foo, bar}]) end)),
    T = ets:new(x, [{write_concurrency, true}, {read_concurrency, true}, compressed,
                    {decentralized_counters, true}, {heir, none}]),
    p([ets:info(T, I) || I <- [write_concurrency, read_concurrency, compressed, decentralized_counters, heir]]),
    p(e(fun() -> ets:insert(T, foo) end)),
    p(e(fun() -> ets:insert(T, {}) end)),
    p(e(fun() -> ets:lookup(nosuchtable, 1) end)),
    p(e(fun() -> ets:lookup(1, 1) end)),
    p(e(fun() -> ets:info(T, bogus) end)),
    p({ets:info(nosuchtable), ets:info(nosuchtable, size), e(fun() -> ets:info(1) end)}),
    p(e(fun() -> ets:first(nosuch) end)),
    p(e(fun() -> ets:delete(nosuch) end)),
    p(e(fun() -> ets:update_counter(T, nokey, 1) end)),
    p(e(fun() -> ets:update_element(T, k, {1, x}) end)),
    ets:delete(T).

counters() ->
    T = ets:new(c, [set]),
    ets:insert(T, {c, 0, 10, "s"}),
    p(ets:update_counter(T, c, 1)),
    p(ets:update_counter(T, c, {3, -4})),
    p(ets:update_counter(T, c, [{2, 5}, {3, 1}, {2, -1}])),
    p(ets:update_counter(T, c, {2, 100, 50, 7})),
    p(ets:update_counter(T, c, {3, -100, 0, -1})),
    p(ets:update_counter(T, c, 1 bsl 70)),
    p(ets:update_counter(T, c, -(1 bsl 70))),
    p(ets:lookup(T, c)),
    p(e(fun() -> ets:update_counter(T, c, {4, 1}) end)),
    p(e(fun() -> ets:update_counter(T, c, {1, 1}) end)),
    p(e(fun() -> ets:update_counter(T, c, {5, 1}) end)),
    p(e(fun() -> ets:update_counter(T, c, foo) end)),
    p(ets:lookup(T, c)),
    p(ets:update_counter(T, d, 5, {d, 10})),
    p(ets:update_counter(T, e, {3, 2}, {ignored, 1, 1})),
    p(ets:update_counter(T, f, [{2, 1}, {2, 1}], {f, 0})),
    p(e(fun() -> ets:update_counter(T, g, 1, {g}) end)),
    p(s(ets:tab2list(T))),
    p(ets:update_element(T, c, {2, new})),
    p(ets:update_element(T, c, [{3, a}, {4, b}])),
    p(ets:update_element(T, zz, {2, x})),
    p(e(fun() -> ets:update_element(T, c, {1, x}) end)),
    p(e(fun() -> ets:update_element(T, c, {9, x}) end)),
    p(ets:lookup(T, c)),
    B = ets:new(b, [bag]),
    ets:insert(B, {a, 1}),
    p(e(fun() -> ets:update_counter(B, a, 1) end)),
    p(e(fun() -> ets:update_element(B, a, {2, 1}) end)).

traversal() ->
    O = ets:new(o, [ordered_set]),
    ets:insert(O, [{K} || K <- [b, 3, "str", {t}, 1.5, a, 2, [], <<"bin">>]]),
    p(ets:tab2list(O)),
    p({ets:first(O), ets:last(O), ets:next(O, 2), ets:prev(O, 2), ets:next(O, 2.5), ets:prev(O, a)}),
    p({ets:next(O, <<"bin">>), ets:prev(O, 1.5), ets:next(O, zzz)}),
    p(walk(O, ets:first(O), fun ets:next/2)),
    p(walk(O, ets:last(O), fun ets:prev/2)),
    p(ets:foldl(fun({K}, A) -> [K | A] end, [], O)),
    p(ets:foldr(fun({K}, A) -> [K | A] end, [], O)),
    p([ets:slot(O, I) || I <- [0, 1, 8, 9]]),
    p(e(fun() -> ets:slot(O, 10) end)),
    S = ets:new(s, [set]),
    ets:insert(S, [{K, K * K} || K <- lists:seq(1, 50)]),
    Keys = walk(S, ets:first(S), fun ets:next/2),
    p({length(Keys), lists:sort(Keys) =:= lists:seq(1, 50)}),
    p(lists:sort(ets:foldl(fun({K, _}, A) -> [K | A] end, [], S)) =:= lists:seq(1, 50)),
    p(e(fun() -> ets:next(S, 1000) end)),
    E = ets:new(e, [set]),
    p({ets:first(E), ets:last(E), ets:tab2list(E)}),
    p(ets:safe_fixtable(S, true)),
    p(ets:info(S, fixed)),
    p(ets:safe_fixtable(S, false)),
    p(ets:info(S, fixed)).

walk(_, '$end_of_table', _) -> [];
walk(T, K, F) -> [K | walk(T, F(T, K), F)].

access() ->
    Self = self(),
    [begin
         T = ets:new(a, [Acc]),
         ets:insert(T, {k, 1}),
         R = fun(F) ->
                     spawn(fun() -> Self ! {r, e(F)} end),
                     receive {r, V} -> V end
             end,
         p({Acc,
            R(fun() -> ets:lookup(T, k) end),
            R(fun() -> ets:insert(T, {k, 2}) end),
            R(fun() -> ets:info(T, size) end),
            R(fun() -> ets:delete(T, k) end),
            R(fun() -> ets:delete(T) end),
            R(fun() -> ets:give_away(T, self(), x) end),
            R(fun() -> ets:select(T, [{'_', [], [true]}]) end)}),
         catch ets:delete(T)
     end || Acc <- [public, protected, private]].

owners() ->
    Self = self(),
    P = spawn(fun() ->
                      T = ets:new(owned, [named_table, public]),
                      ets:insert(T, {x, 1}),
                      Self ! made,
                      receive stop -> ok end
              end),
    receive made -> ok end,
    p({ets:lookup(owned, x), ets:info(owned, owner) =:= P}),
    Ref = monitor(process, P),
    P ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    p({ets:info(owned), e(fun() -> ets:lookup(owned, x) end)}),
    %% Heirs.
    Q = spawn(fun() ->
                      T = ets:new(inherited, [named_table, {heir, Self, my_data}]),
                      ets:insert(T, {y, 2}),
                      Self ! made,
                      receive stop -> ok end
              end),
    receive made -> ok end,
    Q ! stop,
    receive {'ETS-TRANSFER', Tab, From, Data} -> p({Tab, From =:= Q, Data}) end,
    p({ets:info(inherited, owner) =:= Self, ets:lookup(inherited, y)}),
    p(ets:setopts(inherited, {heir, none})),
    p(ets:info(inherited, heir)),
    %% An heir that died first: the table goes.
    H = spawn(fun() -> ok end),
    W = monitor(process, H),
    receive {'DOWN', W, _, _, _} -> ok end,
    Q2 = spawn(fun() ->
                       ets:new(orphan, [named_table, {heir, H, x}]),
                       Self ! made,
                       receive stop -> ok end
               end),
    receive made -> ok end,
    M2 = monitor(process, Q2),
    Q2 ! stop,
    receive {'DOWN', M2, _, _, _} -> ok end,
    p(ets:info(orphan)),
    %% give_away.
    G = spawn(fun() ->
                      receive {'ETS-TRANSFER', T, F, D} ->
                              Self ! {got, T, F =:= Self, D, ets:info(T, owner) =:= self()}
                      end,
                      receive stop -> ok end
              end),
    T = ets:new(gift, []),
    p(ets:give_away(T, G, present)),
    receive {got, T2, B, D, O} -> p({T2 =:= T, B, D, O}) end,
    p(e(fun() -> ets:give_away(T, G, again) end)),
    p(e(fun() -> ets:give_away(inherited, self(), x) end)),
    p(e(fun() -> ets:give_away(inherited, not_a_pid, x) end)),
    p(e(fun() -> ets:insert(T, {x}) end)),
    p(lists:member(T, ets:all())),
    %% The owner's exit deletes the table; wait for it rather than race it.
    GM = monitor(process, G),
    G ! stop,
    receive {'DOWN', GM, _, _, _} -> ok end,
    ets:delete(inherited),
    p(lists:member(T, ets:all())).

concurrency() ->
    T = ets:new(conc, [public, set, {write_concurrency, true}]),
    Self = self(),
    Pids = [spawn(fun() ->
                          [ets:insert(T, {{I, J}, J}) || J <- lists:seq(1, 1000)],
                          [ets:update_counter(T, counter, 1, {counter, 0}) || _ <- lists:seq(1, 500)],
                          Sum = lists:sum([V || J <- lists:seq(1, 1000), {_, V} <- ets:lookup(T, {I, J})]),
                          Self ! {done, self(), Sum}
                  end) || I <- lists:seq(1, 8)],
    Sums = [receive {done, P, S} -> S end || P <- Pids],
    p(Sums),
    p({ets:info(T, size), ets:lookup(T, counter)}),
    ets:delete(T).
