%% Processes and messages for the disassembler comparison: spawn, links,
%% selective receive with references (receive markers), send, timers,
%% process dictionary, and an on_load hook.
-module(disasm_proc).
-export([call/2, server/1, spawn_many/1, dict/1]).
-on_load(init/0).

init() ->
    ok.

call(Pid, Msg) ->
    Ref = make_ref(),
    Pid ! {call, self(), Ref, Msg},
    receive
        {reply, Ref, Reply} -> Reply
    after 5000 ->
        exit(timeout)
    end.

server(State) ->
    receive
        {call, From, Ref, get} ->
            From ! {reply, Ref, State},
            server(State);
        {call, From, Ref, {put, New}} ->
            From ! {reply, Ref, ok},
            server(New);
        {'EXIT', _, Reason} ->
            exit(Reason);
        stop ->
            ok
    end.

spawn_many(N) ->
    process_flag(trap_exit, true),
    Pids = [spawn_link(fun() -> server(I) end) || I <- lists:seq(1, N)],
    Mon = monitor(process, hd(Pids)),
    [P ! stop || P <- Pids],
    receive
        {'DOWN', Mon, process, _, R} -> {down, R}
    after 1000 ->
        erlang:send_after(10, self(), late),
        nothing
    end.

dict(K) ->
    Old = put(K, erlang:system_time()),
    {Old, get(K), erase(K), self(), node()}.
