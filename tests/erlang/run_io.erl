-module(run_io).
-export([main/0]).

main() ->
    io:format("hello~n"),
    io:format("~p ~w ~s~n", [{a, [1, 2], "str", 3.5}, 'Quoted atom', "abc"]),
    io:format("~10.3f|~-8s|~8s|~n", [3.14159, "ab", "cd"]),
    io:fwrite("~B ~.16B ~.2B ~c~n", [255, 255, 5, $a]),
    io:write({x, 1, [y]}),
    io:nl(),
    io:put_chars("put_chars\n"),
    io:put_chars(["deep", [$i, "o"], <<"list\n">>]),
    io:format("~p~n", [lists:seq(1, 40)]),
    io:format("~ts|~s|~n", [[1046, 233], [233]]),
    io:format("~5..0B|~-6.2.*f|~n", [42, $x, 1.5]),
    io:format("~p~n", [#{a => 1, b => [x]}]),
    io:format("~i~p~n", [ignored, done]),
    %% standard_error is an io device (what it writes is not compared).
    io:format("~p~n", [[is_pid(whereis(standard_error)),
                        io:format(standard_error, "", []),
                        io:put_chars(standard_error, [])]]).
