%% Reading standard input through the group leader as erl -noshell does
%% (input in run_io_stdin.stdin): get_line, read, get_chars, fread, the
%% the device's encoding, prompts, end of input.
-module(run_io_stdin).
-export([main/0]).

main() ->
    io:format("~p~n", [io:getopts()]),
    L1 = io:get_line("p1> "),
    T = io:read('p2> '),
    L2 = io:get_chars('', 3),
    F = io:fread('', "~d ~a"),
    Rest = io:get_line(""),
    Latin = io:get_line(''),
    io:format("~p~n", [[L1, T, L2, F, Rest, Latin]]),
    ok = io:setopts([{encoding, unicode}]),
    Uni = io:get_line(''),
    io:format("~w~n", [Uni]),
    io:format("~ts", [Uni]),
    Line = io:get_line(''),
    Chars = io:get_chars('', 4),
    io:format("~p~n", [[Line, Chars, io:getopts()]]),
    ok = io:setopts([{encoding, latin1}]),
    Bad = io:read(''),
    Toks = io:request(standard_io, {get_until, unicode, '', erl_scan, tokens, [1]}),
    io:format("~p~n", [[Bad, Toks]]),
    E = io:get_line(""),
    E2 = io:get_chars("", 2),
    E3 = io:read(''),
    E4 = io:fread('', "~d"),
    io:format("~p~n", [[E, E2, E3, E4]]).
