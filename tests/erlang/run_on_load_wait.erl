-module(run_on_load_wait).
-export([main/0]).

%% on_load functions run in the process whose call loads the module, as
%% ordinary code: they may wait in receive and load other modules on
%% demand (on_load_wait_w loads orddict and on_load_wait_v, itself with an
%% on_load function). Processes that call a module whose on_load function
%% another process runs wait for it. A failed on_load gives undef (and the
%% next call tries again); code:ensure_loaded/1 and
%% ensure_modules_loaded/1 run on_load functions too. The helper modules
%% are on_load_wait_*.S.
main() ->
    out(on_load_wait_w:f()),
    out(erlang:module_loaded(on_load_wait_w)),
    Self = self(),
    [spawn(fun() -> Self ! {r, N, on_load_wait_x:f()} end) || N <- [1, 2, 3]],
    out(lists:sort([receive {r, N, V} -> {N, V} end || _ <- [1, 2, 3]])),
    out(undef_head(fun() -> on_load_wait_f:f() end)),
    out(undef_head(fun() -> on_load_wait_f:f() end)),
    out(erlang:module_loaded(on_load_wait_f)),
    out(code:ensure_loaded(on_load_wait_f)),
    out(code:ensure_loaded(on_load_wait_y)),
    out(code:ensure_modules_loaded([on_load_wait_y, on_load_wait_f, on_load_wait_w])),
    out(on_load_wait_y:f()).

%% The error and the two top frames of its stack trace.
undef_head(F) ->
    try F() catch error:E:S -> {E, lists:sublist(S, 2)} end.

out(T) -> io:format("~p~n", [T]).
