%% Expressions read from strings and evaluated (a calculator's or a config
%% reader's use of erl_scan, erl_parse and erl_eval), errors included;
%% erl_pp of forms and expressions; io_lib's format scanning.
%% Session 18's audit: as erl.
-module(run_audit_syntax).
-export([main/0]).
-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).
p(X) -> io:format("~p~n", [X]).
eval(S) ->
    try
        {ok, Toks, _} = erl_scan:string(S),
        {ok, Exprs} = erl_parse:parse_exprs(Toks),
        {value, V, B} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
        {V, lists:sort(erl_eval:bindings(B))}
    catch C:R -> {C, R} end.
main() ->
    [p(eval(S)) || S <- ["1 + 2 * 3.", "X = 5, Y = X * X, Y div 3.", "[A || A <- lists:seq(1,10), A rem 2 == 0].",
                          "#{a => 1, b => [x]}.", "M = #{k => v}, M#{k := w}.", "<<1,2,X:16>> = <<1,2,3,4>>, X.",
                          "F = fun(N) -> N * 2 end, lists:map(F, [1,2,3]).", "fun F(0) -> 1; F(N) -> N * F(N-1) end(20).",
                          "case 3 of 1 -> a; N when N > 2 -> b end.", "try 1/0 catch error:E -> E end.",
                          "1/0.", "undefined_fun(1).", "lists:nope(1).", "X = 1, X = 2.", "receive after 0 -> timeout end.",
                          "{a, \"str\", 'at om', $c, 1.5e10, 16#ff, 2#101}.", "<< <<(X*2)>> || <<X>> <= <<1,2,3>> >>.",
                          "begin A = 1, B = A + 1, {A, B} end.", "if 1 > 2 -> x; true -> y end.",
                          "catch throw(foo).", "element(2, {a, b, c}).", "[1|2].", "\"abc\" ++ \"def\".", "[1,2,3] -- [2].",
                          "math:sqrt(2).", "1 bsl 100.", "-(3).", "not true.", "true andalso false.", "1 =:= 1.0.",
                          "maybe_x.", "#{a := A} = #{a => 1}, A.", "{X, Y} = {1}.", "lists:foldl(fun(X, Acc) -> X + Acc end, 0, [1,2,3])."
                         ]],
    p(?T(erl_scan:string("foo(X) -> 'bar' ++ \"baz\" % comment\n.", {1,1}, [return_comments, text]))),
    p(?T(erl_scan:string("1.5e3 16#FF $\\n 'a\\tb' \"\\x{41}\" ..."))),
    p(?T(erl_scan:string("\"unterminated"))),
    p(?T(erl_scan:string("0x12 1_000 16#1_F 2.0e-3 $\\^A"))),
    p(?T(erl_scan:tokens([], "a. b.", 1))),
    p(?T(erl_parse:parse_term(element(2, erl_scan:string("{a, [1,2], #{k => <<\"v\">>}}."))))),
    p(?T(erl_parse:parse_exprs(element(2, erl_scan:string("1 + ."))))),
    p(?T(erl_parse:parse_form(element(2, erl_scan:string("f(X) when X > 0 -> X; f(_) -> 0."))))),
    {ok, T1, _} = erl_scan:string("-record(r, {a = 1 :: integer(), b}). "),
    {ok, F1} = erl_parse:parse_form(T1),
    p(lists:flatten(erl_pp:form(F1))),
    {ok, T2, _} = erl_scan:string("f(X) -> case X of {a, B} when is_integer(B) -> B + 1; _ -> try g(X) catch _:_ -> ok after h() end end."),
    {ok, F2} = erl_parse:parse_form(T2),
    io:format("~s~n", [erl_pp:form(F2)]),
    p(lists:flatten(erl_pp:expr(element(2, hd(element(2, erl_parse:parse_exprs(element(2, erl_scan:string("fun(X) -> X + 1 end(2)."))))))))),
    p(?T(lists:flatten(erl_pp:exprs(element(2, erl_parse:parse_exprs(element(2, erl_scan:string("#{a => 1}#{b := 2}, <<X:8/integer-unit:1>>, [Y || Y <- L, Y > 0].")))))))),
    p(?T(erl_parse:abstract({a, [1, 2.5], <<"x">>, #{1 => 2}}))),
    p(?T(erl_parse:normalise({cons, 1, {integer, 1, 5}, {nil, 1}}))),
    p(?T(erl_eval:expr(hd(element(2, erl_parse:parse_exprs(element(2, erl_scan:string("X + 1."))))), [{'X', 41}]))),
    p(?T(erl_eval:new_bindings())),
    p(?T(erl_scan:reserved_word('receive'))),
    p(?T(erl_scan:format_error({string, $", "abc"}))),
    p(?T(lists:flatten(erl_parse:format_error(["syntax error before: ", "'.'"])))),
    p(?T(io_lib:scan_format("~p ~-10.3s~n", [a, "abc"]))),
    p(?T(io_lib:unscan_format(io_lib:scan_format("~p ~-10.3s~n", [a, "abc"])))),
    p(?T(io_lib:build_text(io_lib:scan_format("~p ~-10.3s~n", [a, "abc"])))),
    ok.
