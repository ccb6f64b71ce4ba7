%% Enigma's own boot module, loaded before anything else. The
%% interpreter's runs start from its code position, and it holds the group
%% leader: the io server that OTP's `io` module talks to (the io protocol:
%% `{io_request, From, ReplyAs, Request}` answered by
%% `{io_reply, ReplyAs, Reply}`), writing through the `enigma_io:put_chars/2`
%% BIF; and `standard_error`'s io server, the same on standard error
%% (`enigma_io:put_error/2`). Like `erl -noshell` writing to a pipe, the
%% devices are Latin-1. A request that fails is answered `{error, put_chars}`,
%% as OTP's io servers do (`io` reports it as the error's cause).
%% Rebuild the committed .beam with
%% `erlc -o interp/boot interp/boot/enigma_boot.erl`.
-module(enigma_boot).
-export([start/0, io_server/0, error_server/0, code_server/0, crash_report/3,
         max_heap_report/3, await_reply/1]).

start() -> ok.

io_server() -> serve(put_chars).

error_server() -> serve(put_error).

%% Out: the enigma_io BIF that writes (put_chars or put_error).
serve(Out) ->
    receive
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, request(Out, Request)},
            serve(Out);
        _ ->
            serve(Out)
    end.

request(Out, {put_chars, Enc, Chars}) ->
    put_chars(Out, Enc, Chars);
request(Out, {put_chars, Enc, M, F, A}) ->
    try apply(M, F, A) of
        Chars -> put_chars(Out, Enc, Chars)
    catch
        _:_ -> {error, put_chars}
    end;
request(Out, {requests, Reqs}) ->
    requests(Out, Reqs, ok);
request(_, getopts) ->
    [{binary, false}, {encoding, latin1}];
request(_, _) ->
    {error, request}.

requests(Out, [R | Rs], _) ->
    case request(Out, R) of
        {error, _} = E -> E;
        Res -> requests(Out, Rs, Res)
    end;
requests(_, [], Res) ->
    Res.

put_chars(Out, Enc, Chars) ->
    try enigma_io:Out(Enc, Chars)
    catch
        error:badarg -> {error, put_chars}
    end.

%% The registered `code_server`, speaking OTP 25's protocol
%% (`code_server:call/1` sends `{code_call, From, Request}` and waits for
%% `{code_server, Reply}`), so that every function of `code.erl` works,
%% including those that reach the server through local calls. Its state is
%% the VM's: each request is answered by the `code` function that is a BIF
%% or an interpreter operation on the VM's code table and path.
code_server() ->
    receive
        {code_call, From, Request} ->
            From ! {code_server, code_request(Request)},
            code_server();
        _ ->
            code_server()
    end.

code_request(Request) ->
    try code_reply(Request)
    catch
        error:_ -> {error, badarg}
    end.

code_reply(get_path) -> code:get_path();
code_reply({add_path, first, Dir}) -> code:add_patha(path_name(Dir));
code_reply({add_path, last, Dir}) -> code:add_pathz(path_name(Dir));
code_reply({add_paths, first, Dirs}) -> code:add_pathsa(Dirs);
code_reply({add_paths, last, Dirs}) -> code:add_pathsz(Dirs);
code_reply({set_path, Dirs}) -> code:set_path(Dirs);
code_reply({del_path, Name}) -> code:del_path(Name);
code_reply(get_mode) -> code:get_mode();
code_reply({is_loaded, M}) -> code:is_loaded(M);
code_reply(all_loaded) -> code:all_loaded();
code_reply({ensure_loaded, M}) -> code:ensure_loaded(M);
code_reply({load_file, M}) -> code:load_file(M);
code_reply({load_binary, M, File, Bin}) -> code:load_binary(M, File, Bin);
code_reply({load_abs, File, M}) -> load_abs(File, M);
code_reply({delete, M}) -> code:delete(M);
code_reply({purge, M}) -> code:purge(M);
code_reply({soft_purge, M}) -> code:soft_purge(M);
code_reply({is_sticky, M}) -> code:is_sticky(M);
code_reply({get_object_code, M}) -> code:get_object_code(M);
code_reply({dir, root_dir}) -> code:root_dir();
code_reply({dir, lib_dir}) -> code:lib_dir();
code_reply({dir, compiler_dir}) -> code:compiler_dir();
code_reply({dir, {lib_dir, App}}) -> code:lib_dir(path_atom(App));
code_reply({dir, {lib_dir, App, Sub}}) -> code:lib_dir(path_atom(App), Sub);
code_reply({dir, {priv_dir, App}}) -> code:priv_dir(path_atom(App));
code_reply({stick_dir, _}) -> ok;
code_reply({unstick_dir, _}) -> ok;
code_reply({stick_mod, _}) -> true;
code_reply({unstick_mod, _}) -> true;
code_reply(_) -> {error, badarg}.

path_name(Dir) when is_atom(Dir) -> atom_to_list(Dir);
path_name(Dir) -> Dir.

path_atom(App) when is_list(App) -> list_to_atom(App);
path_atom(App) -> App.

%% `code:load_abs/1,2`: the file `File.beam` (`File` without extension).
load_abs(File, M) ->
    Name = File ++ ".beam",
    case erl_prim_loader:get_file(Name) of
        {ok, Bin, _} -> code:load_binary(M, Name, Bin);
        error -> {error, nofile}
    end.

%% The report BEAM's logger prints for a process that ended with an
%% uncaught error or throw (legacy header, `~p` layout), written on
%% standard error: the scheduler spawns this for each such process, with
%% the time of the crash (OS time, microseconds).
crash_report(Pid, Reason, Micros) ->
    Report = io_lib:format("Error in process ~p with exit value:~n~p~n~n", [Pid, Reason]),
    enigma_io:put_error(latin1, [header(Micros), Report]).

%% The report BEAM prints for a process that a collection found over its
%% `max_heap_size` (with `error_logger` set), in erts' layout: the
%% scheduler spawns this with the time, the limit, the heap's total, the
%% `kill` flag, the message queue's length and the collector's figures.
max_heap_report(Pid, Micros, [Max, Total, Kill, QueueLen, GcInfo]) ->
    Report = io_lib:format(
        "     Process:            ~p ~n"
        "     Context:            maximum heap size reached~n"
        "     Max Heap Size:      ~p~n"
        "     Total Heap Size:    ~p~n"
        "     Kill:               ~p~n"
        "     Error Logger:       true~n"
        "     Message Queue Len:  ~p~n"
        "     GC Info:            ~p~n~n",
        [Pid, Max, Total, Kill, QueueLen, GcInfo]),
    enigma_io:put_error(latin1, [header(Micros), Report]).

%% The legacy header of BEAM's logger for an error report at `Micros`
%% (OS time, microseconds).
header(Micros) ->
    {{Y, Mo, D}, {H, Mi, S}} = calendar:system_time_to_local_time(Micros, microsecond),
    Month = element(Mo, {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}),
    io_lib:format("=ERROR REPORT==== ~w-~s-~4w::~2..0w:~2..0w:~2..0w.~6..0w ===~n",
                  [D, Month, Y, H, Mi, S, Micros rem 1000000]).

%% Where a process that sent a request signal waits for its reply
%% (`process_info` of a process running on another scheduler: the target
%% answers `{Ref, Answer}` when its slice ends).
await_reply(Ref) ->
    receive
        {Ref, Reply} -> Reply
    end.
