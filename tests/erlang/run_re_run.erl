-module(run_re_run).
-export([main/0]).

%% re:run/2,3, re:compile/1,2, re:inspect/2 and re:version/0: options,
%% capture specs and types, global matching with empty matches, Unicode
%% subjects, errors. (Compiled patterns are not printed: their binary is
%% the engine's own.)

t(F) -> try F() catch C:R -> {C, R} end.

show(Name, F) -> io:format("~s: ~p~n", [Name, t(F)]).

pat(P) -> pat(P, []).
pat(P, O) ->
    case re:compile(P, O) of
        {ok, {re_pattern, N, U, C, B}} when is_binary(B) -> {ok, N, U, C};
        Other -> Other
    end.

main() ->
    show("version", fun() -> re:version() end),
    compile_cases(),
    run_cases(),
    capture_cases(),
    global_cases(),
    unicode_cases(),
    error_cases(),
    precompiled_cases(),
    latin1_cases(),
    ok.

compile_cases() ->
    [show("compile " ++ P, fun() -> pat(P) end)
     || P <- ["a", "a(b)(?<n>c)", "(?:x)(y)", "", "(a)|(b)|(c)"]],
    [show("compile nl", fun() -> pat("a", [{newline, NL}]) end)
     || NL <- [cr, lf, crlf, anycrlf, any]],
    [show("compile opt", fun() -> pat("a(b)", [O]) end)
     || O <- [unicode, anchored, caseless, dollar_endonly, dotall, extended,
              firstline, multiline, no_auto_capture, dupnames, ungreedy,
              bsr_anycrlf, bsr_unicode, no_start_optimize, ucp, never_utf]],
    [show("compile bad opt", fun() -> re:compile("a", O) end)
     || O <- [[global], [notbol], [bogus], [{newline, x}], foo, [unicode | x],
              [{capture, all}], [{offset, 1}]]],
    show("compile bad pattern", fun() -> re:compile(abc) end),
    show("compile bad list", fun() -> re:compile([1000]) end),
    show("compile unicode list", fun() -> pat([1000, $a], [unicode]) end),
    show("compile iolist", fun() -> pat([<<"a">>, [$b, <<"c">>]]) end).

run_cases() ->
    R = fun(S, P, O) -> show(io_lib:format("run ~p ~p ~p", [S, P, O]),
                             fun() -> re:run(S, P, O) end) end,
    R("abcabc", "b", []),
    R("abcabc", "x", []),
    R(<<"abcabc">>, <<"c">>, []),
    R(["ab", <<"ca">>, $b], "ca", []),
    R("ABC", "b", [caseless]),
    R("ABC", "b", []),
    R("a\nb", "a.b", []),
    R("a\nb", "a.b", [dotall]),
    R("a\nb", "^b", []),
    R("a\nb", "^b", [multiline]),
    R("ab\n", "b$", []),
    R("ab\n", "b$", [dollar_endonly]),
    R("a b", "a b", [extended]),
    R("a b", "a\\ b", [extended]),
    R("aaa", "a+", [ungreedy]),
    R("aaa", "a+?", [ungreedy]),
    R("xab", "ab", [anchored]),
    R("xab", "ab", []),
    R("ab", "(a)(b)", [no_auto_capture]),
    R("ab", "(?<x>a)(b)", [no_auto_capture]),
    R("x\nab", "ab", [firstline]),
    R("abab", "b", [{offset, 2}]),
    R("abab", "b", [{offset, 4}]),
    R("ab", "^a", [notbol]),
    R("ab", "b$", [noteol]),
    R("ab", "x*", [notempty]),
    R("ab", "a*", [notempty_atstart]),
    R("xab", "a*", [notempty_atstart]),
    R("a\r\nb", "a$", [{newline, crlf}]),
    R("a\rb", "a$", [{newline, cr}, multiline]),
    R("a\rb", "a$", [multiline]),
    R("a\r\nb", "a\\Rb", []),
    R("a\x{85}b", "a\\Rb", [bsr_anycrlf]),
    R("a\x{85}b", "a\\Rb", [bsr_unicode]),
    R("aBc", "b", [{capture, all, list}, caseless]),
    R("ab", "(?i)B", []),
    R("abcabc", "(?=c)", []),
    R("abcabc", "(?<=b)c", []),
    R("abab", "(ab)\\1", []),
    R("aaaa", "^(a)\\1{3}$", []),
    R("foo.bar", "\\w+\\.\\w+", []),
    R("2024-01-02", "(\\d+)-(\\d+)-(\\d+)", [{capture, all_but_first, list}]),
    R("", "", []),
    R("", "a", []),
    R("abc", "(*CR)c", []),
    R("é", "\\w", [unicode, ucp]),
    %% Not [unicode] alone: BEAM's start-of-match optimisation and PCRE2's
    %% differ for Latin-1 letters there (docs/RUNTIME.md).
    R("é", "\\w", [unicode, no_start_optimize]).

capture_cases() ->
    C = fun(S, P, Spec) -> show(io_lib:format("capture ~p ~p ~p", [S, P, Spec]),
                                fun() -> re:run(S, P, [Spec]) end) end,
    Ss = [all, all_but_first, first, none, all_names, [1], [0, 2], [2, 1, 5],
          [x, "y", z], [y]],
    [C(S, "(?<x>a)|(?<y>b)(c)?", {capture, Spec, T})
     || S <- ["a", "b", "bc", "q"], Spec <- Ss, T <- [index, list, binary]],
    [C("abc", "(b)", {capture, Spec}) || Spec <- Ss],
    C("a", "(a)|(b)", {capture, all, index}),
    C("b", "(a)|(b)", {capture, all, index}),
    C("abc", "(b)", {capture, [-1], list}),
    C("abc", "(b)", {capture, bogus, list}),
    C("abc", "(b)", {capture, all, bogus}),
    C("abc", "(b)", {capture, [1.0], list}),
    C("abc", "(b)", {capture, [1 bsl 70, 1], index}),
    C("abc", "(b)", {capture, [-(1 bsl 70)], index}),
    C("abc", "(?<x>b)", {capture, [<<"x">>, <<"y">>, "x"], list}),
    C("abc", "(?<x>b)", {capture, [[<<"x">>]], list}),
    C("abc", "(b)", {capture, [<<1:3>>], list}),
    C("xyz", "(?<b>x)(?<a>y)|(?<b>z)", {capture, [b, a], index}),
    C("z", "(?<b>x)(?<a>y)|(?<b>z)", {capture, all_names, list}),
    show("dupnames", fun() -> re:run("z", "(?<b>x)(?<a>y)|(?<b>z)", [dupnames, {capture, [b, a], index}]) end),
    show("dupnames names", fun() -> re:run("z", "(?<b>x)(?<a>y)|(?<b>z)", [dupnames, {capture, all_names, list}]) end),
    {ok, MP} = re:compile("(?<zeta>a)(?<alpha>b)(?<mid>c)"),
    show("inspect", fun() -> re:inspect(MP, namelist) end),
    show("inspect none", fun() -> {ok, P} = re:compile("a"), re:inspect(P, namelist) end),
    show("inspect dup", fun() -> {ok, P} = re:compile("(?<b>x)(?<a>y)|(?<b>z)", [dupnames]),
                                 re:inspect(P, namelist) end),
    show("inspect bad item", fun() -> re:inspect(MP, names) end),
    show("inspect bad mp", fun() -> re:inspect("a", namelist) end).

global_cases() ->
    G = fun(S, P, O) -> show(io_lib:format("global ~p ~p ~p", [S, P, O]),
                             fun() -> re:run(S, P, [global | O]) end) end,
    G("abcabc", "b", []),
    G("abc", "", []),
    G("abc", "x*", []),
    G("aaa", "a*", []),
    G("aaa", "a*?", []),
    G("baaab", "a*", [{capture, all, list}]),
    G("a\r\nb", "", []),
    G("a\r\nb", "", [{newline, crlf}]),
    G("a\r\nb", "", [{newline, anycrlf}]),
    G("a\r\nb", "", [{newline, any}]),
    G("a\r\nb", "", [{newline, cr}]),
    G("a\r\nb", "x*", [{newline, lf}]),
    G("abab", "(a)(b)?", [{capture, all_but_first, binary}]),
    G("abcd", "[bd]", [{offset, 2}]),
    G("abab", "b", [{capture, none}]),
    G("abab", "x", [{capture, none}]),
    G("a,b,,c", ",", [{capture, first, index}]),
    G("ab", "^", [multiline]),
    G("a\nb\n", "^", [multiline]),
    G("a\nb\n", "$", [multiline]),
    G("éaé", "", [unicode]),
    G(<<"é"/utf8, "a">>, "", [unicode]),
    G(<<"é"/utf8, "a">>, "", []),
    G("aaa", "a", [anchored]),
    G("xyz", "\\b", []).

unicode_cases() ->
    U = fun(S, P, O) -> show(io_lib:format("unicode ~w ~w ~p", [S, P, O]),
                             fun() -> re:run(S, P, O) end) end,
    U([1000, $a], "a", [unicode]),
    U([1000, $a], "a", []),
    U([1000, $a], [1000], [unicode, {capture, all, list}]),
    U([1000, $a], [1000], [unicode, {capture, all, binary}]),
    U(<<"ä"/utf8, "x">>, "x", [unicode]),
    U(<<"äx"/utf8>>, "ä", [unicode, {capture, all, list}]),
    U(<<"äx"/utf8>>, ".", [unicode, {capture, all, list}]),
    U(<<"äx"/utf8>>, ".", [{capture, all, list}]),
    U(<<"ÄX"/utf8>>, "ä", [unicode, caseless]),
    U([$a, <<"ü"/utf8>>, 300], "\\x{12c}", [unicode]),
    U(<<255>>, "a", [unicode]),
    U("a", <<255>>, [unicode]),
    U("a", <<255>>, [unicode, report_errors]),
    U(<<"äx"/utf8>>, "x", [unicode, {offset, 1}]),
    U(<<"aé"/utf8>>, "(*UTF)é", []),
    U("ab", "a", [never_utf]),
    U("ab", "(*UTF)a", [never_utf]),
    U([16#110000], "a", [unicode]),
    U([-1], "a", [unicode]),
    show("compile bad utf8", fun() -> re:compile(<<255>>, [unicode]) end).

error_cases() ->
    E = fun(S, P, O) -> show(io_lib:format("error ~p ~p ~p", [S, P, O]),
                             fun() -> re:run(S, P, O) end) end,
    [show("compile error " ++ P, fun() -> re:compile(P) end)
     || P <- ["a(", "a)", "*a", "[a", "a\\", "a{2,1}", "(?#x", "a{99999}"]],
    E("a", "a(", []),
    E("a", "a(", [report_errors]),
    E(abc, "b", []),
    E("abc", abc, []),
    E("abc", "b", foo),
    E("abc", "b", [bogus]),
    E("abc", "b", [{offset, -1}]),
    E("abc", "b", [{offset, x}]),
    E("abc", "b", [{match_limit, -1}]),
    E("abc", {re_pattern, 1, 0, 0, <<"junk">>}, []),
    E("abc", {re_pattern, 1, 0, 0}, []),
    E("abc", "b", [global, report_errors, {capture, all, list}]),
    Long = lists:duplicate(40, $a) ++ "b",
    E(Long, "(a+)+$", [report_errors, {match_limit, 100}]),
    E(Long, "(a+)+$", [{match_limit, 100}]),
    E(Long, "(a+)+$", [report_errors, {match_limit_recursion, 5}]),
    E(Long, "(a+)+$", [{match_limit_recursion, 5}]),
    E("aaa", "a+", [report_errors, {match_limit, 100000}]),
    show("internal_run", fun() -> re:internal_run("abc", "b", [], true) end),
    show("internal_run false", fun() -> re:internal_run("abc", "b", [{capture, all, list}], false) end),
    show("internal_run bad", fun() -> re:internal_run("abc", "b", [], maybe) end).

precompiled_cases() ->
    {ok, P} = re:compile("(b)(c)?"),
    P = element(2, re:compile("(b)(c)?")),
    P2 = binary_to_term(term_to_binary(P)),
    Self = self(),
    spawn(fun() -> Self ! {mp, P} end),
    P3 = receive {mp, X} -> X end,
    [show("pre " ++ atom_to_list(N), fun() -> re:run("abcab", Q, [global, {capture, all, list}]) end)
     || {N, Q} <- [{p, P}, {ext, P2}, {msg, P3}]],
    O = fun(Opts) -> show(io_lib:format("pre opts ~p", [Opts]), fun() -> re:run("abc", P, Opts) end) end,
    O([caseless]),
    O([unicode]),
    O([dotall]),
    O([{newline, crlf}, anchored, bsr_anycrlf]),
    O([anchored]),
    O([notbol, noteol, notempty, {offset, 1}, report_errors, {match_limit, 1000}]),
    {ok, UP} = re:compile("ä", [unicode]),
    show("pre unicode", fun() -> re:run(<<"aä"/utf8>>, UP) end),
    show("pre unicode list", fun() -> re:run([$a, 228], UP, [{capture, all, list}]) end),
    show("pre unicode opt", fun() -> re:run("a", UP, [unicode]) end),
    {ok, NP} = re:compile("^b", [multiline, {newline, crlf}]),
    show("pre nl", fun() -> re:run("a\r\nb", NP) end),
    show("pre nl run", fun() -> re:run("a\rb", NP, [{newline, cr}]) end),
    show("pre global crlf", fun() -> re:run("a\r\nb", element(2, re:compile("", [{newline, crlf}])), [global]) end).

%% The character tables: which of the 256 Latin-1 characters each class
%% holds, and each one's other case.
latin1_cases() ->
    Classes = ["\\s", "\\d", "\\w", "\\W", "[[:alpha:]]", "[[:upper:]]", "[[:lower:]]",
               "[[:alnum:]]", "[[:xdigit:]]", "[[:graph:]]", "[[:print:]]", "[[:punct:]]",
               "[[:cntrl:]]", "[[:space:]]", "[[:word:]]", "\\h", "\\v"],
    [io:format("class ~s ~s: ~w~n", [C, M, [X || X <- lists:seq(0, 255), re:run([X], C, O) =/= nomatch]])
     || C <- Classes, {M, O} <- [{"latin1", []}, {"unicode", [unicode, no_start_optimize]}, {"ucp", [unicode, ucp]}]],
    Other = fun(X, O) -> [Y || Y <- lists:seq(0, 255), Y =/= X,
                              re:run([Y], "\\x{" ++ integer_to_list(X, 16) ++ "}", [caseless | O]) =/= nomatch] end,
    [io:format("case ~s: ~w~n", [M, [{X, Other(X, O)} || X <- lists:seq(0, 255), Other(X, O) =/= []]])
     || {M, O} <- [{"latin1", []}, {"unicode", [unicode]}]],
    show("latin1 word", fun() -> re:run("caf\x{e9} \x{c9}t\x{e9}", "\\w+", [global, {capture, all, list}]) end),
    show("latin1 caseless", fun() -> re:run("\x{c9}", "\x{e9}", [caseless]) end),
    show("latin1 boundary", fun() -> re:run("a\x{e9}b", "\\b", [global]) end).
