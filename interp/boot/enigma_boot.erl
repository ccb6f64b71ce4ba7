%% Enigma's own boot module, loaded before anything else. The
%% interpreter's runs start from its code position, and it holds the group
%% leader: the io server that OTP's `io` module talks to (the io protocol:
%% `{io_request, From, ReplyAs, Request}` answered by
%% `{io_reply, ReplyAs, Reply}`), writing through the `enigma_io:put_chars/2`
%% BIF. Like `erl -noshell` writing to a pipe, the device is Latin-1.
%% Rebuild the committed .beam with
%% `erlc -o interp/boot interp/boot/enigma_boot.erl`.
-module(enigma_boot).
-export([start/0, io_server/0, crash_report/3]).

start() -> ok.

io_server() ->
    receive
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, request(Request)},
            io_server();
        _ ->
            io_server()
    end.

request({put_chars, Enc, Chars}) ->
    put_chars(Enc, Chars);
request({put_chars, Enc, M, F, A}) ->
    try apply(M, F, A) of
        Chars -> put_chars(Enc, Chars)
    catch
        _:_ -> {error, {put_chars, Enc, M, F, A}}
    end;
request({requests, Reqs}) ->
    requests(Reqs, ok);
request(getopts) ->
    [{binary, false}, {encoding, latin1}];
request(_) ->
    {error, request}.

requests([R | Rs], _) ->
    case request(R) of
        {error, _} = E -> E;
        Res -> requests(Rs, Res)
    end;
requests([], Res) ->
    Res.

put_chars(Enc, Chars) ->
    try enigma_io:put_chars(Enc, Chars)
    catch
        error:badarg -> {error, {put_chars, Enc, Chars}}
    end.

%% The report BEAM's logger prints for a process that ended with an
%% uncaught error or throw (legacy header, `~p` layout), written on
%% standard error: the scheduler spawns this for each such process, with
%% the time of the crash (OS time, microseconds).
crash_report(Pid, Reason, Micros) ->
    {{Y, Mo, D}, {H, Mi, S}} = calendar:system_time_to_local_time(Micros, microsecond),
    Month = element(Mo, {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}),
    Report = io_lib:format(
        "=ERROR REPORT==== ~w-~s-~4w::~2..0w:~2..0w:~2..0w.~6..0w ===~n"
        "Error in process ~p with exit value:~n~p~n~n",
        [D, Month, Y, H, Mi, S, Micros rem 1000000, Pid, Reason]),
    enigma_io:put_error(latin1, Report).
