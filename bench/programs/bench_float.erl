%% A float loop: midpoint-rule integration of 4/(1+x^2) over [0,1] (pi).
-module(bench_float).
-export([main/1]).

main([Arg]) ->
    Steps = list_to_integer(Arg),
    {Micros, Result} = timer:tc(fun() -> integrate(Steps) end),
    io:format("~w ~.6f~n", [Micros, Result]).

integrate(Steps) ->
    H = 1.0 / Steps,
    loop(Steps, H, 0.0) * H.

loop(0, _, Acc) -> Acc;
loop(I, H, Acc) ->
    X = (I - 0.5) * H,
    loop(I - 1, H, Acc + 4.0 / (1.0 + X * X)).
