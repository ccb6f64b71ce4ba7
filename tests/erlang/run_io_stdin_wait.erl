%% The group leader serves other processes while one waits for standard
%% input (as OTP 25's `user` under `erl -noshell`): their output appears,
%% the waiting request's prompt written again after each; a second
%% reader's request is served inside the first one's wait, so it gets the
%% next input first. The input comes in steps (run_io_stdin_wait.stdin is
%% a script: each part is written once the output shows a marker), then
%% ends while a reader waits.
-module(run_io_stdin_wait).
-export([main/0]).

main() ->
    Self = self(),
    R = spawn(fun() -> Self ! {line, io:get_line("r1> ")} end),
    waiting(R),
    io:format("while waiting~n"),
    _ = spawn(fun() -> io:put_chars("from another process\n"), Self ! done end),
    receive done -> ok end,
    io:format("READY1~n"),
    receive {line, L} -> io:format("~p~n", [L]) end,

    A = spawn(fun() -> Self ! {a, io:get_line("a> ")} end),
    waiting(A),
    B = spawn(fun() -> Self ! {b, io:get_line("b> ")} end),
    waiting(B),
    io:format("READY2~n"),
    receive {b, XB} -> io:format("b got ~p~n", [XB]) end,
    io:format("READY3~n"),
    receive {a, XA} -> io:format("a got ~p~n", [XA]) end,

    T = spawn(fun() -> Self ! {read, io:read("term> ")} end),
    waiting(T),
    io:write({some, term}),
    io:nl(),
    io:format("READY4~n"),
    receive {read, Term} -> io:format("read ~p~n", [Term]) end,

    C = spawn(fun() -> Self ! {chars, io:get_chars("c> ", 5)} end),
    waiting(C),
    F = spawn(fun() -> Self ! {fread, io:fread("f> ", "~d ~a")} end),
    waiting(F),
    io:format("READY5~n"),
    receive {fread, FR} -> io:format("fread ~p~n", [FR]) end,
    io:format("READY6~n"),
    receive {chars, CR} -> io:format("chars ~p~n", [CR]) end,
    io:format("rest ~p~n", [io:get_line('')]),

    E = spawn(fun() -> Self ! {eof, io:get_line("e> ")} end),
    waiting(E),
    io:format("at the end~n"),
    io:format("READY7~n"),
    receive {eof, EOF} -> io:format("~p~n", [EOF]) end,
    io:format("~p~n", [[io:get_line("x> "), io:read(''), io:get_chars('', 1)]]).

%% Until P waits in a receive (its request sent to the group leader).
waiting(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        undefined -> ok;
        _ -> receive after 1 -> waiting(P) end
    end.
