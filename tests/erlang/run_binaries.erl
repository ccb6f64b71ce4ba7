-module(run_binaries).
-export([main/0]).

main() ->
    io:format("~w ~p~n", [<<1, 2, 3>>, <<"text">>]),
    B = <<"hello", 0:8, 1:16>>,
    <<H:5/binary, _/binary>> = B,
    io:format("~p ~p~n", [H, byte_size(B)]).
