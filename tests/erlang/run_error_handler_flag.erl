-module(run_error_handler_flag).
-export([main/0]).

%% A process whose error_handler flag names a loaded module has its
%% undefined_function/3 called for calls to undefined functions (BEAM
%% aborts if the handler module is not loaded: not tested).
%% error_handler:undefined_function/3 itself loads on demand and calls, or
%% raises undef. The handler is seq_error_handler.S.
main() ->
    {module, seq_error_handler} = code:ensure_loaded(seq_error_handler),
    out(with(seq_error_handler, fun() -> catch nomod_xyz:foo(1, 2) end)),
    out(with(seq_error_handler, fun() -> catch lists:nonexist(a) end)),
    out(with(seq_error_handler, fun() -> catch apply(nomod_xyz, bar, []) end)),
    out(with(seq_error_handler, fun() -> lists:reverse([1, 2]) end)),
    out(process_flag(error_handler, error_handler)),
    out(catch error_handler:undefined_function(lists, nonexist, [])),
    out(catch error_handler:undefined_function(lists, reverse, [[1, 2]])),
    out(catch error_handler:undefined_function(nomod_xyz, f, [1])),
    out(catch nomod_xyz:foo(1, 2)).

%% Runs F with the error_handler flag set to H, then puts it back before
%% anything else (printing may load modules on demand).
with(H, F) ->
    Old = process_flag(error_handler, H),
    R = F(),
    H = process_flag(error_handler, Old),
    R.

out({'EXIT', {R, [Top | _]}}) -> io:format("~p~n", [{'EXIT', R, Top}]);
out(V) -> io:format("~p~n", [V]).
