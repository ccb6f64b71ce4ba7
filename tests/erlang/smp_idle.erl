-module(smp_idle).
-export([main/0]).

%% Does nothing for three seconds: tests/tests/smp.rs measures the CPU
%% time the VM uses meanwhile (sleeping schedulers use none).

main() ->
    Self = self(),
    spawn(fun() -> receive never -> ok end end),
    spawn(fun() -> receive after 2500 -> Self ! later end end),
    io:format("idle~n"),
    receive after 3000 -> ok end,
    receive later -> io:format("done~n") end.
