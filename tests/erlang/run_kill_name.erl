%% A killed process running on another scheduler is dead to the killer at
%% once (is_process_alive), and so is its registered name: whereis gives
%% undefined and the name can be registered again, as on BEAM.
-module(run_kill_name).
-export([main/0]).
%% After exit(P, kill) and is_process_alive(P) =:= false (signals from one process are
%% ordered), P's registered name is free on BEAM; it must be possible to register it again.
spin(N) -> spin(N + 1).
main() ->
    R = [begin
             P = spawn(fun() -> spin(0) end),
             Reg = (catch register(zz, P)),
             exit(P, kill),
             Alive = is_process_alive(P),
             {Reg, Alive, whereis(zz)}
         end || _ <- lists:seq(1, 2000)],
    io:format("~p~n", [lists:usort([{case Reg of true -> true; _ -> register_failed end, A, W =:= undefined} || {Reg, A, W} <- R])]).
