%% error_handler's '$handle_undefined_function'/2: a loaded module that
%% exports it gets calls of its undefined functions, by every call form;
%% the handler raising undef itself, and a module without one.
-module(run_undef_handler).
-export([main/0, '$handle_undefined_function'/2]).

'$handle_undefined_function'(bar, []) -> erlang:error(undef);
'$handle_undefined_function'(F, Args) -> {handled, F, Args}.

p(X) -> io:format("~p~n", [X]).

main() ->
    p(catch run_undef_handler:nope(1, 2)),
    M = run_undef_handler,
    p(catch M:nope2()),
    p(catch apply(M, nope3, [a])),
    p(catch (fun run_undef_handler:nope4/1)(x)),
    F = fun M:nope5/2,
    p(catch F(1, 2)),
    p(catch lists:map(fun run_undef_handler:baz/1, [1, 2])),
    {'EXIT', {undef, [Top | _]}} = (catch run_undef_handler:bar()),
    p(Top),
    {'EXIT', {undef, [Top2 | _]}} = (catch run_file_io_missing:f(1)),
    p(Top2),
    p([catch run_undef_handler:loop(I) || I <- lists:seq(1, 3)]),
    %% Processes started at an undefined function (the last one's crash
    %% report not printed).
    ok = logger:set_primary_config(level, none),
    Self = self(),
    {P, R} = spawn_monitor(run_undef_handler, nope6, [Self]),
    receive {'DOWN', R, process, P, Why} -> p(Why) end,
    {P2, R2} = erlang:spawn_opt(run_undef_handler, nope7, [], [monitor]),
    receive {'DOWN', R2, process, P2, Why2} -> p(Why2) end,
    {P3, R3} = spawn_monitor(run_undef_handler, bar, []),
    receive {'DOWN', R3, process, P3, {Why3, [Top3 | _]}} -> p({Why3, Top3}) end.
