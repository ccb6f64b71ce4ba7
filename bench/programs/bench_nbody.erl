%% The n-body step (five bodies, as in the benchmarks game) over tuples of
%% floats: float arithmetic, tuple building and list traversal.
-module(bench_nbody).
-export([main/1]).

-define(PI, 3.141592653589793).
-define(SOLAR_MASS, (4 * ?PI * ?PI)).
-define(DAYS, 365.24).

main([Arg]) ->
    Steps = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> run(Steps) end),
    io:format("~w ~.9f~n", [Micros, Result]).

run(Steps) ->
    energy(loop(Steps, offset(bodies()))).

loop(0, Bs) -> Bs;
loop(N, Bs) -> loop(N - 1, advance(Bs, 0.01)).

bodies() ->
    [{0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ?SOLAR_MASS},
     {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * ?DAYS, 7.69901118419740425e-03 * ?DAYS,
      -6.90460016972063023e-05 * ?DAYS, 9.54791938424326609e-04 * ?SOLAR_MASS},
     {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * ?DAYS, 4.99852801234917238e-03 * ?DAYS,
      2.30417297573763929e-05 * ?DAYS, 2.85885980666130812e-04 * ?SOLAR_MASS},
     {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * ?DAYS, 2.37847173959480950e-03 * ?DAYS,
      -2.96589568540237556e-05 * ?DAYS, 4.36624404335156298e-05 * ?SOLAR_MASS},
     {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * ?DAYS, 1.62824170038242295e-03 * ?DAYS,
      -9.51592254519715870e-05 * ?DAYS, 5.15138902046611451e-05 * ?SOLAR_MASS}].

offset([{X, Y, Z, _, _, _, M} | T] = Bs) ->
    {Px, Py, Pz} = momentum(Bs, 0.0, 0.0, 0.0),
    [{X, Y, Z, -Px / ?SOLAR_MASS, -Py / ?SOLAR_MASS, -Pz / ?SOLAR_MASS, M} | T].

momentum([], Px, Py, Pz) -> {Px, Py, Pz};
momentum([{_, _, _, Vx, Vy, Vz, M} | T], Px, Py, Pz) ->
    momentum(T, Px + Vx * M, Py + Vy * M, Pz + Vz * M).

energy(Bs) -> energy(Bs, 0.0).

energy([], E) -> E;
energy([{X, Y, Z, Vx, Vy, Vz, M} | T], E) ->
    energy(T, potential(T, X, Y, Z, M, E + 0.5 * M * (Vx * Vx + Vy * Vy + Vz * Vz))).

potential([], _, _, _, _, E) -> E;
potential([{X2, Y2, Z2, _, _, _, M2} | T], X, Y, Z, M, E) ->
    Dx = X - X2, Dy = Y - Y2, Dz = Z - Z2,
    potential(T, X, Y, Z, M, E - M * M2 / math:sqrt(Dx * Dx + Dy * Dy + Dz * Dz)).

advance(Bs, Dt) ->
    [{X + Dt * Vx, Y + Dt * Vy, Z + Dt * Vz, Vx, Vy, Vz, M}
     || {X, Y, Z, Vx, Vy, Vz, M} <- velocities(Bs, Dt, [])].

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
