%% OTP's tftp daemon and client over UDP on 127.0.0.1: a 9 KB file read
%% (blocks of 512 bytes, each acknowledged), a file written, a missing
%% file refused.
-module(run_tftp).
-export([main/0]).
main() ->
    logger:set_primary_config(level, none),
    Dir = filename:join("/tmp", "enigma_run_tftp_" ++ os:getpid()),
    ok = filelib:ensure_dir(Dir ++ "/x"),
    Data = iolist_to_binary([integer_to_list(I) ++ "\n" || I <- lists:seq(1, 2000)]),
    ok = file:write_file(Dir ++ "/src.txt", Data),
    io:format("start ~p~n", [application:start(tftp)]),
    {ok, D} = tftp:start([{port, 0}, {callback, {".*", tftp_file, [{root_dir, Dir}]}}]),
    {ok, Info} = tftp:info(D),
    Port = proplists:get_value(udp_port, Info, proplists:get_value(port, Info)),
    io:format("read ~p~n", [tftp:read_file("src.txt", binary, [{host, "127.0.0.1"}, {port, Port}])
                            =:= {ok, Data}]),
    io:format("write ~p~n", [tftp:write_file("dst.txt", <<"written">>, [{host, "127.0.0.1"}, {port, Port}])]),
    io:format("back ~p~n", [file:read_file(Dir ++ "/dst.txt")]),
    io:format("missing ~p~n", [element(1, tftp:read_file("nope.txt", binary, [{host, "127.0.0.1"}, {port, Port}]))]),
    os:cmd("rm -rf " ++ Dir).
