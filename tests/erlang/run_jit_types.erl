%% Float division (`/`), comparisons of an integer with a float, and type
%% tests that fail on the path the JIT records: each guard is made to
%% fail on purpose, and the interpreter must go on (or raise) exactly as
%% BEAM does.
-module(run_jit_types).
-export([main/0]).

main() ->
    %% `/` of integers, of floats and mixed, in a loop.
    io:format("~p~n", [divs(3000, 0.0)]),
    %% A zero divisor halfway (integer and float): badarith.
    io:format("~p~n", [catch_error(fun() -> div_to_zero(3000, 1000, 0.0) end)]),
    io:format("~p~n", [catch_error(fun() -> fdiv_to_zero(3000, 1000.0, 0.0) end)]),
    %% A quotient that overflows to infinity: badarith.
    io:format("~p~n", [catch_error(fun() -> grow_div(3000, 1.0) end)]),
    %% Integer against float, both ways and all operators, crossing over.
    io:format("~p~n", [cmp(4000, 1000.5, {0, 0, 0, 0})]),
    io:format("~p~n", [cmp_rev(4000, 2000.0, {0, 0, 0, 0})]),
    %% Exact (in)equality of integers and floats is always false (true).
    io:format("~p~n", [exact(3000, 0)]),
    %% Integers beyond 2^53 compared with floats (the trace's range guard
    %% fails; the interpreter compares exactly).
    io:format("~p~n", [[big_cmp(N) || N <- [(1 bsl 53) - 1, 1 bsl 53, (1 bsl 53) + 1, (1 bsl 59), -(1 bsl 53) - 1]]]),
    %% Type tests failing on the recorded path, then passing.
    Mixed = lists:flatten(lists:duplicate(500, [1, 2.5, a, {x, y}, [c], [], {z}, 1 bsl 70, <<"b">>])),
    io:format("~p~n", [classify(Mixed, {0, 0, 0, 0, 0, 0, 0})]),
    io:format("~p~n", [classify(lists:reverse(Mixed), {0, 0, 0, 0, 0, 0, 0})]),
    %% A loop whose value is a float first and an integer later.
    io:format("~p~n", [shift(3000, 0.5, 0)]),
    ok.

divs(0, Acc) -> Acc;
divs(N, Acc) -> divs(N - 1, Acc + N / 7 + 3 / N + N / 2.0 + 1.5 / (N + 0.5)).

div_to_zero(0, _, Acc) -> Acc;
div_to_zero(N, D, Acc) -> div_to_zero(N - 1, D - 1, Acc + N / D).

fdiv_to_zero(0, _, Acc) -> Acc;
fdiv_to_zero(N, D, Acc) -> fdiv_to_zero(N - 1, D - 1.0, Acc + N / D).

grow_div(0, F) -> F;
grow_div(N, F) -> grow_div(N - 1, F / 0.5).

cmp(0, _, Acc) -> Acc;
cmp(N, F, {A, B, C, D}) ->
    A1 = if N < F -> A + 1; true -> A end,
    B1 = if N >= F -> B + 1; true -> B end,
    C1 = if N == F + 0.5 -> C + 1; true -> C end,
    D1 = if N /= F -> D + 1; true -> D end,
    cmp(N - 1, F, {A1, B1, C1, D1}).

cmp_rev(0, _, Acc) -> Acc;
cmp_rev(N, F, {A, B, C, D}) ->
    A1 = if F < N -> A + 1; true -> A end,
    B1 = if F >= N -> B + 1; true -> B end,
    C1 = if F == N -> C + 1; true -> C end,
    D1 = if F > N -> D + 1; true -> D end,
    cmp_rev(N - 1, F, {A1, B1, C1, D1}).

exact(0, Acc) -> Acc;
exact(N, Acc) ->
    F = N * 1.0,
    X = if N =:= F -> 1000; true -> 1 end,
    Y = if N =/= F -> 2; true -> 2000 end,
    exact(N - 1, Acc + X + Y).

big_cmp(N) -> big_loop(200, N, []).

big_loop(0, _, Acc) -> Acc;
big_loop(K, N, Acc) when K > 198 ->
    F = float(N),
    big_loop(K - 1, N, [{N < F, N == F, N > F, F < N + K} | Acc]);
big_loop(K, N, Acc) -> big_loop(K - 1, N, Acc).

classify([], Acc) -> Acc;
classify([X | T], {I, F, A, Tu, L, N, O}) ->
    Acc = if
        is_integer(X) -> {I + 1, F, A, Tu, L, N, O};
        is_float(X) -> {I, F + 1, A, Tu, L, N, O};
        is_atom(X) -> {I, F, A + 1, Tu, L, N, O};
        is_tuple(X), tuple_size(X) =:= 2 -> {I, F, A, Tu + 1, L, N, O};
        is_list(X) -> {I, F, A, Tu, L + 1, N, O};
        is_number(X) -> {I, F, A, Tu, L, N + 1, O};
        true -> {I, F, A, Tu, L, N, O + 1}
    end,
    classify(T, Acc).

shift(0, V, Acc) -> {V, Acc};
shift(N, V, Acc) when is_float(V), N > 1500 -> shift(N - 1, V + 1.0, Acc + 1);
shift(N, V, Acc) when is_float(V) -> shift(N - 1, trunc(V), Acc);
shift(N, V, Acc) when is_integer(V) -> shift(N - 1, V + 2, Acc + 2).

catch_error(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.
