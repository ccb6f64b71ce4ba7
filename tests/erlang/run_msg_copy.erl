%% Terms of every kind survive a trip through messages, spawn arguments
%% and timers unchanged: each is copied into the receiver's heap.
-module(run_msg_copy).
-export([main/0]).

terms() ->
    Big = binary:copy(<<"0123456789">>, 100),
    <<_:3/binary, Sub:500/binary, _/binary>> = Big,
    Bits = <<Big/binary, 5:3>>,
    Large = maps:from_list([{I, {I}} || I <- lists:seq(1, 100)]),
    Shared = {1, 2.5, "abc"},
    X = 42,
    [
        atom, 17, -(1 bsl 70), 1 bsl 200, 3.25, -0.0, [], "string",
        [1 | improper], {}, {a, {b, {c, [d]}}},
        <<>>, <<"short">>, Big, Sub, Bits, <<1:1>>,
        #{}, #{a => 1, "b" => [2]}, Large,
        fun() -> X + 1 end, fun lists:map/2, fun(A) -> {A, Shared} end,
        self(), make_ref(),
        [Shared, Shared, {Shared, Shared}],
        lists:seq(1, 10000)
    ].

echo() ->
    receive
        {From, T} -> From ! {self(), T}, echo();
        stop -> ok
    end.

check(T, Back) -> T =:= Back.

main() ->
    Ts = terms(),
    E = spawn(fun echo/0),
    Echoed = [begin E ! {self(), T}, receive {E, B} -> check(T, B) end end || T <- Ts],
    io:format("echoed: ~p~n", [Echoed]),
    E ! stop,
    Self = self(),
    [spawn(fun() -> Self ! {arg, I, T} end) || {I, T} <- lists:zip(lists:seq(1, length(Ts)), Ts)],
    Args = [receive {arg, I, B} -> check(T, B) end || {I, T} <- lists:zip(lists:seq(1, length(Ts)), Ts)],
    io:format("spawn arguments: ~p~n", [Args]),
    erlang:send_after(1, self(), {timer, lists:nth(14, Ts)}),
    receive {timer, B} -> io:format("timer: ~p~n", [B =:= lists:nth(14, Ts)]) end,
    F = lists:nth(21, Ts),
    E2 = spawn(fun() -> receive {G, P} -> P ! G() end end),
    E2 ! {F, self()},
    receive V -> io:format("fun from a message: ~p~n", [V]) end,
    {Pid, Ref} = spawn_monitor(fun() -> exit({shutdown, lists:nth(15, Ts)}) end),
    receive {'DOWN', Ref, process, Pid, {shutdown, S}} -> io:format("exit reason: ~p~n", [byte_size(S)]) end.
