%% Instructions specialised by register shape (`+` of X/Y registers,
%% `=:=`/`=/=` of an immediate, `is_nil` and `is_nonempty_list` of an X
%% register, two moves with Y destinations): their fast and slow paths.
-module(run_reg_shapes).
-export([main/0]).

main() ->
    Big = 1 bsl 59,
    io:format("~p~n", [[add(1, 2), add(Big, Big), add(-Big, -Big), add(1.5, 2),
                        add(1, 2.5), catch_add(a, 1), catch_add(1, [])]]),
    io:format("~p~n", [[add_y(3, 4), add_y(Big, Big - 1), add_y(0.5, 1),
                        catch_add_y(x, 1), catch_add_y(1, {})]]),
    io:format("~p~n", [[sum(lists:seq(1, 100), 0), sum([Big, Big, Big], 0)]]),
    io:format("~p~n", [[imm(V) || V <- [0, 1, ok, [], nil, 0.0, <<>>, Big]]]),
    io:format("~p~n", [[kind(V) || V <- [[], [a], [a | b], {}, "s", 0]]]),
    io:format("~p~n", [len([1, 2, 3 | []], 0)]),
    io:format("~p~n", [tak(18, 12, 6)]),
    io:format("~p~n", [shuffle(1, 2, 3, 4)]),
    io:format("~p~n", [try len([1 | 2], 0) catch error:R:S -> {R, hd(S)} end]),
    ok.

add(A, B) -> A + B.

catch_add(A, B) ->
    try add(A, B)
    catch error:R:S -> {R, hd(S)}
    end.

%% `A` lives in a Y register across the call.
add_y(A, B) ->
    C = id(B),
    A + C.

catch_add_y(A, B) ->
    try add_y(A, B)
    catch error:R:S -> {R, hd(S)}
    end.

id(X) -> X.

sum([], Acc) -> Acc;
sum([H | T], Acc) -> sum(T, Acc + H).

imm(0) -> zero;
imm(ok) -> ok;
imm([]) -> nil;
imm(V) when V =/= 1 -> {other, V};
imm(_) -> one.

kind([]) -> empty;
kind([_ | _]) -> cons;
kind(_) -> other.

len([], N) -> N;
len([_ | T], N) -> len(T, N + 1).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) ->
    Z.

%% Values moved between X and Y registers in pairs around calls.
shuffle(A, B, C, D) ->
    E = id(A),
    F = id(B),
    G = id(C),
    {E, F, G, D, id(D), A, B, C}.
