%% A module with an on_load function, loaded by run_trace_on_load after
%% setting on_load patterns.
-module(trace_onload).
-on_load(init/0).
-export([f/1]).

init() ->
    _ = helper(1),
    ok.

helper(X) -> X + 1.

f(X) -> helper(X).
