%% A loop calling a compiled loop whose trace keeps a stack frame (floats
%% live in Y registers across math:sqrt/1, as bench_nbody's pull/4), and
%% whose end allocates a frame of its own and calls lists:reverse/1: the
%% caller's trace calls the callee's trace (its frame above the caller's
%% in the frame buffer) and follows the callee's last clause, frame and
%% all, to its return. Then guards fail on purpose inside the callee's
%% frame and in its last clause: sqrt of a negative number (badarith from
%% math:sqrt/1 with the callee and the caller on the stack), an integer
%% where floats were, a list ending early or improperly, a body that is
%% no tuple, and many processes collecting while inside both frames.
-module(run_jit_nested_frame).
-export([main/0]).

main() ->
    Bs = bodies(5),
    io:format("~p~n", [steps(300, Bs, 0.5)]),
    %% The callee's loop runs 0 to 7 times per call.
    io:format("~p~n", [steps(200, bodies(8), 0.25)]),
    %% A negative K: other values through the same traces.
    show(k_neg, fun() -> steps(300, Bs, -0.5) end),
    %% sqrt of a negative number inside the callee's frame, while the
    %% caller's trace runs it: the error and the stack as BEAM has them.
    show(sqrt_late, fun() -> late_neg(400, Bs) end),
    %% An integer where the callee's floats were (its float guards fail
    %% inside its frame), then floats again.
    io:format("~p~n", [mixed(300, Bs)]),
    %% The list of bodies ends early (fewer bodies) or improperly.
    io:format("~p~n", [shrink(300, Bs)]),
    show(improper, fun() -> improper(300, Bs) end),
    show(not_tuple, fun() -> not_tuple(300, Bs) end),
    %% The callee's end sees an improper accumulator: lists:reverse/1
    %% fails inside the callee's own frame.
    show(bad_acc, fun() -> bad_acc(300, Bs) end),
    %% Several processes, collecting and yielding inside both frames.
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), steps(150 + 20 * K, bodies(4 + K), 0.5)} end)
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

bodies(N) ->
    [{float(K) * 1.5 + 0.25, float(K) * 0.1} || K <- lists:seq(1, N)].

%% Rounded sums, so the printed result does not depend on the last bits.
steps(0, Bs, _) -> milli([X + V || {X, V} <- Bs]);
steps(N, Bs, K) -> steps(N - 1, outer(Bs, K, []), K).

milli(L) -> [trunc(F * 1000) || F <- L].

outer([], _, Acc) -> lists:reverse(Acc);
outer([B | T], K, Acc) ->
    {B1, T1} = inner(B, T, K, []),
    outer(T1, K, [B1 | Acc]).

inner(B, [], _, Acc) -> {B, lists:reverse(Acc)};
inner({X1, V1}, [{X2, V2} | T], K, Acc) ->
    D = X1 - X2,
    S = math:sqrt(D * D + K),
    M = K / (D * S + 1.0),
    inner({X1, V1 - D * M * 0.001}, T, K, [{X2, V2 + D * M * 0.001} | Acc]).

%% K turns negative after the traces exist.
late_neg(0, Bs) -> milli([X || {X, _} <- Bs]);
late_neg(N, Bs) ->
    K = case N of
        100 -> -1.0e9;
        _ -> 0.5
    end,
    late_neg(N - 1, outer(Bs, K, [])).

%% Now and then one body's position is an integer.
mixed(0, Bs) -> milli([X || {X, _} <- Bs]);
mixed(N, Bs) ->
    Bs1 = case N rem 37 of
        0 -> [{7, 0.5} | tl(Bs)];
        _ -> Bs
    end,
    mixed(N - 1, outer(Bs1, 0.5, [])).

%% Fewer bodies after a while.
shrink(0, Bs) -> milli([X || {X, _} <- Bs]);
shrink(N, Bs) ->
    Bs1 = case N of
        150 -> tl(Bs);
        60 -> tl(tl(Bs));
        _ -> Bs
    end,
    shrink(N - 1, outer(Bs1, 0.5, [])).

improper(0, Bs) -> Bs;
improper(N, Bs) ->
    Bs1 = case N of
        100 -> [hd(Bs), hd(tl(Bs)) | done];
        _ -> Bs
    end,
    improper(N - 1, outer(Bs1, 0.5, [])).

not_tuple(0, Bs) -> Bs;
not_tuple(N, Bs) ->
    Bs1 = case N of
        100 -> [hd(Bs), 1.5 | tl(tl(Bs))];
        _ -> Bs
    end,
    not_tuple(N - 1, outer(Bs1, 0.5, [])).

bad_acc(0, Bs) -> Bs;
bad_acc(N, Bs) ->
    Acc = case N of
        100 -> tail;
        _ -> []
    end,
    bad_acc(N - 1, outer_acc(Bs, Acc, [])).

outer_acc([], _, Acc) -> lists:reverse(Acc);
outer_acc([B | T], A0, Acc) ->
    {B1, T1} = inner(B, T, 0.5, A0),
    outer_acc(T1, A0, [B1 | Acc]).
