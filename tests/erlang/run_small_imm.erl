%% The loader's small-immediate specialisations (AddXI, IsLtXI, IsGeXI,
%% IsLtIX, IsGeIX): results at the edges of the small integers, and every
%% other kind of term on the register side, which takes the general path.
-module(run_small_imm).
-export([main/0]).

-define(MAX, 576460752303423487).
-define(MIN, -576460752303423488).

main() ->
    Xs = [0, 1, -1, 2, ?MAX, ?MAX - 1, ?MIN, ?MIN + 1, ?MAX + 1, ?MIN - 1,
          1 bsl 64, -(1 bsl 64), 1.5, -0.0, 2.0, foo, [], {1}, <<>>, "a"],
    [io:format("~w: ~w~n", [X, try adds(X) catch C:R -> {C, R} end]) || X <- Xs],
    [io:format("~w: ~w~n", [X, compares(X)]) || X <- Xs],
    ok.

adds(X) ->
    {X + 1, X - 1, X + ?MAX, X - ?MAX, X + ?MIN, X - ?MIN, X - 0, X + -5}.

compares(X) ->
    [lt2(X), ge2(X), gt0(X), le0(X), ltmax(X), gtmin(X)].

lt2(X) when X < 2 -> lt; lt2(_) -> no.
ge2(X) when X >= 2 -> ge; ge2(_) -> no.
gt0(X) when X > 0 -> gt; gt0(_) -> no.
le0(X) when X =< 0 -> le; le0(_) -> no.
ltmax(X) when X < ?MAX -> lt; ltmax(_) -> no.
gtmin(X) when ?MIN < X -> gt; gtmin(_) -> no.
