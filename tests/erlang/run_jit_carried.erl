%% Loops carrying a tuple of floats they rebuild every iteration (as
%% bench_nbody's pull/4 carries its body): the trace knows the tuple and
%% its boxed floats in the loop and reads them unchecked, so every other
%% way in must still be checked: a starting tuple with a field that is
%% no float or of another size, list elements of other types whose side
%% traces build the tuple with an integer in it and go back to the loop,
%% fields swapped between iterations, a result going infinite, and
%% yields in several processes.
-module(run_jit_carried).
-export([main/0]).

main() ->
    Ps = [{float(I), I / 3, 1.0 / I} || I <- lists:seq(1, 2000)],
    S = {0.0, 1.0, 2.0, 0.0},
    io:format("~p~n", [acc(S, Ps, {0.5})]),
    io:format("~p~n", [acc({0, 1.0, 2.0, 0.0}, Ps, {0.5})]),
    io:format("~p~n", [acc({0.0, 1, 2.0, 0.0}, Ps, {0.5})]),
    io:format("~p~n", [try acc({0.0, x, 2.0, 0.0}, Ps, {0.5}) catch error:E1 -> E1 end]),
    io:format("~p~n", [try acc({0.0, 1.0, 2.0}, Ps, {0.5}) catch error:E2 -> E2 end]),
    %% Integer elements now and then: the other clause puts an integer
    %% in the carried tuple, and the loop goes on from there.
    Mixed = [case I rem 7 of 0 -> {I, I, I}; _ -> P end
             || {I, P} <- lists:zip(lists:seq(1, 2000), Ps)],
    io:format("~p~n", [acc(S, Mixed, {0.5})]),
    io:format("~p~n", [try acc(S, Ps ++ [x] ++ Ps, {0.5}) catch error:E3 -> E3 end]),
    io:format("~p~n", [try acc(S, Ps ++ [{1.0e308, 1.0, 1.0}] ++ Ps, {1.0e10})
                       catch error:E4 -> E4 end]),
    io:format("~p~n", [swap({1.0, 2.0, 0.0}, lists:seq(1, 3001), {0.5})]),
    io:format("~p~n", [swap({1.0, 2, 0.0}, lists:seq(1, 3001), {0.25})]),
    io:format("~p~n", [count({0.0, 0.0}, [float(I) || I <- lists:seq(1, 3000)])]),
    io:format("~p~n", [count({0.0, 0.0}, [case I rem 5 of 0 -> I; _ -> float(I) end
                                           || I <- lists:seq(1, 3000)])]),
    io:format("~p~n", [spawned(Ps)]).

%% A boxed anew, B passed on, C boxed anew, N counts (a float, or the
%% integer of the other clause's last element).
%% K comes in a tuple the loop passes on: its guard moves out of the
%% loop (the trace is peeled, so the loop starts from a tuple it built).
acc(B, [], _) -> B;
acc({A, B, C, _}, [{X, Y, Z} | T], {K} = KT) when is_integer(X) ->
    acc({A + B * K, B, C - K, X + Y + Z}, T, KT);
acc({A, B, C, N}, [{X, Y, Z} | T], {K} = KT) ->
    acc({A + X * K, B, C - 1.0 * Y * Z, N + 1.0}, T, KT).

%% The first two fields change places every iteration.
swap(T, [], _) -> T;
swap({A, B, S}, [_ | T], {H} = HT) -> swap({B, A, S + A * H}, T, HT).

%% No value from before the loop: side traces may jump to its head with
%% a tuple of their own (an integer in it).
count(T, []) -> T;
count({S, _}, [X | T]) when is_integer(X) -> count({S, X}, T);
count({S, N}, [X | T]) -> count({S + X, N + 1.0}, T).

spawned(Ps) ->
    Self = self(),
    Long = lists:append(lists:duplicate(10, Ps)),
    Pids = [spawn(fun() -> Self ! {self(), acc({float(K), 1.0, 2.0, 0.0}, Long, {0.25})} end)
            || K <- [1, 2, 3]],
    [receive {P, R} -> R end || P <- Pids].
