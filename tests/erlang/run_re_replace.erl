-module(run_re_replace).
-export([main/0]).

%% re:replace/3,4, re:split/2,3 and the other re.erl functions over the
%% re BIFs: backreferences in replacements, global replacement with empty
%% matches, split with parts/trim/group/return, Unicode.

t(F) -> try F() catch C:R -> {C, R} end.

show(Name, F) -> io:format("~s: ~p~n", [Name, t(F)]).

%% A compiled pattern's binary is the engine's own: not printed.
lbl({re_pattern, _, _, _, _}) -> mp;
lbl(P) -> P.

main() ->
    replace_cases(),
    split_cases(),
    other_cases(),
    ok.

replace_cases() ->
    R = fun(S, P, Rep, O) -> show(io_lib:format("replace ~p ~p ~p ~p", [S, lbl(P), Rep, O]),
                                  fun() -> re:replace(S, P, Rep, O) end) end,
    R("a-b-c", "-", "+", [{return, list}]),
    R("a-b-c", "-", "+", [global, {return, list}]),
    R("a-b-c", "-", "+", [global, {return, binary}]),
    R("a-b-c", "-", "+", [global]),
    R("abc", "b", "[&]", [{return, list}]),
    R("abc", "b", "[\\&]", [{return, list}]),
    R("abcd", "(b)(c)", "\\2\\1", [{return, list}]),
    R("abcd", "(b)(c)", "\\g{2}\\g1x", [{return, list}]),
    R("abcd", "(b)(c)", "\\3|\\0", [{return, list}]),
    R("abcd", "(b)(x)?", "<\\2>", [{return, list}]),
    R("abc", "", "-", [global, {return, list}]),
    R("abc", "x*", "-", [global, {return, list}]),
    R("aaa", "a*", "-", [global, {return, list}]),
    R("a\r\nb", "", "-", [global, {newline, crlf}, {return, list}]),
    R("a\r\nb", "", "-", [global, {return, binary}]),
    R("hello world", "o", "0", [global, {offset, 5}, {return, list}]),
    R("Hello", "h", "j", [caseless, {return, list}]),
    R("abc", "x", "y", []),
    R("abc", "x", "y", [{return, list}]),
    R(<<"abc">>, <<"b">>, <<"\\\\">>, [{return, binary}]),
    R("aäb", "ä", "ö", [unicode, {return, list}]),
    R("aäb", "ä", "ö", [unicode, {return, binary}]),
    R("aäb", ".", "-", [unicode, global, {return, list}]),
    R("aäb", "", "-", [unicode, global, {return, list}]),
    R("a.b.c", "\\.", "\\\\", [global, {return, list}]),
    R("x", "x", [<<"a">>, "b", [$c]], [{return, list}]),
    R("abc", "b", "z", [report_errors]),
    R("abc", "b", "z", [{capture, all}]),
    R("abc", "b", "z", [{return, foo}]),
    R("abc", "b(", "z", []),
    R("abc", "b", fun(_, _) -> x end, []),
    {ok, MP} = re:compile("(\\w+)@(\\w+)"),
    R("joe@host and ann@box", MP, "\\2:\\1", [global, {return, list}]),
    R("joe@host", MP, "x", [caseless]).

split_cases() ->
    S = fun(Sub, P, O) -> show(io_lib:format("split ~p ~p ~p", [Sub, lbl(P), O]),
                               fun() -> re:split(Sub, P, O) end) end,
    S("a-b-c", "-", []),
    S("a-b--c-", "-", []),
    S("a-b--c-", "-", [trim]),
    S("a-b--c--", "-", [{parts, 2}]),
    S("a-b--c--", "-", [{parts, 0}]),
    S("a-b--c--", "-", [{parts, infinity}]),
    S("a-b--c--", "-", [{parts, 10}]),
    S("a-b-c", "-", [{return, list}]),
    S("a-b-c", "(-)", [{return, list}]),
    S("a-b_c", "(-)|(_)", [{return, list}]),
    S("a-b-c", "(-)", [group, {return, list}]),
    S("a-b-c", "-", [group, {return, list}]),
    S("abc", "", [{return, list}]),
    S("abc", "x*", [{return, list}]),
    S("a b  c", " +", [{return, binary}]),
    S("", "-", []),
    S("", "-", [trim]),
    S("---", "-", [trim]),
    S("---", "-", []),
    S("aäbäc", "ä", [unicode, {return, list}]),
    S("aäbäc", "", [unicode, {return, list}]),
    S("a\r\nb", "", [{newline, crlf}, {return, list}]),
    S("a1b22c", "\\d+", [{return, list}, {parts, 2}]),
    S("a-b", "-", [global]),
    S("a-b", "-", [{capture, all}]),
    S("a-b", "-", [{parts, -1}]),
    S("a-b", "-(", []),
    {ok, MP} = re:compile(","),
    S("1,2,,3", MP, [{return, list}]),
    S("1,2,,3", MP, [trim, {return, list}]).

other_cases() ->
    show("grun", fun() -> re:grun("abcabc", "b", {[{capture, all, list}], false}) end),
    show("urun", fun() -> re:urun("abc", "b", []) end),
    show("ucompile", fun() -> {ok, P} = re:ucompile("b", []), re:run("abc", P) end),
    show("string:split", fun() -> string:split("a,b,c", ",", all) end),
    show("string:replace", fun() -> string:replace("a,b,c", ",", ";", all) end),
    show("lists of lines", fun() -> [L || L <- re:split("one\ntwo\n\nthree", "\n", [{return, list}, trim])] end),
    show("filelib wildcard re", fun() -> re:run("foo.erl", element(2, re:compile(".*\\.erl$"))) end),
    show("io_lib fread", fun() -> io_lib:fread("~d ~s", "12 abc") end).
