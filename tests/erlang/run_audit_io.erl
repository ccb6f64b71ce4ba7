%% io:format, put_chars and write through the group leader: unicode
%% with latin1 and unicode encodings, bad arguments and devices, records,
%% deep terms printed with ~p/~P/~W at widths, floats and integers in
%% every base. Session 18's audit: as erl.
-module(run_audit_io).
-export([main/0]).
-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).
p(X) -> io:format("~p~n", [X]).
-record(rec, {a = 1, b = "x", c}).
main() ->
    io:format("~ts|~s|~tp|~p~n", [<<"αβ"/utf8>>, [200, 65], [945, 946], [945]]),
    p(?T(io:format("~s~n", [[945]]))),
    io:put_chars([<<"put ">>, "chars", $\n]), p(?T(io:put_chars(unicode, [945, $\n]))), p(?T(io:put_chars(latin1, [200, $\n]))),
    p(?T(io:put_chars([256]))), io:nl(), io:write({a, "b"}), io:nl(), io:fwrite("~w~n", [x]),
    p([?T(io:columns()), ?T(io:rows()), io:printable_range(), ?T(lists:sort(io:getopts()))]),
    p(?T(io:format("~p ~p~n", [one]))), p(?T(io:format(bad_device_xyz, "x", []))), p(?T(io:format("~z", [1]))),
    p(?T(io:format(standard_error, "", []))), p(?T(io:format(user, "to user~n", []))),
    p(?T(io_lib:format("~p", [#rec{}]))), p(#rec{c = [1]}), io:format("~p~n", [#rec{}]),
    p(?T(io:request(standard_io, {get_geometry, columns}))),
    p(?T(io:setopts([{encoding, unicode}]))), io:format("~ts ~s~n", [[945], [200]]), p(?T(io:getopts())),
    io:format("~tp ~p~n", [[945], [945]]), p(?T(io:put_chars([945, $\n]))),
    p(?T(io:setopts([{encoding, latin1}]))), p(?T(io:setopts([binary]))), p(?T(io:setopts([bogus]))),
    io:format("~10.5c|~-5c|~c~n", [$a, $b, 945]),
    p(?T(io:format("~ts~n", [[16#110000]]))),
    p(io_lib:format("~p", [[<<"a">>, <<"b">>]])),
    Deep = lists:foldl(fun(I, A) -> {I, A, [I]} end, x, lists:seq(1, 30)),
    io:format("~p~n", [Deep]), io:format("~P~n", [Deep, 10]), io:format("~W~n", [Deep, 7]), io:format("~50p~n", [Deep]),
    io:format("~p~n", [maps:from_list([{I, lists:seq(1, I)} || I <- lists:seq(1, 12)])]),
    io:format("~p~n", [[{"key " ++ integer_to_list(I), <<"binary value ", (integer_to_binary(I))/binary>>, I * 1.5} || I <- lists:seq(1, 8)]]),
    io:format("~tp~n", [{"日本語テキスト", <<"日本"/utf8>>, 'アトム'}]), io:format("~p~n", [{"日本語", <<"日本"/utf8>>}]),
    io:format("~tp~n", [[lists:duplicate(10, "αβγδε")]]),
    io:format("~p~n", [{[1,2,3], "a string", [a|b], [[]], [65 | <<"x">>], <<1,2,3:4>>, -0.0, 1.0e-20, 12345678901234567890.0, 'Aa', 'a-b'}]),

    io:format("~s~n", [io_lib:format("~p", [lists:seq(1, 40)])]),
    io:format("[~s]~n", [string:join([io_lib:format("~5.2f", [X]) || X <- [1.0, 22.333, -3.14159]], ",")]),
    io:format("~.*f ~*.*e~n", [2, 3.14159, 12, 3, 2.71828]),
    io:format("~8.2.0f|~.2.xf|~-8.2.xf|~n", [-3.14159, 1.5, 1.5]),
    io:format("~.36B ~.36b ~16#~n", [35 * 36 + 1, 35, 255]),
    io:format("~e ~e ~g ~g ~g~n", [1.0, 123456789.0, 0.0001, 0.1, 1.0e7]),
    io:format("~15e|~-15e|~15.3g|~n", [1.5, 1.5, 1.5]),
    io:format("~s ~10s ~-10s ~.2s|~n", [<<"bin">>, <<"bin">>, atom, "longer"]),
    io:format("~i~w~n", [hidden, shown]),
    ok.
