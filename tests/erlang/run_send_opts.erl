-module(run_send_opts).
-export([main/0]).

%% erlang:send/3's options: nosuspend and noconnect are taken (they only
%% matter for distribution), anything else is badarg and nothing is sent.
main() ->
    Opts = [[], [nosuspend], [noconnect], [nosuspend, noconnect], [foo],
            [nosuspend | bar], foo, [noconnect, 1]],
    [io:format("~p: ~p~n", [O, try_send(O)]) || O <- Opts],
    io:format("received: ~p~n", [drain([])]).

try_send(O) ->
    try erlang:send(self(), {sent, O}, O)
    catch error:R -> {error, R}
    end.

drain(Acc) ->
    receive {sent, O} -> drain([O | Acc]) after 0 -> lists:reverse(Acc) end.
