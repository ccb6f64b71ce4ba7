-module(run_fun_tail_call).
-export([main/0, next/2, step/1]).

%% A fun called in a tail position is a tail call (BEAM's loader makes
%% `call_fun | deallocate | return` its `i_call_fun_last`): loops through
%% funs run in constant stack, and the caller's frame is gone from stack
%% traces of errors raised inside the callee.

main() ->
    logger:set_primary_config(level, none),
    show(loop_fun, loop(fun ?MODULE:next/2, 30000)),
    show(loop_closure, loop_closure(30000)),
    show(loop_named, (fun Count(0, Acc) -> {Acc, small_stack()};
                          Count(N, Acc) -> Count(N - 1, Acc + 1) end)(30000, 0)),
    show(cps, cps(20000, fun(X) -> {X, small_stack()} end)),
    show(export_fun, via(fun lists:reverse/1, [1, 2, 3])),
    show(bif_fun, via(fun erlang:abs/1, -3)),
    show(y_fun, keep_y(fun(X) -> X * 2 end, 21)),
    [show({error, Name}, catch_trace(F)) || {Name, F} <- errors()],
    ok.

show(What, V) -> io:format("~p -> ~p~n", [What, V]).

small_stack() ->
    {stack_size, S} = process_info(self(), stack_size),
    S < 200.

%% next/2 is reached through an exported fun: the tail `G(N, G)` call.
loop(G, N) -> G(N, G).

next(0, _) -> {done, small_stack()};
next(N, G) -> ?MODULE:step(N), G(N - 1, G).

step(N) -> N.

loop_closure(N) ->
    F = fun Self(0) -> {done, small_stack()};
            Self(K) -> G = fun(J) -> Self(J) end, G(K - 1) end,
    F(N).

cps(0, K) -> K(done);
cps(N, K) -> cps(N - 1, fun(X) -> step(X), K(X) end).

via(F, X) -> R = F(X), step(R), F(R).

keep_y(F, X) -> Y = step(X), F(Y).

errors() ->
    [{not_a_fun, fun() -> tail_call(not_a_fun, 1) end},
     {bad_arity, fun() -> tail_call(fun(A, B) -> {A, B} end, 1) end},
     {undef_export, fun() -> tail_call(fun no_such_module:f/1, 1) end},
     {undef_local_export, fun() -> tail_call(fun ?MODULE:missing/1, 1) end},
     {raise_inside, fun() -> tail_call(fun(X) -> error({inside, X}) end, 1) end},
     {badarith_inside, fun() -> tail_call(fun(X) -> X + a end, 1) end},
     {throw_inside, fun() -> tail_call(fun(X) -> throw(X) end, 7) end},
     {bif_tail, fun() -> tail_call(fun erlang:length/1, 3) end},
     {bif_body, fun() -> body_call(fun erlang:length/1, 3) end},
     {nested_tail, fun() -> tail_call(fun(X) -> tail_call(fun(Y) -> Y / 0 end, X) end, 1) end}].

tail_call(F, X) ->
    _ = step(X),
    F(X).

body_call(F, X) ->
    R = F(X),
    {R}.

catch_trace(F) ->
    try F() of V -> {ok, V}
    catch C:R:St -> {C, R, [{M, Fn, arity(A)} || {M, Fn, A, _} <- St, M =:= ?MODULE orelse M =:= erlang]}
    end.

arity(A) when is_list(A) -> length(A);
arity(A) -> A.
