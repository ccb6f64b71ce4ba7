%% Processes that yield inside a function trace which a return trace
%% tail-called (session 21: bench_nrev's `app(nrev(T), [H])`), each
%% resuming after another process ran on its scheduler. The yield is at
%% the callee's entry, with the callee's arguments live: until session
%% 23 the interpreter kept only as many X registers as the function whose
%% trace it had entered has arguments (`nrev/1`, `mix/1`: x0), and the
%% process resumed with the other process's x1 as `app/2`'s list or
%% `pos/2`'s H. Deterministic on one scheduler (`tests/tests/smp.rs` runs
%% it there too); on several, the processes take turns less often.
-module(run_jit_tail_yield).
-export([main/0]).

%% nrev/1 and app/2 (x1 a list on the heap), mix/1 tail-calling pos/2
%% or neg/2 (x1 an integer); the rest of it is not used here.
-include("jit_tail_return.hrl").
-compile(nowarn_unused_function).

main() ->
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), yields(K)} end) || K <- [4, 5, 6, 7]],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]).

%% Each result twenty times: a wrong one shows beside the others.
yields(K) ->
    L = lists:seq(K, 25 * K),
    M = lists:seq(-10 * K, 10 * K),
    {K, lists:usort([lists:sum(nrev(L)) || _ <- lists:seq(1, 20)]),
     lists:usort([lists:sum(mix(M)) || _ <- lists:seq(1, 20)])}.
