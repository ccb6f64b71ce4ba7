-module(run_stdlib2).
-export([main/0]).

%% More of OTP's pure libraries: rand's generators, string and unicode
%% normalisation, calendar, base64, uri_string, array, orddict, io_lib.
main() ->
    rand:seed(exsss, {1, 2, 3}),
    io:format("~p~n", [[rand:uniform(100) || _ <- lists:seq(1, 10)]]),
    io:format("~p~n", [rand:uniform_real()]),
    io:format("~p~n", [rand:normal()]),
    S0 = rand:seed_s(exrop, 7),
    {X, _} = rand:uniform_s(1000000, S0),
    io:format("~p~n", [X]),
    rand:seed(exs1024s, 99), io:format("~p~n", [rand:uniform(1 bsl 80)]),
    io:format("~ts~n", [string:titlecase("hello wörld")]),
    io:format("~p~n", [string:lexemes("a,b;;c", ",;")]),
    io:format("~p~n", [unicode:characters_to_nfd_list("åäö")]),
    io:format("~p~n", [string:length("a\r\nb")]),
    io:format("~p~n", [string:to_graphemes("e\x{301}x")]),
    io:format("~p~n", [calendar:day_of_the_week(2024, 2, 29)]),
    io:format("~p~n", [calendar:iso_week_number({2021, 1, 3})]),
    io:format("~p~n", [lists:sort([{b, 2}, {a, 1.0}, {a, 1}, "str", <<"bin">>, 3, 2.5])]),
    io:format("~p~n", [io_lib:format("~10.3.0f|~-8s|~8s|~c|~.2e", [3.14159, "ab", "cd", $x, 1234.5])]),
    io:format("~p~n", [base64:encode(<<"hello world">>)]),
    io:format("~p~n", [base64:decode("aGVsbG8gd29ybGQ=")]),
    io:format("~p~n", [uri_string:parse("http://user@host:8080/p/a?q=1#f")]),
    io:format("~p~n", [erl_scan:string("X = <<1,2>>, 'atom' ++ \"str\".")]),
    io:format("~p~n", [array:to_list(array:set(5, x, array:new(10, {default, 0})))]),
    io:format("~p~n", [orddict:merge(fun(_, A, B) -> A + B end, [{a, 1}, {b, 2}], [{b, 3}, {c, 4}])]),
    io:format("~p~n", [io_lib:fwrite("~w ~p", [#{a => [1,2]}, {x, "y"}])]).
