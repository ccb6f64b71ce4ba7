-module(run_info_signal).
-export([main/0]).

%% process_info of processes that are busy (running, on another scheduler
%% when there is one) is a signal: it sees every signal the caller sent
%% before it (messages, links, exits), two processes asking each other at
%% once both get their answers, and a bad item is the caller's badarg;
%% garbage_collect of such a process is a request as well.
%% Only what signal order decides is printed (no status or reductions).

main() ->
    Self = self(),
    %% Messages sent just before each request are seen by it.
    B = spawn(fun() -> put(colour, blue), Self ! ready, busy() end),
    receive ready -> ok end,
    Counts = [begin B ! {m, K}, process_info(B, message_queue_len) end
              || K <- lists:seq(1, 5)],
    io:format("queue lengths: ~p~n", [Counts]),
    io:format("~p~n", [process_info(B, messages)]),
    io:format("~p~n", [process_info(B, [dictionary, trap_exit, links])]),
    link(B),
    io:format("after link: ~p~n", [process_info(B, links) =:= {links, [Self]}]),
    unlink(B),
    io:format("after unlink: ~p~n", [process_info(B, links)]),
    register(busy_one, B),
    io:format("~p~n", [process_info(B, registered_name)]),
    io:format("default keys: ~p~n", [[K || {K, _} <- process_info(B)]]),
    io:format("bad item: ~p~n",
              [try process_info(B, [messages, no_such_item])
               catch error:badarg -> badarg end]),
    %% garbage_collect of a busy process is a request too.
    Req = make_ref(),
    io:format("gc: ~p ~p ~p~n",
              [garbage_collect(B), garbage_collect(B, [{type, minor}]),
               garbage_collect(B, [{async, {Req, B}}])]),
    receive {garbage_collect, {Req, B}, Done} -> io:format("async gc: ~p~n", [Done]) end,
    io:format("still queued: ~p~n", [process_info(B, message_queue_len)]),
    %% An exit signal sent before the request: the process is dead to it.
    exit(B, kill),
    io:format("after kill: ~p ~p ~p~n",
              [process_info(B, messages), process_info(B), garbage_collect(B)]),
    %% Several busy processes asked in turn, each after a message.
    Ws = [spawn(fun() -> put(id, I), Self ! {ready, I}, busy() end)
          || I <- lists:seq(1, 4)],
    [receive {ready, I} -> ok end || I <- lists:seq(1, 4)],
    Asked = [begin
                 W ! {hello, Round},
                 {dictionary, D} = process_info(W, dictionary),
                 {message_queue_len, L} = process_info(W, message_queue_len),
                 {D, L}
             end || Round <- lists:seq(1, 3), W <- Ws],
    io:format("~p~n", [Asked]),
    %% Two busy processes asking each other at once, many times.
    Pair = fun(I) ->
                   spawn(fun() ->
                                 put(me, I),
                                 Self ! {paired, I},
                                 receive {other, O} -> ok end,
                                 Self ! {asked, I, ask(O, 200, [])},
                                 receive stop -> ok end
                         end)
           end,
    P1 = Pair(1),
    P2 = Pair(2),
    [receive {paired, I} -> ok end || I <- [1, 2]],
    P1 ! {other, P2},
    P2 ! {other, P1},
    [receive {asked, I, R} -> io:format("~p asked: ~p~n", [I, R]) end
     || I <- [1, 2]],
    Refs = [monitor(process, W) || W <- Ws],
    [W ! stop || W <- [P1, P2 | Ws]],
    Downs = [receive {'DOWN', Ref, process, W, Why} -> Why end
             || {Ref, W} <- lists:zip(Refs, Ws)],
    io:format("workers: ~p~n", [Downs]),
    io:format("gone: ~p~n", [[process_info(W, message_queue_len) || W <- Ws]]).

%% Spins, taking only `stop` out of its queue.
busy() ->
    receive
        stop -> ok
    after 0 -> busy()
    end.

%% Asks `Other` for its dictionary `N` times while it does the same,
%% spinning between the requests; the distinct answers.
ask(_, 0, Seen) ->
    lists:usort(Seen);
ask(Other, N, Seen) ->
    spin(200),
    case process_info(Other, dictionary) of
        {dictionary, D} -> ask(Other, N - 1, [D | Seen])
    end.

spin(0) -> ok;
spin(N) -> spin(N - 1).
