%% eprof as users run it: profile a deterministic workload (its own
%% process and one it spawns, with set_on_spawn), analyse it by process
%% and in total. Times differ from run to run: the report is printed with
%% its time columns checked to be numbers and dropped; call counts and the
%% functions listed are what erl gives. call_time read directly too.
-module(run_eprof).
-export([main/0, fib/1, work/1, child/1]).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

work(N) ->
    Self = self(),
    Pid = spawn(fun() -> Self ! {self(), child(N)} end),
    R = receive {Pid, C} -> C end,
    {fib(N), R, lists:sum(lists:seq(1, N))}.

child(N) -> fib(N - 2).

main() ->
    M = ?MODULE,
    %% call_time directly: counts per process, times as numbers.
    erlang:trace(self(), true, [call]),
    io:format("~p~n", [erlang:trace_pattern({M, fib, 1}, true, [call_time])]),
    fib(10),
    {call_time, [{P, N, S, Us}]} = erlang:trace_info({M, fib, 1}, call_time),
    io:format("~p~n", [{P =:= self(), N, is_integer(S), is_integer(Us)}]),
    io:format("~p~n", [erlang:trace_pattern({M, fib, 1}, pause, [call_time])]),
    fib(5),
    {call_time, [{_, N2, _, _}]} = erlang:trace_info({M, fib, 1}, call_time),
    io:format("paused ~p~n", [N2]),
    io:format("~p~n", [erlang:trace_pattern({M, fib, 1}, restart, [call_time])]),
    io:format("~p~n", [erlang:trace_info({M, fib, 1}, call_time)]),
    fib(3),
    {call_time, [{_, N3, _, _}]} = erlang:trace_info({M, fib, 1}, call_time),
    io:format("restarted ~p~n", [N3]),
    io:format("~p~n", [erlang:trace_pattern({M, fib, 1}, false, [call_time])]),
    io:format("~p~n", [erlang:trace_info({M, fib, 1}, call_time)]),
    erlang:trace(self(), false, [call]),
    %% eprof, its server's console output dropped (its log file is read).
    GL = group_leader(),
    Sink = spawn(fun sink/0),
    group_leader(Sink, self()),
    {ok, _} = eprof:start(),
    group_leader(GL, self()),
    {ok, R} = eprof:profile([], fun() -> work(15) end, {M, '_', '_'}, [set_on_spawn]),
    io:format("result ~p~n", [R]),
    File = "run_eprof.analysis",
    ok = eprof:log(File),
    eprof:analyze(procs, [{sort, mfa}]),
    eprof:analyze(total, [{sort, mfa}]),
    {ok, Bin} = file:read_file(File),
    ok = file:delete(File),
    io:format("~ts", [strip(Bin)]),
    stopped = eprof:stop(),
    ok.

%% An io server that answers every request and prints nothing.
sink() ->
    receive
        {io_request, From, Ref, _} -> From ! {io_reply, Ref, ok}, sink()
    end.

%% The report's lines with numbers in place of times and pids, and its
%% rules (as wide as the widest time) as one dash.
strip(Bin) ->
    Lines = string:split(binary_to_list(Bin), "\n", all),
    lists:flatmap(fun line/1, Lines).

line(L) ->
    Row = "^(\\S+)\\s+(\\d+)\\s+[0-9.]+%?\\s+\\d+\\s+\\[\\s*[0-9.]+\\]\\s*$",
    case re:run(L, Row, [{capture, all_but_first, list}]) of
        {match, [F, Calls]} -> F ++ " " ++ Calls ++ "\n";
        nomatch when L =/= [] ->
            case lists:all(fun(C) -> lists:member(C, "-[] ") end, L) of
                true -> "-\n";
                false -> other(L)
            end;
        nomatch ->
            other(L)
    end.

other(L) ->
    case string:prefix(L, "****** Process") of
        nomatch -> string:join(string:lexemes(L, " "), " ") ++ "\n";
        _ -> "****** Process\n"
    end.
