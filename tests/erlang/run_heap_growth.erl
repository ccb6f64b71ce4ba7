%% Heap sizes after minor collections and plain growth follow BEAM's
%% heap-size steps and rules (erl_gc.c): each case is a fresh process
%% that allocates, tells its parent, and waits; the parent reads its
%% heap_size and total_heap_size (young plus old heap). Collections at
%% every safe point (GC stress) change them: not run under stress. A BIF
%% result larger than the heap's room: run_heap_bif_result.
-module(run_heap_growth).
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
    Ns = [10, 100, 1000, 10000, 100000],
    [sizes("seq, full sweep " ++ integer_to_list(N),
           fun() -> L = lists:seq(1, N), erlang:garbage_collect(), put(k, L) end)
     || N <- Ns ++ [300000]],
    [sizes("seq, two full sweeps " ++ integer_to_list(N),
           fun() -> L = lists:seq(1, N), erlang:garbage_collect(), erlang:garbage_collect(), put(k, L) end)
     || N <- Ns],
    [sizes("seq, minor " ++ integer_to_list(N),
           fun() -> L = lists:seq(1, N), erlang:garbage_collect(self(), [{type, minor}]), put(k, L) end)
     || N <- [10, 1000, 10000, 100000]],
    [sizes("garbage, full sweep " ++ integer_to_list(N),
           fun() -> _ = lists:seq(1, N), erlang:garbage_collect() end)
     || N <- [10, 1000, 100000]],
    [sizes("seq " ++ integer_to_list(N), fun() -> put(k, lists:seq(1, N)) end) || N <- Ns],
    [sizes("tuple " ++ integer_to_list(N), fun() -> put(k, list_to_tuple(lists:seq(1, N))) end)
     || N <- [10, 10000, 100000]],
    [sizes("one-tuples " ++ integer_to_list(N),
           fun() -> put(k, lists:foldl(fun(I, A) -> [{I} | A] end, [], lists:seq(1, N))) end)
     || N <- Ns],
    [sizes("every other " ++ integer_to_list(N),
           fun() -> put(k, lists:foldl(fun(I, A) when I rem 2 =:= 0 -> [{I, I} | A]; (_, A) -> A end,
                                       [], lists:seq(1, N))) end)
     || N <- [10, 1000, 10000, 100000]],
    [sizes("grow then full sweep " ++ integer_to_list(N),
           fun() -> put(k, lists:seq(1, N)), erlang:garbage_collect() end)
     || N <- Ns],
    ok.
