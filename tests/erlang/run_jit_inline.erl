%% A loop whose body calls a function that does not loop (bench_nbody's
%% loop/2 calling advance/2): the loop's trace inlines the callee, whose
%% frame goes above the loop's frame and trailer in the frame buffer; the
%% callee calls a loop's trace (that loop ends in a tail call of
%% lists:reverse/1, returning to the callee) and ends in a tail call of a
%% function trace (a list comprehension), whose last return comes back
%% to the loop. Then guards fail on purpose at every level: inside the
%% called loop, inside the comprehension's recursion, in the inlined
%% callee, with bignums, floats turning into integers, atoms (badarith
%% deep inside, the stack trace as BEAM has it), a throw, a list deeper
%% than the frame buffer, and several processes collecting and yielding
%% everywhere.
-module(run_jit_inline).
-export([main/0]).

main() ->
    Xs = [float(K) * 0.5 || K <- lists:seq(1, 12)],
    io:format("~p~n", [milli(loop(500, Xs, none, 0))]),
    %% Values of other types inside the called loop and the recursion.
    io:format("~p~n", [milli(loop(500, Xs, int, 300))]),
    io:format("~p~n", [milli(loop(500, Xs, big, 300))]),
    show(atom, fun() -> loop(500, Xs, atom, 300) end),
    show(throw, fun() -> loop(500, Xs, throw, 300) end),
    %% A longer list once: the recursion deeper than the buffer.
    io:format("~p~n", [milli(loop(300, Xs, long, 150))]),
    %% The list shrinks to nothing: the called loop and the recursion end
    %% at once.
    io:format("~p~n", [milli(loop(300, Xs, empty, 100))]),
    %% Several processes at once.
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), milli(loop(200 + 10 * K, Xs, int, 100 + K))} end)
            || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(Name, F) ->
    try F() of
        V -> io:format("~p: ~p~n", [Name, milli(V)])
    catch
        C:R:St ->
            Here = [{F1, A} || {?MODULE, F1, A, _} <- St],
            [{M0, F0, A0, _} | _] = St,
            io:format("~p: ~p ~p ~p ~p~n", [Name, C, R, {M0, F0, A0}, Here])
    end.

%% The length and the rounded sum, so the printed result does not depend
%% on the last bits.
milli(L) when is_list(L) -> {length(L), round(lists:sum(L) * 1000)};
milli(X) -> X.

loop(0, Xs, _, _) -> Xs;
loop(N, Xs, Kind, At) ->
    Ys = if
        N =:= At -> odd(Kind, Xs);
        true -> Xs
    end,
    loop(N - 1, step(Ys, 0.5), Kind, At).

%% The list changed as Kind says (the traces' guards fail on it).
odd(int, Xs) -> [3 | tl(Xs)];
odd(big, Xs) -> [1 bsl 62 | tl(Xs)];
odd(atom, Xs) -> lists:sublist(Xs, 5) ++ [x | lists:nthtail(6, Xs)];
odd(throw, Xs) -> lists:sublist(Xs, 7) ++ [throw | lists:nthtail(8, Xs)];
odd(long, Xs) -> Xs ++ lists:duplicate(1500, 2.5);
odd(empty, _) -> [].

%% No loop: the trace inlines it.
step(Xs, K) ->
    Ys = scale(Xs, K, []),
    [Y * 0.75 + 0.25 || Y <- Ys].

%% A loop, ending in a tail call of lists:reverse/1.
scale([], _, Acc) -> lists:reverse(Acc);
scale([throw | _], _, _) -> throw(deep);
scale([X | T], K, Acc) -> scale(T, K, [X * K + 1.0 | Acc]).
