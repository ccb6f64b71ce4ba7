%% `max_heap_size` (spawn_opt and process_flag/2): what it reads back as,
%% what BEAM rejects, and what a monitor or a link sees of a process that
%% grows past it: reason `killed` when `kill` is set, a normal end when it
%% is not or when only garbage is made. Error reports are turned off
%% (`error_logger => false`): BEAM prints them on standard output.
-module(run_max_heap_size).
-export([main/0]).

main() ->
    io:format("~p~n", [flags()]),
    io:format("~p~n", [spawn_errors()]),
    io:format("~p~n", [info()]),
    io:format("~p~n", [down(#{size => 10000, error_logger => false})]),
    io:format("~p~n", [down(#{size => 20000, kill => true, error_logger => false})]),
    io:format("~p~n", [down(#{size => 10000, kill => false, error_logger => false})]),
    io:format("~p~n", [down(0)]),
    io:format("~p~n", [garbage_only()]),
    io:format("~p~n", [set_by_itself()]),
    io:format("~p~n", [linked()]),
    io:format("~p~n", [rounded_min()]),
    [io:format("~p~n", [asked(Limit, Opts)])
     || Limit <- [#{size => 1000, error_logger => false},
                  #{size => 1000, kill => false, error_logger => false},
                  #{size => 1000000, error_logger => false}],
        Opts <- [none, [{type, minor}], async]].

t(F) -> try F() catch C:R -> {C, R} end.

%% process_flag/2 returns the previous setting; a size below
%% min_heap_size (other than 0), a map without a size or with a kill that
%% is not a boolean are badarg; other keys are ignored and missing flags
%% take their defaults. In a fresh process, whose heap stays far below
%% the limits it sets (they differ from BEAM's in detail).
flags() ->
    Self = self(),
    spawn(fun() ->
                  R = [t(fun() -> process_flag(max_heap_size, V) end)
                       || V <- [100, 100000, #{size => 200000, kill => false},
                                #{kill => false}, #{size => 300000, foo => bar},
                                #{size => 3000, kill => 1},
                                #{size => 3000, error_logger => x},
                                -1, 1.5, big, 0]],
                  Self ! {flags, R ++ [process_info(self(), max_heap_size)]}
          end),
    receive {flags, R} -> R end.

spawn_errors() ->
    [t(fun() -> is_pid(spawn_opt(fun() -> ok end, Opts)) end)
     || Opts <- [[{max_heap_size, 100}],
                 [{min_heap_size, 5000}, {max_heap_size, 1000}],
                 [{max_heap_size, 1000}, {min_heap_size, 5000}],
                 [{max_heap_size, #{size => 500}}],
                 [{max_heap_size, #{kill => true}}],
                 [{max_heap_size, 0}],
                 [{max_heap_size, 5000}, {min_heap_size, 1000}]]].

info() ->
    Self = self(),
    P = spawn_opt(fun() ->
                          Self ! {info, process_info(self(), max_heap_size),
                                  element(2, lists:keyfind(max_heap_size, 1,
                                      element(2, process_info(self(), garbage_collection))))}
                  end, [{max_heap_size, #{size => 4000, kill => false}}]),
    receive {info, A, B} -> {is_pid(P), A, B} end.

%% A process that keeps a growing list: the DOWN reason its monitor gets.
down(Max) ->
    {P, R} = spawn_opt(fun() -> exit({grown, grow([], 0)}) end,
                       [monitor, {max_heap_size, Max}]),
    receive {'DOWN', R, process, P, Why} -> Why end.

grow(L, 100000) -> length(L);
grow(L, N) -> grow([N | L], N + 1).

%% Much allocated, little kept: the limit is never reached.
garbage_only() ->
    {P, R} = spawn_opt(fun() -> exit({done, churn(20000, 0)}) end,
                       [monitor, {max_heap_size, #{size => 50000, error_logger => false}}]),
    receive {'DOWN', R, process, P, Why} -> Why end.

churn(0, Acc) -> Acc;
churn(N, Acc) -> churn(N - 1, Acc + length(lists:seq(1, 50))).

set_by_itself() ->
    {P, R} = spawn_monitor(fun() ->
                                   Old = process_flag(max_heap_size,
                                                      #{size => 8000, error_logger => false}),
                                   io:format("old ~p~n", [Old]),
                                   exit({grown, grow([], 0)})
                           end),
    receive {'DOWN', R, process, P, Why} -> Why end.

%% `min_heap_size` is rounded up to a heap size step (300 to 376, 1000
%% to 1598, anything below 233 to 233) before `max_heap_size` is
%% compared with it, in spawn_opt's options and in process_flag/2.
rounded_min() ->
    Spawn = [t(fun() -> is_pid(spawn_opt(fun() -> ok end, Opts)) end)
             || Opts <- [[{min_heap_size, 300}, {max_heap_size, 300}],
                         [{min_heap_size, 300}, {max_heap_size, 375}],
                         [{min_heap_size, 300}, {max_heap_size, 376}],
                         [{max_heap_size, 375}, {min_heap_size, 300}],
                         [{min_heap_size, 100}, {max_heap_size, 232}],
                         [{min_heap_size, 100}, {max_heap_size, 233}],
                         [{min_heap_size, 1000}, {max_heap_size, #{size => 1597}}],
                         [{min_heap_size, 1000}, {max_heap_size, #{size => 1598}}]]],
    Self = self(),
    Flag = fun(Min, Max) ->
                   spawn(fun() ->
                                 Old = process_flag(min_heap_size, Min),
                                 R = t(fun() -> process_flag(max_heap_size, Max) end),
                                 Self ! {flag, Old, R}
                         end),
                   receive {flag, Old, R} -> {Min, Max, Old, R} end
           end,
    {Spawn, [Flag(Min, Max) || {Min, Max} <- [{300, 375}, {300, 376}, {1000, 1597},
                                               {1000, 1598}, {10, 232}, {10, 233}]]}.

%% A process over its limit that another process asks to collect
%% (erlang:garbage_collect/1,2) is killed by that collection, as it waits;
%% the call still returns true.
asked(Limit, Opts) ->
    Self = self(),
    {P, R} = spawn_monitor(fun() ->
                                   L = lists:seq(1, 20000),
                                   process_flag(max_heap_size, Limit),
                                   Self ! ready,
                                   receive stop -> length(L) end
                           end),
    receive ready -> ok end,
    Result = case Opts of
                 none -> erlang:garbage_collect(P);
                 async ->
                     Ref = make_ref(),
                     async = erlang:garbage_collect(P, [{async, Ref}]),
                     receive {garbage_collect, Ref, V} -> {async, V} end;
                 _ -> erlang:garbage_collect(P, Opts)
             end,
    P ! stop,
    receive {'DOWN', R, process, P, Why} -> {maps:get(size, Limit), Opts, Result, Why} end.

%% A linked process trapping exits gets `{'EXIT', Pid, killed}`.
linked() ->
    process_flag(trap_exit, true),
    P = spawn_opt(fun() -> grow([], 0) end,
                  [link, {max_heap_size, #{size => 10000, error_logger => false}}]),
    receive {'EXIT', P, Why} -> Why end.
