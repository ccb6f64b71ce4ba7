%% Messages and spawn arguments share the literals they hold (module
%% literals and persistent_term values) instead of copying them, as BEAM's
%% send and spawn do: the receiver's heap holds only what is not literal.
%% A message a process sends itself is not copied at all.
-module(run_literal_share).
-export([main/0, keep/2]).

-define(L, [{1,2},{3,4},"a string of some length here",{x,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}]).
-define(BIN, <<"a literal binary that is longer than sixty-four bytes so it is a refc binary in the area">>).

keep(0, Acc) ->
    receive
        {report, From} ->
            erlang:garbage_collect(),
            From ! {sizes, process_info(self(), [heap_size, total_heap_size]), length(Acc)}
    end;
keep(N, Acc) ->
    receive M -> keep(N - 1, [M | Acc]) end.

%% A list of 2,000 results of F, measured after a collection.
report(What, P) ->
    P ! {report, self()},
    receive {sizes, S, N} -> io:format("~s: ~p ~p~n", [What, S, N]) end.

main() ->
    P1 = spawn(?MODULE, keep, [100, []]),
    [P1 ! ?L || _ <- lists:seq(1, 100)],
    report("literal messages", P1),
    P2 = spawn(?MODULE, keep, [100, []]),
    [P2 ! {I, ?L} || I <- lists:seq(1, 100)],
    report("tuples holding literals", P2),
    L = ?L,
    P3 = spawn(fun() -> keep(0, [L, L, ?L]) end),
    report("closure over literals", P3),
    P4 = spawn(?MODULE, keep, [0, [?L, ?L]]),
    io:format("spawn arguments: ~p~n", [process_info(P4, [heap_size, total_heap_size])]),
    report("spawn arguments", P4),
    persistent_term:put({?MODULE, k}, lists:seq(1, 500)),
    P5 = spawn(?MODULE, keep, [10, []]),
    [P5 ! persistent_term:get({?MODULE, k}) || _ <- lists:seq(1, 10)],
    report("persistent terms", P5),
    P6 = spawn(?MODULE, keep, [10, []]),
    [P6 ! {?BIN} || _ <- lists:seq(1, 10)],
    report("literal binaries", P6),
    P7 = spawn(?MODULE, keep, [10, []]),
    [P7 ! {lists:seq(1, 50), ?L} || _ <- lists:seq(1, 10)],
    report("mixed", P7),
    %% `{}` from these BIFs is BEAM's global literal: no heap word.
    E = binary_to_term(term_to_binary([])),
    Empty = [{atom, fun(_) -> a end},
             {list_to_tuple, fun(_) -> list_to_tuple(E) end},
             {make_tuple_3, fun(_) -> erlang:make_tuple(0, x, E) end},
             {make_tuple_2, fun(_) -> erlang:make_tuple(length(E), x) end},
             {binary_to_term, fun(_) -> binary_to_term(<<131, 104, 0>>) end},
             {literal, fun(_) -> {} end}],
    [begin
         %% A spawned process's heap is sized for its arguments.
         P = spawn(?MODULE, keep, [0, [F(I) || I <- lists:seq(1, 2000)]]),
         io:format("~p: ~p~n", [What, process_info(P, [heap_size, total_heap_size])]),
         report(atom_to_list(What), P)
     end || {What, F} <- Empty],
    io:format("~p~n", [[{F(1), erts_debug:size(F(1))} || {_, F} <- Empty]]),
    {_, Ref} = spawn_monitor(fun self_send/0),
    receive {'DOWN', Ref, process, _, normal} -> ok end,
    %% Received literals are still the same values.
    self() ! ?L,
    receive M -> io:format("~p~n", [M =:= ?L]) end,
    ok.

%% The refc binaries the process holds, once its garbage is collected.
bins() ->
    erlang:garbage_collect(),
    [B || {_, B, _} <- element(2, process_info(self(), binary))].

%% A self-sent refc binary is held once; a self-sent list takes no words
%% (in a fresh process: heap sizes depend on a process's history).
self_send() ->
    B = binary:copy(<<1:800>>),
    io:format("binaries ~p~n", [length(bins())]),
    self() ! B,
    io:format("queued ~p~n", [length(bins())]),
    receive X -> ok end,
    io:format("received ~p~n", [length(bins())]),
    self() ! {B, B},
    receive _ -> ok end,
    io:format("received a pair ~p~n", [length(bins())]),
    erlang:garbage_collect(),
    io:format("collected ~p ~p~n", [length(bins()), X =:= B]),
    L = lists:seq(1, 1000),
    erlang:garbage_collect(),
    H0 = process_info(self(), [heap_size, total_heap_size]),
    self() ! L,
    H1 = process_info(self(), [heap_size, total_heap_size]),
    receive L2 -> ok end,
    H2 = process_info(self(), [heap_size, total_heap_size]),
    io:format("~p~n~p~n~p~n~p~n", [H0, H1, H2, length(L2)]),
    alias_send(B).

%% A message to one's own alias is copied (a second refc binary holds the
%% same bytes until the copy is received and collected); by pid it is not.
alias_send(B) ->
    Refs = fun() -> lists:sort([{S, R} || {_, S, R} <- element(2, process_info(self(), binary)),
                                           S =:= 100]) end,
    erlang:garbage_collect(),
    io:format("before ~p~n", [Refs()]),
    A = alias(),
    A ! B,
    erlang:garbage_collect(),
    io:format("alias queued ~p~n", [Refs()]),
    erlang:send_nosuspend(self(), [B]),
    erlang:garbage_collect(),
    io:format("pid queued ~p~n", [Refs()]),
    [receive Y -> Y end || _ <- [1, 2]],
    erlang:garbage_collect(),
    io:format("received ~p~n", [Refs()]),
    unalias(A).
