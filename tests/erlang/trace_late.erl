%% A module run_cprof and run_trace_on_load load after setting on_load
%% patterns (it must not be loaded before).
-module(trace_late).
-export([f/1]).

f(0) -> 0;
f(N) -> g(N) + f(N - 1).

g(N) -> N.
