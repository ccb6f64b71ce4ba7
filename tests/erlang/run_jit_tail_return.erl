%% Return traces that end in a tail call of another function's function
%% trace (bench_nrev's `app(nrev(T), [H])`): the callee's recursion goes
%% on above the caller's frames, and its last return goes back into the
%% caller's next frame. Their guards fail on purpose: the callee's entry
%% meeting a non-list (function_clause deep inside), an element that is
%% no number in the callee's body (badarith), lists deeper than the frame
%% buffer, a return trace whose guard picks one of two callees (and
%% fails where the other is called), a callee without a function trace,
%% floats and bignums as elements, and recursions yielding midway.
-module(run_jit_tail_return).
-export([main/0]).

-include("jit_tail_return.hrl").

main() ->
    phases(),
    %% The same work in four processes, one after another (together in
    %% run_jit_tail_return_procs).
    io:format("~p~n", [[work(K) || K <- lists:seq(1, 4)]]).
