%% erts_debug:flat_size/1 and size/1 (shared subterms once) as BEAM counts
%% them: flat maps and hash tries of every size up to a few thousand keys,
%% maps sharing keys, values and whole maps, nested maps, the empty tuple
%% and map, funs, binaries and sub-binaries, references. (Atom keys stop
%% at flat maps: a trie of them is shaped by atom indexes, docs/TERMS.md.)
-module(run_erts_debug_maps).
-export([main/0]).

main() ->
    Sizes = lists:seq(0, 40) ++ [63, 64, 65, 100, 255, 256, 257, 1000, 4097],
    [show({keys, N}, maps:from_list([{K, K * 2} || K <- lists:seq(1, N)])) || N <- Sizes],
    [show({atoms, N}, maps:from_list([{list_to_atom("k" ++ integer_to_list(K)), K}
                                      || K <- lists:seq(1, N)])) || N <- [5, 32]],
    L = lists:seq(1, 10),
    T = {L, L},
    Shared = maps:from_list([{K, T} || K <- lists:seq(1, 50)]),
    show(shared_values, Shared),
    show(shared_flat, #{a => T, b => T, c => L}),
    show(map_of_maps, #{x => Shared, y => Shared, z => #{Shared => Shared}}),
    show(list_of_maps, [Shared, Shared, #{}, #{}]),
    show(nested, lists:foldl(fun(I, Acc) -> #{I => Acc, {I} => [Acc]} end, #{}, lists:seq(1, 12))),
    show(string_keys, maps:from_list([{integer_to_list(K), <<K:64>>} || K <- lists:seq(1, 300)])),
    show(tuple_keys, maps:from_list([{{K, x}, {}} || K <- lists:seq(1, 70)])),
    show(updated, maps:put(new, L, Shared)),
    show(removed, maps:remove(7, Shared)),
    show(empties, [{}, #{}, {{}, #{}}, [{} | {}]]),
    X = length(L),
    show(funs, [fun() -> X end, fun(A) -> {A, L, X} end, fun lists:map/2,
                erlang:make_fun(lists, seq, 2)]),
    Big = binary:copy(<<"x">>, 200),
    <<_:5, Odd:100/bits, _/bits>> = Big,
    <<_:2/binary, Mid:150/binary, _/binary>> = Big,
    show(binaries, [Big, Big, Odd, Odd, Mid, <<"small">>, <<1:3>>,
                    #{Big => Odd, Odd => Big}]),
    show(numbers, [1 bsl 64, -(1 bsl 64), 1 bsl 1000, 2.5, #{1.5 => 1 bsl 80}]),
    show(refs, [make_ref(), atomics:new(2, []), #{make_ref() => ok}]),
    ok.

show(What, T) ->
    io:format("~p: ~p ~p~n", [What, erts_debug:flat_size(T), erts_debug:size(T)]).
