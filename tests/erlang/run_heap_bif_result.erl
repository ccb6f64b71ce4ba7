%% Heap sizes after a BIF whose result does not fit in the heap's room:
%% BEAM builds it in a heap fragment and collects right after the BIF,
%% counting the whole result as young data (`run_heap_growth` has the
%% other growth rules). Each case is a fresh process that calls BIFs,
%% tells its parent, and waits; the parent reads its heap_size and
%% total_heap_size. Not here (Enigma's sizes still differ: a second
%% such collection whose data BEAM found in fragments, docs/RUNTIME.md):
%% binary_to_list/binary_to_term of 100 elements after a list of 100,
%% tuple_to_list of a 1,000-tuple, maps:from_list/1 of 100 or 1,000
%% pairs, binary_to_term of 10,000 elements, integer_to_list of 2^100.
-module(run_heap_bif_result).
-export([main/0]).

sizes(Label, F) ->
    Self = self(),
    P = spawn(fun() -> F(), Self ! {self(), ready}, receive stop -> ok end end),
    receive {P, ready} -> ok end,
    waiting(P),
    R = process_info(P, [heap_size, total_heap_size]),
    P ! stop,
    io:format("~s: ~p~n", [Label, R]).

%% Until P waits in its receive (it may still be running its slice).
waiting(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), waiting(P)
    end.

main() ->
    B = fun(N) -> list_to_binary(lists:duplicate(N, 7)) end,
    [sizes("binary_to_list " ++ integer_to_list(N), fun() -> X = B(N), put(k, binary_to_list(X)) end)
     || N <- [10, 116, 117, 200, 1000, 5000, 50000]],
    [sizes("make_tuple " ++ integer_to_list(N), fun() -> put(k, erlang:make_tuple(N, a)) end)
     || N <- [10, 100, 232, 233, 1000, 10000]],
    [sizes("tuple_to_list " ++ integer_to_list(N),
           fun() -> T = erlang:make_tuple(N, a), put(k, tuple_to_list(T)) end)
     || N <- [10, 100, 10000]],
    [sizes("reverse " ++ integer_to_list(N), fun() -> L = lists:seq(1, N), put(k, lists:reverse(L)) end)
     || N <- [10, 50, 100, 1000, 10000]],
    [sizes("from_list " ++ integer_to_list(N),
           fun() -> L = [{I, I} || I <- lists:seq(1, N)], put(k, maps:from_list(L)) end)
     || N <- [10, 50]],
    [sizes("binary_to_term " ++ integer_to_list(N),
           fun() -> X = term_to_binary(lists:seq(1, N)), put(k, binary_to_term(X)) end)
     || N <- [10, 1000]],
    sizes("atom_to_list", fun() -> put(k, atom_to_list(list_to_atom(lists:duplicate(250, $a)))) end),
    [sizes("integer_to_list " ++ integer_to_list(N), fun() -> put(k, integer_to_list(1 bsl N)) end)
     || N <- [1000, 10000]],
    [sizes("term_to_binary " ++ integer_to_list(N),
           fun() -> put(k, term_to_binary(lists:seq(1, N), [{minor_version, 1}])) end)
     || N <- [5, 10, 100]],
    ok.
