%% cprof as users run it: start on a module, a function, everything;
%% a deterministic workload; pause, analyse (a module, with a limit, all
%% modules), restart, stop. A module loaded after cprof:start/0 is counted
%% too (its on_load pattern). Totals over every loaded module differ
%% between VMs (other modules are loaded): only their types are printed.
-module(run_cprof).
-export([main/0, fib/1, work/1, helper/1]).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

helper(X) -> X * 2.

work(N) ->
    L = lists:seq(1, N),
    S = lists:sum([?MODULE:helper(X) || X <- L]),
    R = lists:reverse(L),
    {S, length(R), fib(12), local(N)}.

local(0) -> 0;
local(N) -> 1 + local(N - 1).

p(Tag, X) -> io:format("~s ~p~n", [Tag, X]).

main() ->
    M = ?MODULE,
    p("start", cprof:start(M)),
    p("work", work(50)),
    p("pause", cprof:pause(M)),
    p("work", work(10)),
    p("analyse", cprof:analyse(M)),
    p("analyse limit", cprof:analyse(M, 10)),
    p("info", erlang:trace_info({M, fib, 1}, call_count)),
    p("restart", cprof:restart(M)),
    p("analyse", cprof:analyse(M)),
    p("start fib", cprof:start(M, fib)),
    p("start seq", cprof:start(lists, seq, 2)),
    p("work", work(20)),
    p("pause all", is_integer(cprof:pause())),
    p("analyse", cprof:analyse(M)),
    p("lists", cprof:analyse(lists)),
    p("stop", cprof:stop(M)),
    p("analyse", cprof:analyse(M)),
    p("stop seq", cprof:stop({lists, seq, 2})),
    p("lists", cprof:analyse(lists)),
    %% Everything, and a module loaded since.
    p("start all", is_integer(cprof:start())),
    p("late", trace_late:f(5)),
    p("work", work(5)),
    p("pause all", is_integer(cprof:pause())),
    {N, L} = cprof:analyse(),
    p("analyse all", {is_integer(N), lists:keyfind(M, 1, L), lists:keyfind(trace_late, 1, L)}),
    p("late", cprof:analyse(trace_late)),
    p("stop all", is_integer(cprof:stop())),
    p("on_load", erlang:trace_info(on_load, call_count)),
    p("analyse", cprof:analyse(M)),
    ok.
