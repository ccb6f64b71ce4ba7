-module(run_smp_halt).
-export([main/0]).

%% `halt/1` stops the VM while other processes keep every scheduler busy
%% (and some sleep in receives and timers); the exit status is halt's.

main() ->
    Self = self(),
    [spawn(fun() -> Self ! {spinning, I}, spin(0) end) || I <- lists:seq(1, 4)],
    [receive {spinning, I} -> ok end || I <- lists:seq(1, 4)],
    [spawn(fun() -> receive after 60000 -> ok end end) || _ <- lists:seq(1, 10)],
    spawn(fun() -> receive never -> ok end end),
    io:format("halting~n"),
    halt(7).

spin(N) -> spin(N + 1).
