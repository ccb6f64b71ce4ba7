-module(run_negzero_incr).
-export([main/0]).

%% BEAM's loader makes `X - K` (K a small non-negative integer) an
%% increment by -K: -0.0 - 0 is 0.0, as -0.0 + 0 is. Operators on signed
%% zeros with integer and float constants, called once and in hot loops.
main() ->
    Fs = [{sub0, fun(X) -> X - 0 end}, {add0, fun(X) -> X + 0 end},
          {zero_sub, fun(X) -> 0 - X end}, {zero_add, fun(X) -> 0 + X end},
          {sub1, fun(X) -> X - 1 end}, {mul1, fun(X) -> X * 1 end},
          {mul0, fun(X) -> X * 0 end}, {subf0, fun(X) -> X - 0.0 end},
          {addf0, fun(X) -> X + 0.0 end}, {subnf0, fun(X) -> X - -0.0 end},
          {neg, fun(X) -> -X end}, {div1, fun(X) -> X / 1 end}],
    [io:format("~p ~p: ~p~n", [Name, V, F(id(V))]) || {Name, F} <- Fs, V <- [-0.0, 0.0, 0, 1.5]],
    io:format("~p~n", [[sub0(id(V)) || V <- [-0.0, 0.0]]]),
    [io:format("~p~n", [loop(2000, id(V), [])]) || V <- [-0.0, 0.0, 0]],
    [io:format("~p~n", [loop_add(2000, id(V), [])]) || V <- [-0.0, 0.0, 0]],
    [io:format("~p~n", [loop_fun(2000, F, id(-0.0), [])]) || {_, F} <- Fs].

%% Known to be a float: compiled to fsub, -0.0 stays -0.0.
sub0(X) when is_float(X) -> X - 0.

loop(0, _, Acc) -> lists:usort(Acc);
loop(N, X, Acc) -> loop(N - 1, X, [X - 0 | Acc]).

loop_add(0, _, Acc) -> lists:usort(Acc);
loop_add(N, X, Acc) -> loop_add(N - 1, X, [X + 0, X - 1 + 1, 0 - X | Acc]).

loop_fun(0, _, _, Acc) -> lists:usort(Acc);
loop_fun(N, F, X, Acc) -> loop_fun(N - 1, F, X, [F(X) | Acc]).

id(X) -> X.
