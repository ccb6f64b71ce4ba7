-module(printable_range).
-export([main/0]).

%% What `+pc unicode|latin1` changes: `io:printable_range/0` and what
%% `io_lib` takes for a string (run by tests/tests/printable.rs with each
%% flag on erl and Enigma).
main() ->
    Lists = [[960, 97], [228, 246], "abc", [16#1F600], [1], [128, 255], [256]],
    io:format("~p~n", [io:printable_range()]),
    io:format("~p~n", [[{io_lib:printable_list(L), io_lib:printable_unicode_list(L)} || L <- Lists]]),
    [io:format("~p ~tp ~w ~ts~n", [L, L, L, io_lib:write_string(L)]) || L <- Lists],
    io:format("~tp~n", [#{[960] => <<"π"/utf8>>, key => [228]}]),
    io:format("~ts~n", [io_lib:format("~tp", [[960, 961]])]).
