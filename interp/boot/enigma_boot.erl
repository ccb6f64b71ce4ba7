%% Enigma's own boot module, loaded before anything else. The
%% interpreter's runs start from its code position, and it holds the group
%% leader: the io server that OTP's `io` module talks to (the io protocol:
%% `{io_request, From, ReplyAs, Request}` answered by
%% `{io_reply, ReplyAs, Reply}`), writing through the `enigma_io:put_chars/2`
%% BIF and reading standard input; and `standard_error`'s io server, the
%% same on standard error (`enigma_io:put_error/2`). Like `erl -noshell`
%% writing to a pipe, the devices start Latin-1 (`io:setopts/1` changes
%% that). A request that fails is answered `{error, put_chars}`, as OTP's
%% io servers do (`io` reports it as the error's cause).
%% Rebuild the committed .beam with
%% `erlc -o interp/boot interp/boot/enigma_boot.erl`.
-module(enigma_boot).
-export([start/0, io_server/0, error_server/0, code_server/0,
         crash_report/3,
         max_heap_report/3, await_reply/1, process_display/1, get_modules/2, get_modules/3,
         on_load_call/3, await_call/3, load_result/1, await_result/1,
         ensure_modules_loaded/1, load_failed/1, undef_after_load/4]).

start() -> ok.

io_server() -> serve(put_chars).

error_server() -> serve(put_error).

%% Out: the enigma_io BIF that writes (put_chars or put_error). The
%% device's options live in the process dictionary (`encoding`,
%% `read_mode`), with the input read from standard input and not yet
%% consumed (`buf`, a list of chunks) and whether it ended (`eof`), as in
%% OTP 25's `user.erl`, whose behaviour this follows.
serve(Out) ->
    put(encoding, latin1),
    put(read_mode, list),
    put(buf, []),
    loop(Out).

%% Input that arrives between requests stays queued for the next one.
loop(Out) ->
    receive
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, request(Out, Request)},
            loop(Out);
        Other when not is_tuple(Other); tuple_size(Other) =:= 0;
                   element(1, Other) =/= enigma_stdin ->
            loop(Out)
    end.

request(Out, {put_chars, Enc, Chars}) ->
    put_chars(Out, Enc, Chars);
request(Out, {put_chars, Enc, M, F, A}) ->
    try apply(M, F, A) of
        Chars -> put_chars(Out, Enc, Chars)
    catch
        _:_ -> {error, put_chars}
    end;
request(Out, {put_chars, Chars}) ->
    put_chars(Out, latin1, Chars);
request(Out, {put_chars, M, F, A}) ->
    request(Out, {put_chars, latin1, M, F, A});
request(Out, {get_chars, Enc, Prompt, N}) ->
    get_chars(Out, Prompt, io_lib, collect_chars, N, Enc);
request(Out, {get_line, Enc, Prompt}) ->
    get_chars(Out, Prompt, io_lib, collect_line, [], Enc);
request(Out, {get_until, Enc, Prompt, M, F, As}) ->
    get_chars(Out, Prompt, io_lib, get_until, {M, F, As}, Enc);
request(Out, {get_chars, Prompt, N}) ->
    request(Out, {get_chars, latin1, Prompt, N});
request(Out, {get_line, Prompt}) ->
    request(Out, {get_line, latin1, Prompt});
request(Out, {get_until, Prompt, M, F, As}) ->
    request(Out, {get_until, latin1, Prompt, M, F, As});
request(Out, {requests, Reqs}) ->
    requests(Out, Reqs, ok);
request(_, getopts) ->
    [{binary, get(read_mode) =:= binary}, {encoding, get(encoding)}];
request(_, {setopts, Opts}) when is_list(Opts) ->
    setopts(Opts);
request(_, {get_geometry, _}) ->
    {error, enotsup};
request(_, R) ->
    {error, {request, R}}.

requests(Out, [R | Rs], _) ->
    case request(Out, R) of
        {error, _} = E -> E;
        Res -> requests(Out, Rs, Res)
    end;
requests(_, [], Res) ->
    Res.

%% Chardata in encoding Enc written in the device's encoding (a Latin-1
%% device writes a character above 255 as `\x{HEX}`, as BEAM's `user`).
put_chars(Out, Enc, Chars) ->
    try
        case get(encoding) of
            latin1 -> enigma_io:Out(Enc, Chars);
            unicode -> write_utf8(Out, unicode:characters_to_binary(Chars, Enc, unicode))
        end
    catch
        error:_ -> {error, put_chars}
    end.

write_utf8(Out, Bin) when is_binary(Bin) -> enigma_io:Out(latin1, Bin).

setopts(Opts0) ->
    Opts = proplists:unfold(
             proplists:substitute_negations([{list, binary}], expand_encoding(Opts0))),
    case valid_opts(Opts) of
        true ->
            case proplists:get_value(encoding, Opts) of
                latin1 -> put(encoding, latin1);
                undefined -> ok;
                _ -> put(encoding, unicode)
            end,
            case proplists:get_value(binary, Opts) of
                true -> put(read_mode, binary);
                false -> put(read_mode, list);
                _ -> ok
            end,
            ok;
        false ->
            {error, enotsup}
    end.

expand_encoding([latin1 | T]) -> [{encoding, latin1} | expand_encoding(T)];
expand_encoding([unicode | T]) -> [{encoding, unicode} | expand_encoding(T)];
expand_encoding([H | T]) -> [H | expand_encoding(T)];
expand_encoding([]) -> [].

valid_opts([{binary, _} | T]) -> valid_opts(T);
valid_opts([{encoding, E} | T]) when E =:= latin1; E =:= utf8; E =:= unicode -> valid_opts(T);
valid_opts([]) -> true;
valid_opts(_) -> false.

%% An input request: the collector M:F (an `io_lib` continuation function)
%% fed with the input, chunk by chunk, until it stops.
get_chars(Out, Prompt, M, F, Xa, Enc) ->
    case prompt(Out, Prompt) of
        error ->
            {error, get_chars};
        ok ->
            case {get(eof), get(buf)} of
                {true, []} -> eof;
                {_, []} -> first_chunk(Out, Prompt, M, F, Xa, Enc);
                _ -> apply_collector(start, M, F, Xa, Enc)
            end
    end.

%% Waiting for the first input: an end of input is `eof` at once. Other
%% processes' requests are served meanwhile (so their output appears, and
%% a second reader's request waits for input inside this one's wait: it
%% gets the next input first), each but `get_geometry` followed by this
%% request's prompt again, as in OTP 25's `user.erl`, which serves them
%% with an empty input queue and drops what they leave of it.
first_chunk(Out, Prompt, M, F, Xa, Enc) ->
    case next_input() of
        eof ->
            put(eof, true),
            eof;
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, request(Out, Request)},
            put(buf, []),
            case Request of
                {get_geometry, _} ->
                    first_chunk(Out, Prompt, M, F, Xa, Enc);
                _ ->
                    case prompt(Out, Prompt) of
                        ok -> first_chunk(Out, Prompt, M, F, Xa, Enc);
                        error -> {error, get_chars}
                    end
            end;
        Bytes ->
            put(buf, [Bytes]),
            apply_collector(start, M, F, Xa, Enc)
    end.

apply_collector(State0, M, F, Xa, Enc) ->
    [Chunk | Rest] = get(buf),
    case catch M:F(State0, cast(Chunk, Enc), Enc, Xa) of
        {stop, Result, Left} when Left =:= <<>>; Left =:= []; Left =:= eof ->
            put(buf, Rest),
            Result;
        {stop, Result, Left} ->
            put(buf, [Left | Rest]),
            Result;
        {'EXIT', _} ->
            put(buf, []),
            {error, err_func(M, F, Xa)};
        State1 ->
            put(buf, Rest),
            more(State1, M, F, Xa, Enc)
    end.

more(State, M, F, Xa, Enc) ->
    case {get(buf), get(eof)} of
        {[], true} ->
            put(buf, [eof]),
            apply_collector(State, M, F, Xa, Enc);
        {[], _} ->
            case read_chunk() of
                eof -> put(eof, true), put(buf, [eof]);
                Bytes -> put(buf, [Bytes])
            end,
            apply_collector(State, M, F, Xa, Enc);
        _ ->
            apply_collector(State, M, F, Xa, Enc)
    end.

%% The next chunk of standard input (a binary) or `eof`: a reader thread
%% (`enigma_io:start_stdin/0`, started at the first input request) sends
%% them as messages, so no scheduler blocks on the read.
read_chunk() ->
    start_stdin(),
    receive
        {enigma_stdin, Data} -> Data
    end.

%% The next chunk of standard input, `eof`, or another process's io
%% request, whichever comes first.
next_input() ->
    start_stdin(),
    receive
        {enigma_stdin, Data} -> Data;
        {io_request, From, _, _} = Request when is_pid(From) -> Request
    end.

start_stdin() ->
    case get(stdin) of
        undefined ->
            enigma_io:start_stdin(),
            put(stdin, true);
        _ ->
            ok
    end.

err_func(io_lib, get_until, {_, F, _}) -> F;
err_func(_, F, _) -> F.

prompt(_, '') ->
    ok;
prompt(Out, Prompt) ->
    case put_chars(Out, unicode, io_lib:format_prompt(Prompt, get(encoding))) of
        ok -> ok;
        _ -> error
    end.

%% The input as the collector takes it: a list or a binary (`read_mode`),
%% of characters in the request's encoding, from the device's.
cast(eof, _) ->
    eof;
cast(Data, Enc) ->
    cast(Data, get(read_mode), get(encoding), Enc).

cast(B, binary, latin1, latin1) when is_binary(B) -> B;
cast(L, binary, latin1, latin1) -> iolist_to_binary(L);
cast(Data, binary, From, To) -> checked(unicode:characters_to_binary(Data, From, To), From, To);
cast(B, list, latin1, latin1) when is_binary(B) -> binary_to_list(B);
cast(L, list, latin1, latin1) -> binary_to_list(iolist_to_binary(L));
cast(Data, list, unicode, latin1) ->
    Chars = checked(unicode:characters_to_list(Data, unicode), unicode, latin1),
    [if C > 255 -> exit({no_translation, unicode, latin1}); true -> C end || C <- Chars];
cast(Data, list, From, unicode) -> checked(unicode:characters_to_list(Data, From), From, unicode).

checked(Result, _, _) when is_list(Result); is_binary(Result) -> Result;
checked(_, From, To) -> exit({no_translation, From, To}).

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
code_reply({finish_loading, Prepared, EnsureLoaded}) -> finish_loading(Prepared, EnsureLoaded);
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

%% `code:atomic_load/1`'s and `code:finish_loading/1`'s request, as OTP's
%% `code_server` answers it: sticky modules refused, the rest installed by
%% `erlang:finish_loading/1` all at once, each reported at its file.
finish_loading(Prepared0, EnsureLoaded) ->
    Prepared = [P || {M, _} = P <- Prepared0,
                     not (EnsureLoaded andalso erlang:module_loaded(M))],
    case [{M, sticky_directory} || {M, _} <- Prepared, code:is_sticky(M)] of
        [] ->
            case erlang:finish_loading([B || {_, {B, _}} <- Prepared]) of
                ok ->
                    _ = [enigma_code:set_file(M, F) || {M, {_, F}} <- Prepared],
                    ok;
                {Reason, Ms} ->
                    {error, [{M, Reason} || M <- Ms]}
            end;
        Sticky ->
            {error, Sticky}
    end.

%% A module with an `on_load` function is loaded pending (not callable);
%% the interpreter continues the call or the `code` request that loaded it
%% here, so that the function runs in the calling process, as an ordinary
%% call (it may wait in `receive` or load other modules). A process that
%% calls the module while another runs its `on_load` waits for it, as
%% BEAM's code server makes it wait.

%% A call of M:F(Args) that loaded M on demand.
on_load_call(M, F, Args) ->
    case run_on_load(M) of
        true -> apply(M, F, Args);
        false -> undef(M, F, Args)
    end.

%% A call of M:F(Args) while another process runs M's `on_load`.
await_call(M, F, Args) ->
    case await_on_load(M) of
        true -> apply(M, F, Args);
        false -> undef(M, F, Args)
    end.

%% `code:ensure_loaded/1`, `load_file/1`, `load_binary/3` that loaded M.
load_result(M) -> on_load_result(M, run_on_load(M)).

%% The same while another process runs M's `on_load`.
await_result(M) -> on_load_result(M, await_on_load(M)).

on_load_result(M, true) -> {module, M};
on_load_result(_, false) -> {error, on_load_failure}.

%% `code:ensure_modules_loaded/1` (the modules sorted, without duplicates):
%% the last failure first, as OTP's `code.erl` collects them.
ensure_modules_loaded(Ms) ->
    Failed = [{M, Why} || M <- Ms, not erlang:module_loaded(M),
                          {error, Why} <- [code:ensure_loaded(M)]],
    case Failed of
        [] -> ok;
        _ -> {error, lists:reverse(Failed)}
    end.

%% Runs M's pending `on_load` function: whether it returned `ok` (the
%% version is then current, else dropped).
run_on_load(M) ->
    Ok = try erlang:call_on_load_function(M) of
             ok -> true;
             _ -> false
         catch
             _:_ -> false
         end,
    true = erlang:finish_after_on_load(M, Ok),
    Ok.

%% Waits (woken by the BIF's message) until no process runs M's
%% `on_load`: whether M is loaded then.
await_on_load(M) ->
    case enigma_code:await_on_load(M) of
        true -> receive {enigma_on_load, M} -> await_on_load(M) end;
        false -> erlang:module_loaded(M)
    end.

%% `error:undef` for the call, with the stack trace BEAM's error handler
%% gives (the call's frame on top of its caller's).
undef(M, F, Args) ->
    try erlang:error(undef)
    catch
        error:undef:Stack -> erlang:raise(error, undef, [{M, F, Args, []} | tl(Stack)])
    end.

%% `erl_prim_loader:get_modules/2,3` (their exports point here: BEAM's
%% are requests to the `erl_prim_loader` process, which Enigma does not
%% start): each module's file is looked for on the path, read and given to
%% `Fun`, as that process's workers do. `{ok, {Succeeded, Failed}}`.
get_modules(Ms, Fun) -> get_modules(Ms, Fun, code:get_path()).

get_modules(Ms, Fun, Path) ->
    %% Latest first, as the answers are collected.
    Results = [{M, get_module(M, Fun, Path)} || M <- lists:reverse(Ms)],
    {ok, {[{M, R} || {M, {ok, R}} <- Results], [{M, R} || {M, {error, R}} <- Results]}}.

get_module(M, Fun, [Dir | Dirs]) ->
    File = Dir ++ "/" ++ atom_to_list(M) ++ ".beam",
    case erl_prim_loader:get_file(File) of
        {ok, Bin, _} ->
            try Fun(M, File, Bin) of
                {ok, _} = R -> R;
                {error, _} = R -> R;
                Other -> {error, {bad_return, Other}}
            catch
                _:Reason -> {error, {crash, Reason}}
            end;
        error ->
            get_module(M, Fun, Dirs)
    end;
get_module(_, _, []) ->
    {error, enoent}.

%% `code:load_abs/1,2`: the file `File.beam` (`File` without extension).
load_abs(File, M) ->
    Name = File ++ ".beam",
    case erl_prim_loader:get_file(Name) of
        {ok, Bin, _} -> code:load_binary(M, Name, Bin);
        error -> {error, nofile}
    end.

%% A load that failed, logged as erl logs it before `{error, Why}`: the
%% loader's report of the file it refused (as erts sends it), and the
%% code server's (`code_server:error_msg/2`'s message) when it was loading
%% `File` (`none` for `erlang:load_module/2`, which has no code server).
load_failed({M, File, Why, Report}) ->
    Micros = os:system_time(microsecond),
    _ = [emulator_report(self(), Micros, "~s~n", [Report]) || Report =/= none],
    case {Why, File} of
        {sticky_directory, _} ->
            code_server_msg("Can't load module '~w' that resides in sticky dir\n", [M]);
        {_, none} -> ok;
        _ -> code_server_msg("Loading of ~ts failed: ~p\n", [File, Why])
    end,
    {error, Why}.

%% A call of M:F(Args...) whose module the loader refused when the call
%% loaded it on demand: erl's reports (load_failed/1), then the call's
%% `undef`, with the caller's stack trace under the call's frame (the
%% interpreter tail-called this in the call's place).
undef_after_load(Info, M, F, Args) ->
    _ = load_failed(Info),
    {current_stacktrace, [_ | Stack]} = process_info(self(), current_stacktrace),
    erlang:raise(error, undef, [{M, F, Args, []} | Stack]).

code_server_msg(Format, Args) ->
    _ = try
            logger ! {log, error, Format, Args,
                      #{pid => self(), gl => group_leader(),
                        time => os:system_time(microsecond),
                        error_logger => #{tag => error}}}
        catch _:_ ->
            erlang:display({code_server, error}),
            erlang:display({Format, Args})
        end,
    ok.

%% BEAM's report for a process `Pid` ended at `Micros` (OS time,
%% microseconds) by an uncaught error or throw: the scheduler spawns this
%% for each such process, with that process's group leader, and it sends
%% the event to the `logger` process as erts does (the same message,
%% format and metadata), which logs it through the default handler on
%% standard output. Without a `logger` it is written on standard error
%% with the logger's legacy header.
crash_report(Pid, Reason, Micros) ->
    emulator_report(Pid, Micros, "Error in process ~p with exit value:~n~p~n", [Pid, Reason]).

%% The report erts logs for a process that a collection found over its
%% `max_heap_size` (with `error_logger` set), in its layout: the
%% scheduler spawns this with the time, the limit, the heap's total, the
%% `kill` flag, the message queue's length and the collector's figures.
max_heap_report(Pid, Micros, [Max, Total, Kill, QueueLen, GcInfo]) ->
    emulator_report(Pid, Micros,
                    "     Process:            ~p ~n"
                    "     Context:            maximum heap size reached~n"
                    "     Max Heap Size:      ~p~n"
                    "     Total Heap Size:    ~p~n"
                    "     Kill:               ~p~n"
                    "     Error Logger:       true~n"
                    "     Message Queue Len:  ~p~n"
                    "     GC Info:            ~p~n",
                    [Pid, Max, Total, Kill, QueueLen, GcInfo]).

emulator_report(Pid, Micros, Format, Args) ->
    case whereis(logger) of
        Logger when is_pid(Logger) ->
            Meta = #{error_logger => #{emulator => true, tag => error},
                     gl => group_leader(), pid => Pid, time => Micros},
            Logger ! {log, error, Format, Args, Meta},
            ok;
        undefined ->
            enigma_io:put_error(latin1, [header(Micros), io_lib:format(Format, Args), $\n])
    end.

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
%% erlang:process_display(Pid, backtrace), once the operation has checked
%% its arguments: the text of process_info(Pid, backtrace) on standard
%% error. A process that ended meanwhile shows nothing.
process_display(Pid) ->
    case erlang:process_info(Pid, backtrace) of
        {backtrace, Text} -> enigma_io:put_error(latin1, Text);
        undefined -> ok
    end,
    true.

await_reply(Ref) ->
    receive
        {Ref, Reply} -> Reply
    end.
