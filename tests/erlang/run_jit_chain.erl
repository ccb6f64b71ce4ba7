%% Traces calling traces calling traces: four loops, each calling the next
%% one (non-tail, with a frame of its own live across the call), so that
%% the outer trace calls a trace that calls a trace that calls a trace and
%% every exit of the innermost one, at any depth, must leave the frames of
%% all its callers and their continuations on the stack exactly as the
%% interpreter would have. Then guards fail on purpose mid-way: the
%% innermost loop overflows into bignums, its integers turn into floats,
%% an atom makes it raise badarith (the stack trace, with every caller's
%% frame, as BEAM has it), it throws, its list ends improperly; floats
%% kept raw in the callers' frames across the calls are boxed at those
%% exits; several processes collect and yield inside all four frames.
-module(run_jit_chain).
-export([main/0]).

main() ->
    io:format("~p~n", [d(400, 0, none, 0)]),
    %% K turns into a bignum factor for one call of the innermost loop.
    io:format("~p~n", [d(400, 0, big, 150)]),
    %% K turns into a float for one call: the innermost trace's entry
    %% fails, then its guards as Acc becomes a float.
    io:format("~p~n", [d(400, 0, float, 150)]),
    %% An atom: badarith inside the innermost loop, with three callers'
    %% frames below it.
    show(atom, fun() -> d(400, 0, atom, 150) end),
    %% A throw from the innermost loop, caught outside all four.
    show(throw, fun() -> d(400, 0, throw, 150) end),
    %% Floats in every caller's frame, raw in the frame buffer, and
    %% lists built by the innermost loops (collections inside them).
    io:format("~p~n", [fd(300, 0.0, none, 1000)]),
    %% The list ends improperly now and then: the summing loop's guards
    %% fail inside, and once it raises badarith there.
    io:format("~p~n", [fd(300, 0.0, improper, 120)]),
    show(badlist, fun() -> fd(300, 0.0, badlist, 120) end),
    %% Several processes at once, collecting and yielding at every
    %% level (long innermost loops spend the slices there).
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), {d(200 + K, K, none, 0), fd(150 + K, 0.5, none, 1000)}} end)
            || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

show(Name, F) ->
    try F() of
        V -> io:format("~p: ~p~n", [Name, V])
    catch
        C:R:St ->
            Here = [{F1, A} || {?MODULE, F1, A, _} <- St],
            [{M0, F0, A0, _} | _] = St,
            io:format("~p: ~p ~p ~p ~p~n", [Name, C, R, {M0, F0, A0}, Here])
    end.

%% Level 1: N iterations, each a call of level 2 with its own frame (N, S
%% and the mode live across the call); at iteration At, K is Kind's.
d(0, S, _, _) -> S;
d(N, S, Kind, At) ->
    K = if
        N =:= At -> k(Kind);
        true -> 1
    end,
    V = a(N rem 5 + 2, 0, K),
    %% The sum stays a small integer, whatever the callees returned.
    W = if
        is_integer(V) -> V band 16#FFFF;
        true -> 7
    end,
    d(N - 1, S + W, Kind, At).

k(big) -> 1 bsl 59;
k(float) -> 1.5;
k(atom) -> x;
k(throw) -> throw.

%% Level 2.
a(0, S, _) -> S;
a(M, S, K) ->
    V = b(M + 1, 0, K),
    a(M - 1, S + V, K).

%% Level 3.
b(0, S, _) -> S;
b(M, S, K) ->
    V = c(M * 3, 0, K),
    b(M - 1, S + V, K).

%% Level 4, the innermost loop.
c(0, Acc, _) -> Acc;
c(5, _, throw) -> throw({deep, 5});
c(N, Acc, throw) -> c(N - 1, Acc + N, throw);
c(N, Acc, K) -> c(N - 1, Acc + N * K, K).

%% The same shape over floats: every level keeps a float in its frame
%% across its call, and the last calls two loops, one building a list
%% and one summing it. Every At-th iteration the list's tail is Kind's.
fd(0, F, _, _) -> F;
fd(N, F, Kind, At) ->
    T = if
        N rem At =:= 0 -> tail(Kind);
        true -> []
    end,
    V = fa(N rem 4 + 5, 0.25, T),
    fd(N - 1, F * 0.5 + V, Kind, At).

tail(improper) -> done;
tail(badlist) -> bad.

fa(0, F, _) -> F;
fa(M, F, T) ->
    V = fb(M + 4, F * 0.5, T),
    fa(M - 1, F + V * 0.001, T).

fb(0, F, _) -> F;
fb(M, F, T) ->
    L = fc(M * 2, F, T),
    fb(M - 1, F * 0.75 + sum(L, 0.0) * 0.01, T).

%% The innermost loops: a list of floats on the tail T ([] or not), and
%% its sum.
fc(0, _, L) -> L;
fc(N, F, L) -> fc(N - 1, F, [F * N | L]).

sum([], S) -> S;
sum([H | T], S) -> sum(T, S + H);
sum(done, S) -> S + 1.0;
sum(X, S) -> S + X.
