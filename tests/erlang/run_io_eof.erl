%% The group leader at the end of input (erl -noshell with no input):
%% every read is eof; options, prompts and bad requests as erl answers.
-module(run_io_eof).
-export([main/0]).

main() ->
    io:format("~p~n", [io:getopts()]),
    io:format("~p~n", [[io:get_line("p1> "), io:read('p2> '), io:get_chars('', 3),
                        io:fread('', "~d"), io:get_line(''), io:get_password()]]),
    io:format("~p~n", [io:request(standard_io, bogus)]),
    io:format("~p~n", [io:request(standard_io, {get_geometry, columns})]),
    io:format("~p~n", [io:setopts([{encoding, unicode}])]),
    io:format("~p~n", [io:getopts()]),
    io:format("~ts~n", [[1090, 1077]]),
    io:put_chars([1090, $\n]),
    io:put_chars(<<"\xd1\x82\n"/utf8>>),
    io:format("~s~n", [[233]]),
    io:format("~p~n", [io:setopts([{binary, true}])]),
    io:format("~p~n", [io:getopts()]),
    io:format("~p~n", [io:setopts([bogus])]),
    io:format("~p~n", [io:setopts([{encoding, bogus}])]),
    io:format("~p~n", [io:setopts([{encoding, latin1}, list])]),
    io:format("~ts~n", [[1090, 1077]]),
    io:format("~p~n", [io:getopts()]).
