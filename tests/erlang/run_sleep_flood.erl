%% timer:sleep(T) is `receive after T -> ok end`: a wait_timeout that
%% loops to itself with T in X0 and no clause. Messages arriving while it
%% sleeps (from a sender on another scheduler) must neither end the sleep
%% nor make it read its dead X0 again (a spurious timeout_value, or a
%% sleep of the wrong length); with T = infinity it sleeps on.
-module(run_sleep_flood).
-export([main/0, sleeper/1]).

main() ->
    Self = self(),
    R = lists:foldl(fun(I, Acc) ->
        P = spawn(fun() -> loop_send(Self, 0) end),
        E = (catch timer:sleep(1)),
        exit(P, kill),
        flush(),
        case E of ok -> Acc; Other -> [{I, Other} | Acc] end
    end, [], lists:seq(1, 40)),
    io:format("~p~n", [R]),
    %% Sleeping forever through a flood of messages.
    S = spawn(?MODULE, sleeper, [infinity]),
    F = spawn(fun() -> loop_send(S, 0) end),
    wait_for_messages(S, 1000),
    exit(F, kill),
    io:format("~p~n", [wait_status(S, waiting)]),
    io:format("~p~n", [process_info(S, current_function)]),
    exit(S, kill),
    %% A finite sleep through a flood ends by its timer, with ok.
    T = spawn(?MODULE, sleeper, [30]),
    MT = monitor(process, T),
    G = spawn(fun() -> loop_send(T, 0) end),
    receive {'DOWN', MT, process, T, Why} -> io:format("~p~n", [Why]) end,
    exit(G, kill),
    ok.

sleeper(T) ->
    exit({slept, (catch timer:sleep(T))}).

wait_for_messages(P, N) ->
    case process_info(P, message_queue_len) of
        {message_queue_len, L} when L >= N -> ok;
        _ -> erlang:yield(), wait_for_messages(P, N)
    end.

%% Polls until P has the status (it is running or runnable while it
%% looks at the messages that woke it).
wait_status(P, Status) ->
    case process_info(P, status) of
        {status, Status} -> Status;
        {status, _} -> erlang:yield(), wait_status(P, Status)
    end.

loop_send(P, N) -> P ! {n, N}, loop_send(P, N + 1).

flush() -> receive _ -> flush() after 0 -> ok end.
