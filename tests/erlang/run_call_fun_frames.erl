%% A bad fun or arity at a fun call (call_fun2) shows the calling
%% function twice at the top of the stack trace when the call is not a
%% tail call (its position, then the continuation it pushed), once when it
%% is, as BEAM's: closures, external funs, non-funs, with and without a
%% stack frame.
-module(run_call_fun_frames).
-export([main/0, body/1, tail/1, body2/2, body_arity/1, tail_arity/1, inner/1, framed_tail/2, ext_body/1, ext_tail/1]).
main() ->
    [io:format("~p: ~p~n", [F, t(fun() -> ?MODULE:F(X) end)])
     || {F, X} <- [{body, notfun}, {tail, notfun}, {body_arity, fun(A) -> A end},
                   {tail_arity, fun(A) -> A end}, {inner, notfun}, {ext_body, fun lists:map/2},
                   {ext_tail, fun lists:map/2}, {body, {a, b}}]],
    io:format("~p~n", [t(fun() -> body2(notfun, 1) end)]),
    io:format("~p~n", [t(fun() -> framed_tail(notfun, 1) end)]),
    ok.
t(F) -> try F() catch error:R:St -> {R, lists:sublist(St, 3)} end.

body(F) -> X = F(), {X}.
tail(F) -> F().
body2(F, Y) -> Z = F(Y), [Z].
body_arity(F) -> X = F(), {X}.
tail_arity(F) -> F().
inner(F) -> R = lists:map(fun(_) -> F() end, [1]), {R}.
framed_tail(F, Y) -> Z = lists:reverse([Y]), F(Z).
ext_body(F) -> X = F(), {X}.
ext_tail(F) -> F().
