%% erlang:spawn_request/1..5 and its spawn_reply message, with the
%% reply_tag, reply, monitor and link options; spawn_request_abandon/1.
-module(run_spawn_request).
-export([main/0, child/1]).

child(Parent) -> Parent ! {child, self()}.

main() ->
    process_flag(trap_exit, true),
    Self = self(),
    R1 = spawn_request(fun() -> Self ! hello end),
    receive {spawn_reply, R1, ok, P1} -> io:format("reply/1: ~p~n", [is_pid(P1)]) end,
    receive hello -> io:format("hello~n") end,
    R2 = spawn_request(?MODULE, child, [Self], [{reply_tag, mine}]),
    P2 = receive {mine, R2, ok, Q2} -> Q2 end,
    receive {child, P2} -> io:format("reply_tag: ok~n") end,
    R3 = spawn_request(?MODULE, child, [Self], [{reply, no}]),
    receive {child, _} -> ok end,
    io:format("reply no: ~p~n", [receive {spawn_reply, R3, _, _} -> got after 50 -> none end]),
    R4 = spawn_request(?MODULE, child, [Self], [{reply, error_only}]),
    receive {child, _} -> ok end,
    io:format("error_only: ~p~n", [receive {spawn_reply, R4, _, _} -> got after 50 -> none end]),
    R5 = spawn_request(fun() -> exit(bye) end, [monitor]),
    P5 = receive {spawn_reply, R5, ok, Q5} -> Q5 end,
    receive {'DOWN', R5, process, P5, Why} -> io:format("monitor: ~p~n", [Why]) end,
    R6 = spawn_request(fun() -> exit(linked) end, [link]),
    P6 = receive {spawn_reply, R6, ok, Q6} -> Q6 end,
    receive {'EXIT', P6, Why6} -> io:format("link: ~p~n", [Why6]) end,
    R7 = spawn_request(node(), ?MODULE, child, [Self], [{priority, high}]),
    P7 = receive {spawn_reply, R7, ok, Q7} -> Q7 end,
    receive {child, P7} -> io:format("spawn_request/5: ok~n") end,
    io:format("abandon: ~p~n", [spawn_request_abandon(R7)]),
    io:format("abandon bad: ~p~n", [catch_error(fun() -> spawn_request_abandon(x) end)]),
    B1 = spawn_request(?MODULE, child, [Self], [bogus]),
    receive {spawn_reply, B1, error, E1} -> io:format("bad option: ~p~n", [E1]) end,
    B2 = spawn_request(?MODULE, child, [Self], [{reply, maybe}, {reply_tag, t}]),
    receive {t, B2, error, E2} -> io:format("bad reply option: ~p~n", [E2]) end,
    B3 = spawn_request(?MODULE, child, [Self], [{reply, no}, bogus]),
    io:format("bad option, no reply: ~p~n", [receive {_, B3, _, _} -> got after 50 -> none end]),
    io:format("options not a list: ~p~n", [catch_error(fun() -> spawn_request(?MODULE, child, [Self], x) end)]),
    io:format("improper args: ~p~n", [catch_error(fun() -> spawn_request(?MODULE, child, [a | b], []) end)]),
    io:format("bad fun: ~p~n", [catch_error(fun() -> spawn_request(fun(_) -> ok end) end)]).

catch_error(F) ->
    try F() catch error:E -> {error, E} end.
