%% Wishlist (reported, not asserted): run_jit_tail_return with its four
%% worker processes at the end, which at --jit-threshold 1 with several
%% schedulers end in `badarith` in pos/2 in about 1 run in 5 to 20 (never
%% with +S 1): a race across schedulers on the path where a return trace
%% tail-calls another function trace (returns::tail_called, session 21),
%% found in session 22 and not yet fixed (docs/JIT.md "Not yet").
-module(run_jit_tail_return_procs).
-export([main/0]).

-include("../jit_tail_return.hrl").

main() ->
    phases(),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), work(K)} end) || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]).
