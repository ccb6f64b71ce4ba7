%% `erl`'s start commands on the command line (run_start_commands.args):
%% `-s` (atoms), `-run` (strings), `-eval` (an expression), run in order
%% before the program's own function, in the same process; the flags
%% among them and the plain arguments.
-module(run_start_commands).
-export([main/0, hello/0, hello/1, greet/1, start/0, show/1]).

hello() -> show(hello).

hello(Atoms) -> show({hello, Atoms}).

greet(Strings) -> show({greet, Strings}).

start() -> show(start).

show(Term) ->
    Seen = case get(seen) of undefined -> []; S -> S end,
    put(seen, [Term | Seen]),
    io:format("~p~n", [Term]).

main() ->
    io:format("main after ~p~n", [lists:reverse(get(seen))]),
    io:format("arguments ~p~n", [[A || {K, _} = A <- init:get_arguments(),
                                      not lists:member(K, [root, bindir, home, pa, progname])]]),
    io:format("plain ~p~n", [init:get_plain_arguments()]),
    io:format("s ~p eval ~p~n", [init:get_argument(s), init:get_argument(eval)]),
    io:format("env ~p~n", [application:get_env(kernel, after_commands)]).
