-module(run_shootout).
-export([main/0]).

%% Small instances of classic CPU-bound programs (fannkuch-redux,
%% spectral-norm, n-body, pidigits, mandelbrot, fasta-style LCG): integer,
%% float and bignum arithmetic, tuples, lists and binaries together.
main() ->
    io:format("fannkuch ~p~n", [fannkuch(7)]),
    io:format("spectral ~.9f~n", [spectral(60)]),
    io:format("nbody ~.9f ~.9f~n", nbody(1000)),
    io:format("pidigits ~s~n", [pidigits(60)]),
    io:format("mandelbrot ~p~n", [erlang:md5(mandelbrot(64))]),
    io:format("lcg ~p~n", [lcg(100000, 42, 0)]).

%% fannkuch-redux: max flips and checksum over all permutations.
fannkuch(N) ->
    perms(lists:seq(1, N), N, 0, 0, 0).

perms(P, N, I, Max, Sum) ->
    F = flips(P, 0),
    Sign = case I rem 2 of 0 -> 1; 1 -> -1 end,
    Max1 = max(Max, F),
    Sum1 = Sum + Sign * F,
    case next_perm(P) of
        done -> {Sum1, Max1};
        P1 -> perms(P1, N, I + 1, Max1, Sum1)
    end.

flips([1 | _], F) -> F;
flips([H | _] = L, F) ->
    {A, B} = lists:split(H, L),
    flips(lists:reverse(A) ++ B, F + 1).

next_perm(L) ->
    R = lists:reverse(L),
    case find_k(R, []) of
        done -> done;
        {Pivot, Suffix, Prefix} ->
            Bigger = lists:min([X || X <- Suffix, X > Pivot]),
            Rest = lists:sort([Pivot | lists:delete(Bigger, Suffix)]),
            lists:reverse(Prefix) ++ [Bigger | Rest]
    end.

find_k([A, B | T], Acc) when B < A -> {B, lists:reverse([A | Acc]), T};
find_k([A | T], Acc) -> find_k(T, [A | Acc]);
find_k([], _) -> done.

%% spectral-norm with tuples as vectors.
spectral(N) ->
    U = list_to_tuple(lists:duplicate(N, 1.0)),
    {U1, V1} = power(10, U, N),
    VBv = dot(U1, V1, N),
    Vv = dot(V1, V1, N),
    math:sqrt(VBv / Vv).

power(0, U, N) -> {U, atav(U, N)};
power(K, U, N) ->
    V = atav(U, N),
    case K of
        1 -> {V, atav(V, N)};
        _ -> power(K - 1, atav(V, N), N)
    end.

a(I, J) -> 1.0 / ((I + J) * (I + J + 1) div 2 + I + 1).

av(U, N, T) ->
    list_to_tuple([lists:sum([T(I, J) * element(J + 1, U) || J <- lists:seq(0, N - 1)])
                   || I <- lists:seq(0, N - 1)]).

atav(U, N) ->
    V = av(U, N, fun a/2),
    av(V, N, fun(I, J) -> a(J, I) end).

dot(A, B, N) -> lists:sum([element(I, A) * element(I, B) || I <- lists:seq(1, N)]).

%% n-body: the classic five bodies.
-define(PI, 3.141592653589793).
-define(SOLAR_MASS, (4 * ?PI * ?PI)).
-define(DAYS, 365.24).

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

nbody(Steps) ->
    B0 = offset(bodies()),
    E0 = energy(B0),
    B1 = lists:foldl(fun(_, B) -> advance(B, 0.01) end, B0, lists:seq(1, Steps)),
    [E0, energy(B1)].

offset(Bs) ->
    {Px, Py, Pz} = lists:foldl(fun({_, _, _, Vx, Vy, Vz, M}, {X, Y, Z}) ->
                                       {X + Vx * M, Y + Vy * M, Z + Vz * M}
                               end, {0.0, 0.0, 0.0}, Bs),
    [{X, Y, Z, _, _, _, M} | T] = Bs,
    [{X, Y, Z, -Px / ?SOLAR_MASS, -Py / ?SOLAR_MASS, -Pz / ?SOLAR_MASS, M} | T].

energy(Bs) -> energy(Bs, 0.0).
energy([], E) -> E;
energy([{X, Y, Z, Vx, Vy, Vz, M} | T], E) ->
    E1 = E + 0.5 * M * (Vx * Vx + Vy * Vy + Vz * Vz),
    E2 = lists:foldl(fun({X2, Y2, Z2, _, _, _, M2}, Acc) ->
                             Dx = X - X2, Dy = Y - Y2, Dz = Z - Z2,
                             Acc - M * M2 / math:sqrt(Dx * Dx + Dy * Dy + Dz * Dz)
                     end, E1, T),
    energy(T, E2).

advance(Bs, Dt) ->
    Moved = velocities(Bs, Dt, []),
    [{X + Dt * Vx, Y + Dt * Vy, Z + Dt * Vz, Vx, Vy, Vz, M} || {X, Y, Z, Vx, Vy, Vz, M} <- Moved].

velocities([], _, Acc) -> lists:reverse(Acc);
velocities([B | T], Dt, Acc) ->
    {T1, B1} = lists:mapfoldl(fun(O, Bb) -> pair(Bb, O, Dt) end, B, T),
    velocities(T1, Dt, [B1 | Acc]).

pair({X1, Y1, Z1, Vx1, Vy1, Vz1, M1}, {X2, Y2, Z2, Vx2, Vy2, Vz2, M2}, Dt) ->
    Dx = X1 - X2, Dy = Y1 - Y2, Dz = Z1 - Z2,
    D2 = Dx * Dx + Dy * Dy + Dz * Dz,
    Mag = Dt / (D2 * math:sqrt(D2)),
    {{X2, Y2, Z2, Vx2 + Dx * M1 * Mag, Vy2 + Dy * M1 * Mag, Vz2 + Dz * M1 * Mag, M2},
     {X1, Y1, Z1, Vx1 - Dx * M2 * Mag, Vy1 - Dy * M2 * Mag, Vz1 - Dz * M2 * Mag, M1}}.

%% pidigits: Gibbons' unbounded spigot on bignums.
pidigits(N) -> spigot(N, 1, 0, 1, 1, []).

spigot(0, _, _, _, _, Acc) -> lists:reverse(Acc);
spigot(N, Q, R, T, K, Acc) ->
    Digit = (3 * Q + R) div T,
    case (4 * Q + R) div T of
        Digit ->
            spigot(N - 1, 10 * Q, 10 * (R - Digit * T), T, K, [$0 + Digit | Acc]);
        _ ->
            L = 2 * K + 1,
            spigot(N, Q * K, (2 * Q + R) * L, T * L, K + 1, Acc)
    end.

%% mandelbrot: bits of a Size x Size image as a binary.
mandelbrot(Size) ->
    << <<(row(Y, Size))/binary>> || Y <- lists:seq(0, Size - 1) >>.

row(Y, Size) ->
    Ci = 2.0 * Y / Size - 1.0,
    << <<(point(2.0 * X / Size - 1.5, Ci, 0.0, 0.0, 50)):1>> || X <- lists:seq(0, Size - 1) >>.

point(_, _, Zr, Zi, _) when Zr * Zr + Zi * Zi > 4.0 -> 0;
point(_, _, _, _, 0) -> 1;
point(Cr, Ci, Zr, Zi, K) ->
    point(Cr, Ci, Zr * Zr - Zi * Zi + Cr, 2.0 * Zr * Zi + Ci, K - 1).

%% fasta's linear congruential generator.
lcg(0, Seed, Acc) -> {Seed, Acc};
lcg(N, Seed, Acc) ->
    S = (Seed * 3877 + 29573) rem 139968,
    lcg(N - 1, S, Acc bxor (S bsl (N band 15))).
