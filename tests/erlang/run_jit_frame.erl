%% Loops the JIT compiles that allocate a stack frame in each iteration
%% (Y registers live across a call to math:sqrt/1, floats stored to Y),
%% with exits taken on purpose while the frame is live: a type change in
%% a Y register, sqrt of a negative number (badarith, with the stack
%% trace the interpreter gives), heap checks that fail (collections).
-module(run_jit_frame).
-export([main/0]).

main() ->
    %% An n-body-like step: tuples of floats, Y registers, sqrt.
    Bs = [{float(I), float(I * I), 1.0 / I, 0.0, 0.0, 0.0, 1.0 + I} || I <- lists:seq(1, 6)],
    io:format("~p~n", [steps(300, Bs)]),
    %% Floats, integers and a negative number through one loop.
    io:format("~p~n", [walk([1.0, 4.0, 9.0, 16.0, 25.0, 36, 49, 64.0], 0.0)]),
    io:format("~p~n", [walk(lists:seq(1, 3000), 0)]),
    io:format("~p~n", [walk([float(I) || I <- lists:seq(1, 3000)] ++ [7, 8.5, 9], 0.0)]),
    io:format("~p~n", [catch_error(fun() -> walk(lists:seq(1000, -5, -1), 0.0) end)]),
    io:format("~p~n", [catch_error(fun() -> walk([4.0, 9.0, 16.0, foo], 0.0) end)]),
    %% A float stored to a Y register before a sqrt that raises.
    io:format("~p~n", [catch_error(fun() -> roots(2000, 0.0) end)]),
    %% A Y register whose value changes from an integer to a float.
    io:format("~p~n", [mix(2000, 1, 0.0)]),
    %% Many collections while frames are live.
    io:format("~p~n", [length(grow(3000, []))]),
    ok.

catch_error(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:R:St -> {R, [{M, Fn, arity(A)} || {M, Fn, A, _} <- lists:sublist(St, 2)]}
    end.

arity(A) when is_list(A) -> length(A);
arity(A) -> A.

steps(0, Bs) -> Bs;
steps(N, Bs) -> steps(N - 1, velocities(Bs, 0.01, [])).

velocities([], _, Acc) -> lists:reverse(Acc);
velocities([B | T], Dt, Acc) ->
    {B1, T1} = pull(B, T, Dt, []),
    velocities(T1, Dt, [B1 | Acc]).

pull(B, [], _, Acc) -> {B, lists:reverse(Acc)};
pull({X1, Y1, Z1, Vx1, Vy1, Vz1, M1}, [{X2, Y2, Z2, Vx2, Vy2, Vz2, M2} | T], Dt, Acc) ->
    Dx = X1 - X2, Dy = Y1 - Y2, Dz = Z1 - Z2,
    D2 = Dx * Dx + Dy * Dy + Dz * Dz,
    Mag = Dt / (D2 * math:sqrt(D2)),
    B1 = {X1, Y1, Z1, Vx1 - Dx * M2 * Mag, Vy1 - Dy * M2 * Mag, Vz1 - Dz * M2 * Mag, M1},
    O = {X2, Y2, Z2, Vx2 + Dx * M1 * Mag, Vy2 + Dy * M1 * Mag, Vz2 + Dz * M1 * Mag, M2},
    pull(B1, T, Dt, [O | Acc]).

walk([], Acc) -> Acc;
walk([H | T], Acc) ->
    R = math:sqrt(H),
    walk(T, Acc + R * H).

roots(0, Acc) -> Acc;
roots(N, Acc) ->
    K = N * 0.5 - 10.0,
    R = math:sqrt(K * 2.0 - 1.0),
    roots(N - 1, Acc + R * K).

mix(0, _, Acc) -> Acc;
mix(N, X, Acc) ->
    R = math:sqrt(N),
    X2 = case N of
             1000 -> X * 1.5;
             _ -> X + 1
         end,
    mix(N - 1, X2, Acc + X * R).

grow(0, Acc) -> Acc;
grow(N, Acc) ->
    R = math:sqrt(N),
    grow(N - 1, [{N, R, R * 2.0} | Acc]).
