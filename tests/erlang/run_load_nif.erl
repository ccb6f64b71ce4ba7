%% erlang:load_nif/2 of a library that is not there fails with dlopen's
%% text, so an on_load function can fall back on Erlang code; bad paths
%% raise badarg.
-module(run_load_nif).
-export([main/0, double/1]).
-on_load(init/0).

init() ->
    case erlang:load_nif("/nonexistent/run_load_nif", 0) of
        {error, {load_failed, _}} -> put(fallback, true), ok;
        ok -> ok
    end.

double(X) -> X * 2.

t(F) -> try F() catch C:E -> {C, E} end.

main() ->
    io:format("~p~n", [double(21)]),
    io:format("~p~n", [erlang:load_nif("/nonexistent", 0)]),
    io:format("~p~n", [erlang:load_nif("/nonexistent/dir/lib", {some, info})]),
    io:format("~p~n", [t(fun() -> erlang:load_nif(bad, 0) end)]),
    io:format("~p~n", [t(fun() -> erlang:load_nif([$/ | bad], 0) end)]),
    io:format("~p~n", [t(fun() -> erlang:load_nif(<<"/x">>, 0) end)]),
    io:format("~p~n", [t(fun() -> erlang:load_nif(["/no", [<<"ne">>], "/x"], 0) end)]),
    io:format("~p~n", [t(fun() -> erlang:load_nif([$/, 16#3b1], 0) end)]),
    io:format("~p~n", [t(fun() -> erlang:load_nif([$/, -1], 0) end)]).
