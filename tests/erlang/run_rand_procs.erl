-module(run_rand_procs).
-export([main/0]).

%% Randomized differential test of links, monitors and exit signals:
%% chains of linked processes (some trapping exits) where one process
%% exits with a random reason, or is sent one with exit/2; monitors and
%% links on dead processes; selective receive order. The outcome is
%% observed without timing: a process's exit signals to its links are
%% sent before its DOWN to the observer, so after that DOWN the observer
%% pings each linked neighbour, which answers only after it has handled
%% the signal (or dies, and its DOWN comes instead).

-ifndef(SEED).
-define(SEED, 3).
-endif.

main() ->
    rand:seed(exsss, {1, 9, ?SEED}),
    process_flag(trap_exit, false),
    [chain(I) || I <- lists:seq(1, 40)],
    [dead(I) || I <- lists:seq(1, 6)],
    [selective(I) || I <- lists:seq(1, 20)],
    ok.

pick(L) -> lists:nth(rand:uniform(length(L)), L).

reason() -> pick([normal, kill, shutdown, {shutdown, x}, boom, killed, {a, [1]}]).

%% ---------------------------------------------------------------- chains

%% N processes, each linked to the next; some trap exits. Process K is
%% made to exit with a reason (by itself, by exit/2 from the observer, or
%% by exit/2 to itself).
chain(I) ->
    N = 2 + rand:uniform(6),
    Traps = [rand:uniform(3) =:= 1 || _ <- lists:seq(1, N)],
    Self = self(),
    Pids = start(Self, Traps, none, 1),
    Mons = maps:from_list([{P, monitor(process, P)} || P <- Pids]),
    K = rand:uniform(N),
    R = reason(),
    How = pick([self_exit, exit2, exit2_self]),
    Victim = lists:nth(K, Pids),
    case How of
        exit2 -> exit(Victim, R);
        _ -> Victim ! {do, How, R}
    end,
    Ix = maps:from_list(lists:zip(Pids, lists:seq(1, N))),
    Outcome = observe([Victim], Pids, Ix, #{}),
    Trapped = collect(Ix, []),
    io:format("chain ~p n=~p traps=~w k=~p ~p ~w~n  ~w~n  ~w~n",
              [I, N, [T || T <- Traps], K, How, R,
               [maps:get(P, Outcome, alive) || P <- Pids], Trapped]),
    %% Trapping processes report the kills too: their reports come before
    %% their DOWN messages, so they are all in the mailbox after the DOWNs.
    [exit(P, kill) || P <- Pids],
    [receive {'DOWN', M, process, P, _} -> ok end
     || P <- Pids, maps:get(P, Outcome, alive) =:= alive, M <- [maps:get(P, Mons)]],
    collect(Ix, []),
    ok.

%% Starts the chain: each process links to the one before it.
start(_, [], _, _) -> [];
start(Obs, [Trap | Rest], Prev, K) ->
    Me = self(),
    P = spawn(fun() ->
                      process_flag(trap_exit, Trap),
                      case Prev of none -> ok; _ -> link(Prev) end,
                      Me ! {ready, self()},
                      loop(Obs, K)
              end),
    receive {ready, P} -> ok end,
    [P | start(Obs, Rest, P, K + 1)].

loop(Obs, K) ->
    receive
        {ping, From} -> From ! {pong, self()}, loop(Obs, K);
        {do, self_exit, R} -> exit(R);
        {do, exit2_self, R} -> exit(self(), R), loop(Obs, K);
        {'EXIT', From, R} -> Obs ! {trapped, K, From, R}, loop(Obs, K)
    end.

%% Waits for the fate of the processes in Todo: a DOWN (then its
%% neighbours are asked in turn) or a pong.
observe([], _, _, Out) -> Out;
observe([P | Todo], Pids, Ix, Out) ->
    case maps:is_key(P, Out) of
        true -> observe(Todo, Pids, Ix, Out);
        false ->
            P ! {ping, self()},
            receive
                {pong, P} -> observe(Todo, Pids, Ix, Out#{P => alive});
                {'DOWN', _, process, P, R} ->
                    K = maps:get(P, Ix),
                    Next = [lists:nth(J, Pids) || J <- [K - 1, K + 1], J >= 1, J =< length(Pids)],
                    observe(Todo ++ Next, Pids, Ix, Out#{P => {down, R}})
            end
    end.

%% The EXIT messages the trapping processes reported, sorted.
collect(Ix, Acc) ->
    receive
        {trapped, K, From, R} -> collect(Ix, [{K, maps:get(From, Ix, other), R} | Acc])
    after 0 -> lists:sort(Acc)
    end.

%% ---------------------------------------------------------------- dead

%% Monitors, links and exit signals aimed at a process that is gone.
dead(I) ->
    Why0 = reason(),
    {P, Ref} = spawn_monitor(fun() -> exit(Why0) end),
    Down = receive {'DOWN', Ref, process, P, R} -> R end,
    Trap = pick([true, false]),
    Last = pick([normal, done]),
    Self = self(),
    {Q, QRef} = spawn_monitor(
                  fun() ->
                          process_flag(trap_exit, Trap),
                          M = monitor(process, P),
                          D1 = receive {'DOWN', M, process, P, R1} -> R1 after 1000 -> none end,
                          M2 = monitor(process, P),
                          %% BEAM has not yet handled the DOWN signal of a
                          %% monitor of a dead process: demonitor(M2, [info])
                          %% is true there (Enigma: false, the DOWN is queued).
                          Dm = demonitor(M2, [flush]),
                          L = try link(P) catch C:Rl -> {C, Rl} end,
                          E = receive {'EXIT', P, R2} -> {exit_msg, R2} after 0 -> no_msg end,
                          Self ! {self(), {D1, Dm, L, E, exit(P, kill), is_process_alive(P),
                                           erlang:process_info(P, status)}},
                          exit(Last)
                  end),
    Res = receive {Q, X} -> X; {'DOWN', QRef, process, Q, Why} -> {died, Why} end,
    Fin = receive {'DOWN', QRef, process, Q, Why2} -> Why2 end,
    io:format("dead ~p ~w trap=~p ~w ~w~n", [I, Down, Trap, Res, Fin]).

%% ---------------------------------------------------------------- receive

%% Messages of random tags, then receives of random patterns.
selective(I) ->
    Msgs = [{pick([a, b, c]), J} || J <- lists:seq(1, rand:uniform(12))],
    Pats = [pick([a, b, c, any, {lt, rand:uniform(8)}]) || _ <- lists:seq(1, 8)],
    Self = self(),
    P = spawn(fun() ->
                      receive go -> ok end,
                      Self ! {self(), [take(Pat) || Pat <- Pats], drain()}
              end),
    [P ! M || M <- Msgs],
    P ! go,
    receive {P, Got, Left} -> io:format("recv ~p ~w ~w~n  ~w ~w~n", [I, Msgs, Pats, Got, Left]) end.

take(any) -> receive M -> M after 0 -> none end;
take({lt, N}) -> receive {T, J} when J < N -> {T, J} after 0 -> none end;
take(Tag) -> receive {Tag, J} -> J after 0 -> none end.

drain() -> receive M -> [M | drain()] after 0 -> [] end.
