-module(run_procs).
-export([main/0, echo/0]).

main() ->
    P = spawn(?MODULE, echo, []),
    P ! {self(), hello},
    receive {P, M} -> io:format("got ~p~n", [M]) end,
    Q = spawn(fun() -> receive {From, N} -> From ! {done, N * 2} end end),
    Q ! {self(), 21},
    receive {done, V} -> io:format("~p~n", [V]) end,
    receive never -> ok after 10 -> io:format("timeout~n") end,
    self() ! b, self() ! a,
    receive a -> io:format("a first~n") end,
    receive b -> io:format("then b~n") end,
    Pids = [spawn(fun() -> receive {go, From} -> From ! {self(), I * I} end end) || I <- lists:seq(1, 5)],
    [Pid ! {go, self()} || Pid <- Pids],
    io:format("~p~n", [[receive {Pid, Sq} -> Sq end || Pid <- Pids]]).

echo() -> receive {From, M} -> From ! {self(), M} end.
