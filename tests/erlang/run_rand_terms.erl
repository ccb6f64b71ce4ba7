-module(run_rand_terms).
-export([main/0, batches/5]).
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).

%% Randomized differential test of the generic term operations: order,
%% equality, hashing, the external term format and sorting, over random
%% terms of every type (rand seeded, so erl and Enigma see the same terms).
%% Each batch prints a digest of its results and its first case in full,
%% so a mismatch names the batch and one readable case; compile with
%% -DVERBOSE to print every case.

-ifdef(VERBOSE).
-define(SHOW(Tag, I, R), io:format("~p ~p ~w~n", [Tag, I, R])).
-else.
-define(SHOW(Tag, I, R), ok).
-endif.

main() ->
    rand:seed(exsss, {1, 2, 3}),
    batches(unary, 12, 40, fun unary/1, fun() -> gen(3) end),
    batches(binary, 12, 40, fun pair/1, fun() -> {gen(2), gen(2)} end),
    batches(near, 6, 40, fun pair/1, fun near_pair/0),
    batches(sort, 8, 10, fun sorts/1, fun() -> [gen(2) || _ <- lists:seq(1, rand:uniform(12))] end),
    batches(maps, 4, 12, fun maps_ops/1, fun map_pair/0),
    batches(format, 3, 12, fun format/1, fun() -> gen(1) end),
    ok.

%% N batches of K cases each: a digest line per batch, with its first case.
%% run_rand_arith and run_rand_badarg use it too (so run them with this
%% module: ENIGMA_ONLY=run_rand).
batches(Tag, N, K, Op, Gen) ->
    lists:foreach(
      fun(B) ->
              {Hash, First} = batch(Tag, B, K, Op, Gen, 1, 0, none),
              io:format("~p ~p ~p ~w~n", [Tag, B, Hash, First])
      end, lists:seq(1, N)).

%% Case I of K of batch B: the results are hashed as they come, so that
%% little stays live (the test also runs with a collection at every safe
%% point).
batch(_, _, K, _, _, I, Hash, First) when I > K -> {Hash, First};
batch(Tag, B, K, Op, Gen, I, Hash, First) ->
    R = Op(Gen()),
    ?SHOW(Tag, {B, I}, R),
    batch(Tag, B, K, Op, Gen, I + 1, erlang:phash2({Hash, R}),
          case I of 1 -> R; _ -> First end).

%% ---------------------------------------------------------------- ops

unary(T) ->
    P = printable(T),
    Enc = [term_to_binary(T), term_to_binary(T, [compressed]),
           term_to_binary(T, [{compressed, 9}, {minor_version, 1}]),
           term_to_binary(T, [{minor_version, 0}]),
           term_to_binary(T, [{minor_version, 2}]),
           term_to_binary(T, [deterministic])],
    Round = [binary_to_term(E) =:= T || E <- Enc],
    Sizes = [erlang:external_size(T), erlang:external_size(T, [{minor_version, 1}]),
             erlang:external_size(T, [{minor_version, 0}, {minor_version, 1}]),
             err(fun() -> erlang:external_size(T, [{minor_version, 2}]) end)],
    Used = [element(2, binary_to_term(<<E/binary, "tail">>, [used])) =:= byte_size(E)
            || E <- Enc],
    {show(T), Round, Used,
     if P -> {Sizes, [erlang:md5(E) || E <- Enc],
              erlang:phash2(T), erlang:phash2(T, 1000), erlang:phash2(T, 1 bsl 32),
              erlang:phash(T, 1 bsl 32), erlang:phash(T, 7)};
        true -> {length(Sizes), binary_to_term(hd(Enc)) == T}
     end,
     T == T, T =:= T, T < T, compare_all(T, T)}.

pair({A, B}) ->
    {show(A), show(B), compare_all(A, B), compare_all(B, A),
     max(A, B) =:= maxx(A, B), min(A, B) =:= minx(A, B),
     [A] == [B], {A, 1} < {B, 0}, #{A => 1} == #{B => 1}, [A | B] < [B | A]}.

compare_all(A, B) ->
    {A < B, A > B, A =< B, A >= B, A == B, A /= B, A =:= B, A =/= B}.

maxx(A, B) when A < B -> B;
maxx(A, _) -> A.
minx(A, B) when A > B -> B;
minx(A, _) -> A.

sorts(L) ->
    Tagged = [{X, I} || {I, X} <- lists:zip(lists:seq(1, length(L)), L)],
    {[show(X) || X <- lists:sort(L)], [show(X) || X <- lists:usort(L)],
     [I || {_, I} <- lists:keysort(1, Tagged)],
     [I || {_, I} <- lists:ukeysort(1, Tagged)],
     [I || {_, I} <- lists:sort(fun({X, _}, {Y, _}) -> X >= Y end, Tagged)],
     [show(X) || X <- lists:reverse(lists:sort(fun erlang:'>'/2, L))],
     lists:merge(lists:sort(L), lists:sort(L)) =:= lists:sort(L ++ L),
     [show(X) || X <- lists:umerge(lists:usort(L), lists:usort(lists:reverse(L)))]}.

maps_ops({M1, M2}) ->
    M = maps:merge(M1, M2),
    L = maps:to_list(M),
    {show(L), maps:size(M), maps:from_list(L) =:= M,
     maps:from_list(maps:to_list(M1) ++ maps:to_list(M2)) =:= M,
     show(maps:keys(M1)), show(maps:values(M2)),
     [maps:is_key(K, M2) || K <- maps:keys(M1)],
     M1 == M2, M1 < M2, maps:merge(M1, M1) =:= M1,
     show(lists:sort(maps:to_list(maps:without(maps:keys(M2), M1)))),
     printable(M) andalso {erlang:phash2(M), erlang:phash2(maps:to_list(M))},
     term_to_binary(M, [deterministic]) =:= term_to_binary(maps:from_list(lists:reverse(L)), [deterministic])}.

format(T) ->
    S = show(T),
    %% One directive per call: several ~p in one format make io_lib_format
    %% lay them out together, which is slow under GC stress.
    [lists:flatten(io_lib:format(F, A))
     || {F, A} <- [{"~p", [S]}, {"~w", [S]}, {"~tp", [S]}, {"~P", [S, 4]}, {"~W", [S, 3]},
                   {"~60p", [S]}]].

%% An exception's class and reason, without its stack trace.
err(F) ->
    try F() catch C:R -> {C, R} end.

%% Pids, refs and funs print differently on each VM: replace them.
show(T) when is_pid(T) -> '<pid>';
show(T) when is_reference(T) -> '<ref>';
show(T) when is_function(T) -> {'<fun>', erlang:fun_info(T, arity)};
show(T) when is_list(T) -> show_list(T);
show(T) when is_tuple(T) -> list_to_tuple([show(X) || X <- tuple_to_list(T)]);
show(T) when is_map(T) -> maps:from_list([{show(K), show(V)} || {K, V} <- maps:to_list(T)]);
show(T) -> T.

show_list([]) -> [];
show_list([H | T]) -> [show(H) | show_list(T)];
show_list(T) -> show(T).

printable(T) -> show(T) =:= T.

%% ---------------------------------------------------------------- terms

pick(L) -> lists:nth(rand:uniform(length(L)), L).

gen(0) -> gen_leaf();
gen(D) ->
    case rand:uniform(10) of
        1 -> [gen(D - 1) || _ <- lists:seq(1, rand:uniform(5) - 1)];
        2 -> list_to_tuple([gen(D - 1) || _ <- lists:seq(1, rand:uniform(5) - 1)]);
        3 -> gen_map(D - 1);
        4 -> improper(D - 1);
        _ -> gen_leaf()
    end.

improper(D) ->
    lists:foldl(fun(X, Acc) -> [X | Acc] end, gen_leaf(),
                [gen(D) || _ <- lists:seq(1, rand:uniform(3))]).

%% Maps of over 32 keys iterate in hash order, and BEAM hashes atoms (and
%% pids, refs, funs) by their index in its own tables: large maps get keys
%% without them, so both VMs iterate them alike.
gen_map(D) ->
    case rand:uniform(4) of
        _ when D < 2 -> small_map(D);
        1 -> maps:from_list([{gen_key(D), gen_leaf()} || _ <- lists:seq(1, 32 + rand:uniform(10))]);
        _ -> small_map(D)
    end.

%% Two small maps with any keys, or two with keys free of atoms.
map_pair() ->
    case rand:uniform(2) of
        1 -> {small_map(2), small_map(2)};
        2 -> {key_map(), key_map()}
    end.

small_map(D) -> maps:from_list([{gen(D), gen(D)} || _ <- lists:seq(1, rand:uniform(6) - 1)]).

key_map() -> maps:from_list([{gen_key(2), gen(1)} || _ <- lists:seq(1, pick([3, 20, 33, 40]))]).

gen_key(D) ->
    case rand:uniform(6) of
        1 when D > 0 -> list_to_tuple([gen_key(D - 1) || _ <- lists:seq(1, rand:uniform(3))]);
        2 when D > 0 -> [gen_key(D - 1) || _ <- lists:seq(1, rand:uniform(3))];
        3 -> gen_float();
        4 -> gen_bin();
        _ -> gen_int()
    end.

gen_leaf() ->
    case rand:uniform(9) of
        1 -> gen_int();
        2 -> gen_int();
        3 -> gen_float();
        4 -> pick(['', a, b, 'B', true, false, undefined, ok, 'hello world', 'ĳsland',
                   '日本', list_to_atom(lists:duplicate(255, $z))]);
        5 -> gen_bin();
        6 -> pick([self(), make_ref(), fun() -> ok end, fun lists:sort/1,
                   (fun(X) -> fun() -> X end end)(rand:uniform(9)),
                   fun erlang:abs/1]);
        7 -> [rand:uniform(300) || _ <- lists:seq(1, rand:uniform(6))];
        8 -> pick([[], {}, #{}, <<>>, "", [[]], {{}}]);
        9 -> gen_float()
    end.

gen_int() ->
    Base = pick([0, 1 bsl 27, 1 bsl 59, 1 bsl 60, 1 bsl 63, 1 bsl 64, 1 bsl 32, 255, 256,
                 1 bsl 128, 1 bsl 1000, 1 bsl 31]),
    Off = rand:uniform(5) - 3,
    Big = case rand:uniform(5) of
              1 -> rand:uniform(1 bsl 200) * pick([1, 1 bsl 64, 1 bsl 130]);
              _ -> 0
          end,
    pick([1, -1]) * (Base + Off + Big).

gen_float() ->
    pick([0.0, -0.0, 1.0, -1.0, 0.5, 1.0e300, -1.0e-300, 5.0e-324, 2.2250738585072014e-308,
          1.7976931348623157e308, 9007199254740992.0, 9007199254740993.0 * 2,
          float(1 bsl 63), float(1 bsl 64), 1.0e15, 123456.789,
          rand:uniform() * math:pow(10, rand:uniform(40) - 20),
          -rand:uniform() * (1 bsl 62), float(rand:uniform(1000))]).

gen_bin() ->
    Bytes = rand:bytes(pick([0, 1, 3, 8, 63, 64, 65, 200])),
    case rand:uniform(4) of
        1 -> <<Bytes/binary, (rand:uniform(127)):(rand:uniform(7))>>;
        2 when byte_size(Bytes) > 2 -> binary:part(Bytes, 1, byte_size(Bytes) - 2);
        _ -> Bytes
    end.

%% Pairs close in term order: same type, nearby values.
near_pair() ->
    case rand:uniform(6) of
        1 -> I = gen_int(), {I, float(I)};
        2 -> I = gen_int(), {I, I + pick([-1, 1, 0])};
        3 -> F = gen_float(), {F, pick([F, -F, F / 2, trunc_int(F)])};
        4 -> B = gen_bin(), {B, <<B/bits, 0:(rand:uniform(9))>>};
        5 -> L = gen(1), {[L], [L | gen(1)]};
        6 -> M = gen_map(1), K = gen(1), {M, M#{K => 1.0}}
    end.

trunc_int(F) when abs(F) < 1.0e300 -> trunc(F);
trunc_int(F) -> F.
