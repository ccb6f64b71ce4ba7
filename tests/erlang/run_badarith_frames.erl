%% The top of the stack trace of `badarith` from `+` and `-` of a register
%% and a literal: BEAM's loader makes `Reg + Int` and `Reg - Int` (`Int` a
%% small integer, not negative for `-`) an increment whose failure names
%% no `erlang:'+'/2` frame, while every other shape keeps the operator's
%% frame with its arguments.
-module(run_badarith_frames).
-export([main/0]).
-export([add/1, sub/1, sub_neg/1, add_neg/1, rsub/1, add2/2, sub2/2,
         mul/1, add_max/1, add_big/1, sub_zero/1, sub_max/1, sub_min/1,
         add_min/1, radd/1, add_y/1, sub_y/1, add_float/1]).

main() ->
    Ones = [add, sub, sub_neg, add_neg, rsub, mul, add_max, add_big,
            sub_zero, sub_max, sub_min, add_min, radd, add_y, sub_y,
            add_float],
    [show(F, fun() -> ?MODULE:F(a) end) || F <- Ones],
    show(add2, fun() -> ?MODULE:add2(a, 2) end),
    show(sub2, fun() -> ?MODULE:sub2(a, 2) end),
    show(add_ok, fun() -> ?MODULE:add(41) end),
    show(guard, fun() -> guard(a) end),
    ok.

add(X) -> X + 1.
sub(X) -> X - 1.
sub_neg(X) -> X - (-3).
add_neg(X) -> X + (-3).
rsub(X) -> 1 - X.
add2(X, Y) -> X + Y.
sub2(X, Y) -> X - Y.
mul(X) -> X * 1.
add_max(X) -> X + 576460752303423487.
add_big(X) -> X + 576460752303423488.
sub_zero(X) -> X - 0.
sub_max(X) -> X - 576460752303423487.
sub_min(X) -> X - (-576460752303423488).
add_min(X) -> X + (-576460752303423488).
radd(X) -> 7 + X.
add_float(X) -> X + 1.5.

%% The operand in a Y register (live across a call).
add_y(X) ->
    Y = id(X),
    Z = Y + 5,
    id(Y),
    Z.

sub_y(X) ->
    Y = id(X),
    Z = Y - 5,
    id(Y),
    Z.

guard(X) when X + 1 > 0 -> yes;
guard(_) -> no.

id(X) -> X.

show(Name, F) ->
    try F() of
        V -> io:format("~p: ~p~n", [Name, V])
    catch
        error:R:St ->
            [Top | _] = St,
            io:format("~p: ~p ~p~n", [Name, R, Top])
    end.
