%% A return trace links to its function trace's loop head with terms it
%% loaded from its frame where the loop's arguments are integers (tak's
%% continuations pass on two frame words): each is checked to be a small
%% integer and untagged in the loop's register. The checks fail on
%% purpose: a base case now and then returns a float or an atom, which
%% the frame then holds, so the link goes through the trace's entry and
%% its type check exits to the interpreter (badarith for the atom).
-module(run_jit_link_untag).
-export([main/0]).

main() ->
    io:format("~p~n", [[tak(18, 12, 6) || _ <- lists:seq(1, 3)]]),
    io:format("~p~n", [[{K, tf(18, 12, 6, K)} || K <- [100, -1, 0, 3, 5, 7, 100]]]),
    io:format("~p~n", [[caught(fun() -> ta(18, 12, 6, K) end) || K <- [100, 4, 9, 100]]]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), {tak(16 + K, 10, 4), tf(17, 11, 5, K)}} end)
            || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]).

caught(F) ->
    try F() catch C:R -> {C, R} end.

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.

%% A float result where X is K.
tf(X, Y, Z, K) when Y < X ->
    tf(tf(X - 1, Y, Z, K), tf(Y - 1, Z, X, K), tf(Z - 1, X, Y, K), K);
tf(X, _, Z, K) when X =:= K -> Z + 0.5;
tf(_, _, Z, _) -> Z.

%% An atom result where X is K: badarith deep inside.
ta(X, Y, Z, K) when Y < X ->
    ta(ta(X - 1, Y, Z, K), ta(Y - 1, Z, X, K), ta(Z - 1, X, Y, K), K);
ta(X, _, _, X) -> atom;
ta(_, _, Z, _) -> Z.
