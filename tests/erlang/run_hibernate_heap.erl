%% erlang:hibernate/3 shrinks the process's heap to its live data (the
%% arguments it passes on), as BEAM's full sweep into an exact-size heap:
%% a process that built garbage before hibernating holds next to nothing,
%% and after it wakes its arguments are intact. Its heap_size is BEAM's:
%% the live words, S_RESERVED and its one-word stack.
-module(run_hibernate_heap).
-export([main/0, w/2]).

w(Parent, Keep) ->
    receive
        check -> Parent ! {self(), lists:sum(element(1, Keep)), tuple_size(element(2, Keep))}
    end.

main() ->
    Self = self(),
    [begin
         P = spawn(fun() ->
                           _ = lists:seq(1, 10000),
                           Keep = {lists:seq(1, N), list_to_tuple(lists:seq(1, N))},
                           erlang:hibernate(?MODULE, w, [Self, Keep])
                   end),
         wait_hibernated(P),
         {total_heap_size, T} = process_info(P, total_heap_size),
         {memory, M} = process_info(P, memory),
         %% The live words: N cons cells, an N-tuple, a pair, the args.
         Live = 2 * N + (N + 1) + 3 + 4,
         io:format("~p~n", [{N, T >= Live, T < Live + 100, M < 8 * (Live + 400)}]),
         %% BEAM's block: the live words, 3 reserved, a one-word stack
         %% (not for N = 0: BEAM's `{}` is a global literal, Enigma's a
         %% heap word).
         N > 0 andalso io:format("~p~n", [process_info(P, [heap_size, total_heap_size, stack_size])]),
         P ! check,
         receive {P, Sum, Size} -> io:format("~p~n", [{Sum, Size}]) end
     end || N <- [0, 10, 1000]],
    ok.

wait_hibernated(P) ->
    case process_info(P, current_function) of
        {current_function, {erlang, hibernate, 3}} -> ok;
        _ -> erlang:yield(), wait_hibernated(P)
    end.
