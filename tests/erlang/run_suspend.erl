%% erlang:suspend_process/1,2, resume_process/1, process_info items
%% `suspending` and `garbage_collection_info`, and garbage_collect/1 of
%% a process that is busy (running, or queued to run).
-module(run_suspend).
-export([main/0]).

echo() ->
    receive
        {ping, From} -> From ! pong, echo();
        stop -> ok
    end.

%% A ping that should be answered waits long (a loaded machine may not
%% run the echo for a while); one to a suspended process, briefly.
ping(P) -> ping(P, 60000).

ping_suspended(P) -> ping(P, 100).

ping(P, Wait) ->
    P ! {ping, self()},
    receive pong -> pong after Wait -> no_reply end.

spin(N) -> spin(N + 1).

main() ->
    P = spawn(fun echo/0),
    io:format("pong: ~p~n", [ping(P)]),
    io:format("suspend: ~p~n", [erlang:suspend_process(P)]),
    io:format("status: ~p~n", [process_info(P, status)]),
    io:format("suspended ping: ~p~n", [ping_suspended(P)]),
    io:format("queued: ~p~n", [process_info(P, message_queue_len)]),
    io:format("again unless_suspending: ~p~n", [erlang:suspend_process(P, [unless_suspending])]),
    io:format("again: ~p~n", [erlang:suspend_process(P, [])]),
    io:format("suspending: ~p~n", [process_info(self(), suspending) =:= {suspending, [{P, 2, 0}]}]),
    io:format("resume: ~p~n", [erlang:resume_process(P)]),
    io:format("still suspended ping: ~p~n", [ping_suspended(P)]),
    io:format("resume: ~p~n", [erlang:resume_process(P)]),
    %% The two pings that waited are answered now.
    io:format("answers: ~p~n", [[receive pong -> pong after 60000 -> none end || _ <- [1, 2]]]),
    io:format("resumed ping: ~p~n", [ping(P)]),
    %% P answered, but may not be back in its receive yet: erl printed
    %% runnable for about 1 in 80 reads taken right after a pong.
    io:format("status: ~p~n", [settled_status(P, 60000)]),
    io:format("resume again: ~p~n", [catch_error(fun() -> erlang:resume_process(P) end)]),
    io:format("suspend self: ~p~n", [catch_error(fun() -> erlang:suspend_process(self()) end)]),
    io:format("bad option: ~p~n", [catch_error(fun() -> erlang:suspend_process(P, [bogus]) end)]),
    io:format("not a pid: ~p~n", [catch_error(fun() -> erlang:suspend_process(x) end)]),
    Dead = spawn(fun() -> ok end),
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    io:format("dead: ~p~n", [catch_error(fun() -> erlang:suspend_process(Dead) end)]),
    io:format("async: ~p~n", [erlang:suspend_process(P, [{asynchronous, tag}])]),
    receive {tag, St} -> io:format("async reply: ~p~n", [St]) after 60000 -> ok end,
    erlang:resume_process(P),
    %% A suspender's suspensions end with it.
    Self = self(),
    S = spawn(fun() -> erlang:suspend_process(P), Self ! suspended end),
    receive suspended -> ok end,
    SRef = monitor(process, S),
    receive {'DOWN', SRef, _, _, _} -> ok end,
    io:format("after the suspender exited: ~p~n", [ping(P)]),
    P ! stop,
    %% A busy process, suspended and resumed, and collected.
    Busy = spawn(fun() ->
        L = lists:seq(1, 30000),
        N = length(L),
        Self ! built,
        spin(N)
    end),
    true = erlang:suspend_process(Busy),
    io:format("busy suspended: ~p~n", [process_info(Busy, status)]),
    true = erlang:resume_process(Busy),
    receive built -> ok end,
    io:format("busy collected: ~p~n", [erlang:garbage_collect(Busy)]),
    {total_heap_size, After} = process_info(Busy, total_heap_size),
    io:format("busy heap small after: ~p~n", [After < 10000]),
    exit(Busy, kill),
    {garbage_collection_info, Info} = process_info(self(), garbage_collection_info),
    io:format("gc info keys: ~p~n", [[K || {K, _} <- Info]]),
    io:format("gc info integers: ~p~n", [lists:all(fun({_, V}) -> is_integer(V) end, Info)]).

%% P's status once it has gone back to waiting (it may still be running
%% or queued to run after its last answer), polled at most Tries times.
settled_status(P, Tries) ->
    case process_info(P, status) of
        {status, S} when (S =:= runnable orelse S =:= running), Tries > 0 ->
            receive after 1 -> settled_status(P, Tries - 1) end;
        Status -> Status
    end.

catch_error(F) ->
    try F() catch error:E -> {error, E} end.
