%% run_jit_tail_return with its four worker processes at the end running
%% together: on several schedulers (or one, taking turns), a worker
%% yields inside the function trace a return trace tail-called
%% (returns::tail_called, session 21) and resumes after another process
%% ran. Until session 23 such a yield kept only the X registers of the
%% entered trace's function (`mix/1`: x0), and the worker went on with
%% the other process's x1 as `pos/2`'s H: `badarith` in pos/2, or a wrong
%% sum, in about 1 run in 5 to 20 (docs/JIT.md, Session 23).
-module(run_jit_tail_return_procs).
-export([main/0]).

-include("jit_tail_return.hrl").

main() ->
    phases(),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), work(K)} end) || K <- lists:seq(1, 4)],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]).
