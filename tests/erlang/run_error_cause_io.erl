-module(run_error_cause_io).
-export([main/0]).

%% The error_info causes of binary_to_term/2 (badopt, options checked
%% before the binary), halt/2 (badopt) and io's output functions (the io
%% server's error reply, {device, put_chars}), as terms and as
%% erl_error:format_exception/3 explains them.
main() ->
    [t(F) || F <- [fun() -> binary_to_term(<<131, 100>>, [bad]) end,
                   fun() -> binary_to_term(<<131, 100>>, bad) end,
                   fun() -> binary_to_term(not_bin, [bad]) end,
                   fun() -> binary_to_term(not_bin, [safe]) end,
                   fun() -> binary_to_term(<<131, 100>>, [safe | used]) end,
                   fun() -> binary_to_term(<<131, 100>>, [safe, used]) end,
                   fun() -> binary_to_term(<<131, 100>>) end,
                   fun() -> halt(1, bad) end,
                   fun() -> halt(bad, [{flush, 1}]) end,
                   fun() -> io:format("~s~n", [[769]]) end,
                   fun() -> io:format("~w ~w~n", id([1])) end,
                   fun() -> io:format(id("~q~n"), [1]) end,
                   fun() -> io:put_chars([769]) end,
                   fun() -> io:put_chars(bad) end,
                   fun() -> io:put_chars(unicode, [-1]) end,
                   fun() -> io:fwrite("~s~n", [[769]]) end]].

t(F) ->
    try F() of V -> io:format("~p~n", [{returned, V}])
    catch error:E:St ->
        {M, Fn, A, Loc} = hd(St),
        io:format("~p~n", [{E, M, Fn, A, proplists:get_value(error_info, Loc)}]),
        io:format("~ts~n", [erl_error:format_exception(error, E, [hd(St)])])
    end.

id(X) -> X.
