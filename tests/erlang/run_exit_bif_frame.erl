%% A tail call of a BIF that always raises (erlang:error/1 here) after the
%% frame was trimmed: OTP's compiler leaves the untrimmed size on the
%% `call_ext_last` (beam_trim's safe labels), which the VM must not pop,
%% or the caller's catch goes with it. sofs:composite/2 of a relation
%% that is not a function is such a call, as are the local functions
%% below, shaped like it.
-module(run_exit_bif_frame).
-export([main/0]).

main() ->
    R = sofs:relation([{a, 1}, {b, 2}, {a, 3}]),
    F = sofs:relation([{1, x}, {3, y}]),
    io:format("~p~n", [try sofs:composite(R, F) catch C:E -> {C, E} end]),
    io:format("~p~n", [element(1, catch sofs:composite(R, F))]),
    io:format("~p~n", [[try shaped(X, Y, Z) catch Cl:Re:St -> {Cl, Re, own_frames(St)} end
                        || {X, Y, Z} <- [{{a, b}, {c, d}, 1}, {{a, b}, {c, d}, 2}, {{a, '_'}, {c, d}, 1}]]]),
    io:format("~p~n", [[(catch shaped({a, b}, {c, d}, N)) =/= x || N <- lists:seq(1, 3)]]),
    io:format("~p~n", [[try exit_kind(K) catch Cl:Re -> {Cl, Re} end || K <- [exit, throw, error2, ok]]]),
    io:format("~p~n", [catch nested(5)]),
    ok.

%% sofs:composite/2's shape: six Y registers, three trimmed before the
%% call whose result decides the error, which is compiled to
%% `call_ext_last 1 erlang:error/1 6` on a frame of three.
shaped(F1, F2, K) ->
    {D1, R1} = F1, {D2, R2} = F2,
    case id(R1) of
        '_' -> F1;
        _ ->
            case match(R1, D2) of
                true ->
                    case comp(K, R2) of
                        SL when is_list(SL) -> {lists:sort(SL), D1, R2};
                        Bad -> erlang:error(Bad)
                    end;
                false -> erlang:error(type_mismatch)
            end
    end.

match(_, _) -> true.

comp(1, R) -> [R, 1];
comp(_, _) -> bad_function.

exit_kind(K) ->
    V = id(K),
    W = id(V),
    case id(W) of
        exit -> exit({gone, V});
        throw -> throw({thrown, W});
        error2 -> erlang:error(two, [V]);
        Other -> {ok, Other, V}
    end.

nested(0) -> erlang:error(bottom);
nested(N) ->
    try nested(N - 1) of
        _ -> unreachable
    catch
        error:bottom when N =:= 3 -> {caught_at, N};
        error:Reason -> erlang:error(Reason)
    end.

id(X) -> X.

own_frames(St) -> [{F, A} || {?MODULE, F, A, _} <- St].
