-module(run_eval).
-export([main/0]).

%% Erlang's own evaluator running on the VM: erl_scan, erl_parse and
%% erl_eval exercise funs, maps, exceptions, records and deep recursion.
main() ->
    Exprs = [
        "1 + 2 * 3.",
        "lists:foldl(fun(X, A) -> X + A end, 0, lists:seq(1, 100)).",
        "[X * X || X <- lists:seq(1, 10), X rem 2 =:= 0].",
        "<< <<(B + 1)>> || <<B>> <= <<1,2,3>> >>.",
        "M = #{a => 1, b => 2}, maps:get(b, M) + map_size(M#{c => 3}).",
        "F = fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end, F(25).",
        "try 1 / 0 catch error:badarith -> caught end.",
        "case {1, [2, 3]} of {A, [B | _]} when A < B -> {ok, A + B}; _ -> no end.",
        "begin X = 10, Y = X bsl 62, {Y, Y div 7, -Y rem 13} end.",
        "string:tokens(\"a,b,,c\", \",\").",
        "io_lib:format(\"~p ~w ~s ~8.3f~n\", [{a, \"b\"}, [1.5], \"str\", 3.14159]).",
        "lists:sort(fun(A, B) -> A > B end, [3, 1, 2]).",
        "catch throw(oops).",
        "erlang:phash2({1, 2, [a]}).",
        "lists:keysort(2, [{a, 3}, {b, 1}, {c, 2}]).",
        "receive after 0 -> timeout end.",
        "self() ! hello, receive hello -> got end.",
        "element(2, list_to_tuple(lists:seq(1, 5))).",
        "{ok, Toks, _} = erl_scan:string(\"foo(X) -> X.\"), length(Toks).",
        "float_to_list(1/3, [{decimals, 10}, compact]).",
        "lists:flatten(io_lib:format(\"~.16B ~e ~g\", [255, 12345.678, 0.001])).",
        "maps:fold(fun(K, V, A) -> [{K, V} | A] end, [], #{1 => a, 2 => b}).",
        "try error({my, reason}) catch C:R:S -> {C, R, length(S) > 0} end.",
        "[{X, Y} || X <- [1, 2, 3], Y <- [a, b], X =/= 2].",
        "unicode:characters_to_binary(\"h\\x{e9}llo\").",
        "binary_to_list(term_to_binary({a, 1.5, <<\"x\">>})).",
        "queue:to_list(queue:in(3, queue:in(2, queue:from_list([1])))).",
        "gb_trees:to_list(gb_trees:insert(b, 2, gb_trees:insert(a, 1, gb_trees:empty()))).",
        "sets:to_list(sets:from_list([c, a, b, a], [{version, 2}])).",
        "dict:to_list(dict:store(k, v, dict:new())).",
        "proplists:get_value(b, [a, {b, 2}, {c, 3}]).",
        "calendar:gregorian_days_to_date(738000).",
        "lists:zip3([1, 2], [a, b], [x, y]).",
        "string:uppercase(\"hello w\\x{f6}rld\").",
        "erl_eval:expr_list([], []).",
        "nonexisting:call(1).",
        "F = fun(X) -> X * 2 end, erlang:fun_info_mfa(F) =:= erlang:fun_info_mfa(F)."
    ],
    lists:foreach(fun eval/1, Exprs).

eval(S) ->
    {ok, Toks, _} = erl_scan:string(S),
    {ok, Es} = erl_parse:parse_exprs(Toks),
    R = try erl_eval:exprs(Es, erl_eval:new_bindings()) of
            {value, V, _} -> {value, V}
        catch
            C:E -> {C, E}
        end,
    io:format("~s => ~p~n", [S, R]).
