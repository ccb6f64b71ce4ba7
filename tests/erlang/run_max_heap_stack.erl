%% max_heap_size counts the stack: a body recursion that allocates nothing
%% on its way down is killed at the limit, as BEAM's collection (its stack
%% meets its heap) finds it; one that stays under the limit finishes,
%% however close (the stack's words count, not its buffer's capacity).
%% Interpreted, and with the JIT's frames (exits push them to the stack).
-module(run_max_heap_stack).
-export([main/0]).

%% Never ends for a negative N: [C | chars(C, -2)], chars(C, -1), ...
chars(_C, 0) -> [];
chars(C, N) when N band 1 =:= 0 -> S = chars(C, N bsr 1), [S | S];
chars(C, N) -> [C | chars(C, N - 1)].

down(0) -> 0;
down(N) -> 1 + down(N - 1).

downl(0) -> [];
downl(N) -> [N | downl(N - 1)].

grow(0, Acc) -> length(Acc);
grow(N, Acc) -> grow(N - 1, [N | Acc]).

run(Name, F, Size) ->
    Opts = [monitor, {max_heap_size, #{size => Size, kill => true, error_logger => false}}],
    {P, M} = spawn_opt(fun() -> exit({done, F()}) end, Opts),
    receive
        {'DOWN', M, process, P, R} -> io:format("~p: ~p~n", [Name, R])
    after 30000 ->
        io:format("~p: still running~n", [Name]),
        exit(P, kill)
    end.

main() ->
    run(endless_body, fun() -> chars($a, -1) end, 1000000),
    run(endless_bignum, fun() -> chars($a, -18446744073709551616) end, 500000),
    run(format_negative, fun() -> io_lib:format("~*.*c", [0, -1, -18446744073709551616]) end, 1000000),
    run(deep_but_under, fun() -> down(100000) end, 2000000),
    run(heap_growth, fun() -> grow(10000000, []) end, 1000000),
    run(heap_under, fun() -> grow(10000, []) end, 1000000),
    run(no_limit, fun() -> down(200000) end, 0),
    %% Cold, BEAM's collections where the stack meets the heap are full
    %% sweeps (no old heap yet), which count the young heap twice; warmed
    %% (something survived a collection), minor ones.
    [run({near_limit, D}, fun() -> down(D) end, 1000000) || D <- [300000, 600000, 900000]],
    [run({near_limit_warm, D}, fun() -> _ = [down(100) || _ <- lists:seq(1, 200)], down(D) end, 1000000)
     || D <- [600000, 700000, 900000]],
    run(near_limit_list, fun() -> length(downl(140000)) end, 1000000),
    default_flags().

%% A size given alone takes the system-wide setting's kill/error_logger.
default_flags() ->
    Me = self(),
    erlang:system_flag(max_heap_size, #{size => 0, kill => false, error_logger => false}),
    erlang:system_flag(max_heap_size, #{size => 500000}),
    io:format("~p~n", [erlang:system_info(max_heap_size)]),
    erlang:system_flag(max_heap_size, 0),
    spawn(fun() ->
              process_flag(max_heap_size, 70000),
              Me ! {flag, process_info(self(), max_heap_size)}
          end),
    receive {flag, F} -> io:format("~p~n", [F]) end,
    P = spawn_opt(fun() -> receive go -> ok end end, [{max_heap_size, #{size => 90000}}]),
    io:format("~p~n", [process_info(P, max_heap_size)]),
    P ! go,
    erlang:system_flag(max_heap_size, #{size => 0, kill => true, error_logger => true}),
    io:format("~p~n", [erlang:system_info(max_heap_size)]).
