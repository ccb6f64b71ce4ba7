%% Garbage collection: loops that allocate much short-lived data of every
%% kind while keeping some of it live, so values must survive many
%% collections (on Enigma as on BEAM) with the same results.
-module(run_gc).
-export([main/0]).

main() ->
    {N0, W0, 0} = erlang:statistics(garbage_collection),
    io:format("~p~n", [churn_lists(2000, [])]),
    {N1, W1, 0} = erlang:statistics(garbage_collection),
    %% statistics(garbage_collection): collections and reclaimed words grow.
    io:format("~p~n", [{is_integer(N0), N1 > N0, W1 > W0}]),
    io:format("~p~n", [churn_kinds(3000, #{})]),
    io:format("~p~n", [churn_binaries(2000, <<>>, 0)]),
    io:format("~p~n", [lists:sum([N || {N, _} <- deep(20000)])]),
    io:format("~p~n", [long_list()]),
    io:format("~p~n", [shared()]),
    io:format("~p~n", [dictionary(5000)]),
    io:format("~p~n", [matching(<<0:80000>>, 0)]),
    io:format("~p~n", [messages()]),
    io:format("~p~n", [explicit()]),
    io:format("~p~n", [closures(2000, [])]),
    io:format("~p~n", [memory()]),
    io:format("~p~n", [generations()]).

%% A growing list kept live while garbage lists are made and dropped.
churn_lists(0, Acc) -> {length(Acc), lists:sum(Acc)};
churn_lists(N, Acc) ->
    Garbage = lists:seq(1, 200),
    _ = lists:reverse(Garbage),
    churn_lists(N - 1, [N rem 7 | Acc]).

%% Every kind of term, most dropped, some kept in a map.
churn_kinds(0, M) ->
    lists:sort(maps:to_list(maps:map(fun(_, V) -> erlang:phash2(V) end, M)));
churn_kinds(N, M) ->
    Big = (1 bsl 100) * N,
    F = N / 3,
    T = {N, Big, F, [a, b, N], <<N:32>>},
    R = erlang:make_ref(),
    true = is_reference(R),
    Fun = fun(X) -> X + N end,
    Small = #{N => T, {k, N} => Fun(1)},
    _ = {R, Small, maps:put(x, 1, Small)},
    M1 = case N rem 300 of
             0 -> M#{N => {Big, F, T, Fun(2)}};
             _ -> M
         end,
    churn_kinds(N - 1, M1).

%% Refc binaries made and dropped; one kept and grown by appending.
churn_binaries(0, Kept, Sum) -> {byte_size(Kept), Sum};
churn_binaries(N, Kept, Sum) ->
    B = binary:copy(<<N:16>>, 100),
    <<First:8, _/binary>> = B,
    Sub = binary:part(B, 10, 20),
    Kept1 = case N rem 100 of
                0 -> <<Kept/binary, Sub/binary>>;
                _ -> Kept
            end,
    churn_binaries(N - 1, Kept1, Sum + First + byte_size(Sub)).

%% Deep non-tail recursion: the stack is a root, full of live terms.
deep(0) -> [];
deep(N) ->
    T = {N, [N]},
    _ = lists:seq(1, 10),
    R = deep(N - 1),
    case N rem 1000 of
        0 -> [T | R];
        _ -> R
    end.

%% A long list that must survive collections without native recursion.
long_list() ->
    L = lists:seq(1, 300000),
    _ = [lists:seq(1, 10) || _ <- lists:seq(1, 1000)],
    {length(L), lists:sum(L), lists:last(L)}.

%% A term referenced twice stays one term after collections.
shared() ->
    X = lists:seq(1, 100),
    T = {X, X},
    _ = [lists:seq(1, 50) || _ <- lists:seq(1, 2000)],
    {A, B} = T,
    {A =:= B, length(A)}.

%% The process dictionary is a root.
dictionary(0) ->
    lists:sort([{K, V} || {K, V} <- get(), is_integer(K), K rem 1000 =:= 1]);
dictionary(N) ->
    put(N, {N, lists:seq(1, 5)}),
    _ = lists:seq(1, 50),
    case N rem 2 of
        0 -> erase(N);
        _ -> ok
    end,
    dictionary(N - 1).

%% A match context lives across calls that allocate.
matching(<<B:8, Rest/binary>>, Acc) ->
    _ = lists:seq(1, 20),
    matching(Rest, Acc + B + 1);
matching(<<>>, Acc) -> Acc.

%% Messages received become part of the heap; senders build garbage.
messages() ->
    Self = self(),
    Pids = [spawn(fun() -> sender(Self, I, 300) end) || I <- lists:seq(1, 4)],
    Got = collect(length(Pids) * 300, 0),
    {length(Pids), Got}.

sender(_, _, 0) -> ok;
sender(To, I, N) ->
    _ = lists:seq(1, 30),
    To ! {msg, I, lists:seq(1, 10), <<N:64>>},
    sender(To, I, N - 1).

collect(0, Sum) -> Sum;
collect(N, Sum) ->
    receive
        {msg, I, L, <<V:64>>} ->
            _ = lists:seq(1, 40),
            collect(N - 1, Sum + I + lists:sum(L) + V)
    end.

%% erlang:garbage_collect/0,1,2.
explicit() ->
    L = lists:seq(1, 1000),
    A = erlang:garbage_collect(),
    B = erlang:garbage_collect(self()),
    C = erlang:garbage_collect(self(), [{type, major}]),
    Ref = make_ref(),
    D = erlang:garbage_collect(self(), [{async, Ref}]),
    E = receive {garbage_collect, Ref, R} -> R after 60000 -> timeout end,
    Pid = spawn(fun() -> receive stop -> ok end end),
    F = erlang:garbage_collect(Pid),
    Pid ! stop,
    G = (catch erlang:garbage_collect(not_a_pid)),
    H = (catch erlang:garbage_collect(self(), [bad])),
    {A, B, C, D, E, F, element(1, G), element(1, H), lists:sum(L)}.

%% Closures capturing live terms, called after collections.
closures(0, Funs) -> lists:sum([F(1) || F <- Funs]);
closures(N, Funs) ->
    L = lists:seq(1, 10),
    F = fun(X) -> X + length(L) + N end,
    _ = lists:seq(1, 100),
    Funs1 = case N rem 50 of
                0 -> [F | Funs];
                _ -> Funs
            end,
    closures(N - 1, Funs1).

%% erlang:memory/0,1: the categories and their consistency, not the sizes.
memory() ->
    M = erlang:memory(),
    {Total, Processes} = {erlang:memory(total), erlang:memory(processes)},
    {[K || {K, V} <- M, is_integer(V), V >= 0],
     Total >= Processes,
     [K || {K, V} <- erlang:memory([total, ets]), is_integer(V)],
     element(1, element(2, catch erlang:memory(foo)))}.

%% Generations: long-lived data survives minor collections and full
%% sweeps while garbage is made; the collector's flags and counters read
%% back as on BEAM.
generations() ->
    Long = [{I, integer_to_list(I)} || I <- lists:seq(1, 3000)],
    Sum = churn_generations(300, Long, 0),
    Minor = erlang:garbage_collect(self(), [{type, minor}]),
    true = erlang:garbage_collect(),
    {garbage_collection, GC} = process_info(self(), garbage_collection),
    Self = {proplists:get_value(minor_gcs, GC), proplists:get_value(fullsweep_after, GC)},
    Parent = self(),
    P = spawn_opt(fun() ->
                          X = churn_generations(50, Long, 0),
                          Parent ! {self(), X, process_info(self(), garbage_collection)}
                  end, [{fullsweep_after, 0}, {min_heap_size, 1000}]),
    {X, Child} = receive {P, X0, {garbage_collection, C}} -> {X0, C} end,
    [{heap_size, H}, {total_heap_size, T}] = process_info(self(), [heap_size, total_heap_size]),
    {Sum, X, Minor, Self, [K || {K, _} <- GC],
     [{K, proplists:get_value(K, Child)} || K <- [min_heap_size, fullsweep_after, minor_gcs]],
     H =< T, length(Long)}.

churn_generations(0, Long, Acc) ->
    Acc + lists:sum([I + length(S) || {I, S} <- Long]);
churn_generations(N, Long, Acc) ->
    _ = lists:reverse(lists:seq(1, 500)),
    {I, S} = lists:nth(N rem 3000 + 1, Long),
    churn_generations(N - 1, Long, Acc + I + length(S)).
