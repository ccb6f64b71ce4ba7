-module(run_audit_paths_uris).
-export([main/0]).
-include_lib("stdlib/include/ms_transform.hrl").

t(F) -> try F() catch C:R -> {C, R} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    Paths = ["/usr/lib/erlang", "a/b/c.erl", "c.tar.gz", "/", "", ".", "..", "a//b/", "/a/./b/../c",
             <<"/bin/x.beam">>, <<"rel/x">>, 'atom/name.txt', ["a", [$b, "/c"]], "~/x", "a\\b", "C:/x", ".hidden", "x."],
    p(basename, [t(fun() -> filename:basename(P) end) || P <- Paths]),
    p(basename2, [t(fun() -> filename:basename(P, E) end) || P <- Paths, E <- [".erl", <<".gz">>]]),
    p(dirname, [t(fun() -> filename:dirname(P) end) || P <- Paths]),
    p(extension, [t(fun() -> filename:extension(P) end) || P <- Paths]),
    p(rootname, [t(fun() -> {filename:rootname(P), filename:rootname(P, ".gz")} end) || P <- Paths]),
    p(split, [t(fun() -> filename:split(P) end) || P <- Paths]),
    p(pathtype, [t(fun() -> filename:pathtype(P) end) || P <- Paths]),
    p(absname, [t(fun() -> filename:absname(P, "/base") end) || P <- Paths]),
    p(absname_join, [t(fun() -> filename:absname_join("/base", P) end) || P <- ["x", "/y", <<"z">>]]),
    p(join, [t(fun() -> filename:join(L) end) || L <- [["a", "b"], ["/a", "/b"], [<<"a">>, "b"], ["a", <<"b">>], [<<"/">>, <<"x">>], ["a", "", "b"], [], ["a/", "b/"], [".", ".."]]]),
    p(join2, [t(fun() -> filename:join(A, B) end) || {A, B} <- [{"a", "b"}, {<<"a">>, <<"b">>}, {"/", "/"}, {"a", <<"/b">>}, {foo, bar}]]),
    p(flatten, [filename:flatten(["a", [<<"b">>], c])]),
    p(nativename, [filename:nativename(P) || P <- ["a//b/", "/x/"]]),
    p(safe_rel, [t(fun() -> filelib:safe_relative_path(P, "/cwd") end) || P <- ["a/b", "a/../b", "../a", "/a", "a/./b", "a/b/..", <<"x/../../y">>, "", "."]]),
    p(safe_rel_fn, [t(fun() -> filename:safe_relative_path(P) end) || P <- ["a/b", "a/../b", "../a", "/a", "a/./b", "a/b/..", <<"x/../../y">>, "", "."]]),
    p(basedir, [t(fun() -> filename:basedir(T, "myapp", #{os => O}) end) || T <- [user_cache, user_config, user_data, user_log, site_config, site_data], O <- [linux, darwin, windows]]),
    p(basedir2, [t(fun() -> is_list(filename:basedir(T, "app")) orelse filename:basedir(T, "app") end) || T <- [user_cache, user_config, user_data, user_log, site_config, site_data, bad]]),
    p(basedir_opts, [t(fun() -> filename:basedir(user_cache, <<"app">>, O) end) || O <- [#{os => linux, author => "me", version => "1.0"}, #{os => windows, author => "me", version => "1.0"}, #{os => darwin, version => <<"2">>}, #{bad => x}, foo]]),
    p(find_src, t(fun() -> element(1, filename:find_src(lists)) =/= error end)),
    p(validate, [t(fun() -> filename:validate(P) end) || P <- ["ok", <<"ok">>, [0], ["a", [b]], {x}]]),
    %% uri_string
    Uris = ["http://user:pw@example.com:8080/p/a/t/h?query=1&b=%20x#frag", "https://[::1]:443/", "mailto:x@y.z",
            "foo://example.com:8042/over/there?name=ferret#nose", "urn:example:animal:ferret:nose", "/rel/path?q", "?q#f",
            "http://ex%41mple.com/%7euser/./../a", "http://a/b c", "http://a:bad/", <<"http://bin.example/π">>, "", "//host"],
    p(parse, [t(fun() -> uri_string:parse(U) end) || U <- Uris]),
    p(recompose, [t(fun() -> uri_string:recompose(uri_string:parse(U)) end) || U <- Uris]),
    p(normalize, [t(fun() -> uri_string:normalize(U) end) || U <- Uris]),
    p(normalize_map, [t(fun() -> uri_string:normalize(U, [return_map]) end) || U <- ["HTTP://EX.com:80/a/../b/%7e", "https://x:443"]]),
    p(resolve, [t(fun() -> uri_string:resolve(R, "http://a/b/c/d;p?q") end) || R <- ["g:h", "g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", ";x", "", ".", "./", "..", "../g", "../..", "../../../g", "/./g", "g.", "..g", "./../g", "g;x=1/./y", "g?y/./x", "g#s/../x"]]),
    p(resolve_err, [t(fun() -> uri_string:resolve("g", B) end) || B <- ["rel/base", "http://a/b", <<"http://a/b">>]]),
    p(dissect, [t(fun() -> uri_string:dissect_query(Q) end) || Q <- ["a=1&b=2", "a&b=&=c", "a=%20+b", <<"x=%C3%A9">>, "a=%zz", "a=1;b=2", ""]]),
    p(compose, [t(fun() -> uri_string:compose_query(Q) end) || Q <- [[{"a", "1"}, {"b", "x y"}], [{"k", true}], [{<<"b">>, <<"é"/utf8>>}], []]]),
    p(compose_enc, [t(fun() -> uri_string:compose_query([{"a", "x y+é"}], [{encoding, E}]) end) || E <- [utf8, latin1, unicode, bad]]),
    p(transcode, [t(fun() -> uri_string:transcode(U, [{in_encoding, utf8}, {out_encoding, latin1}]) end) || U <- ["http://x/%C3%A9", <<"http://x/%C3%A9">>]]),
    p(allowed, [t(fun() -> uri_string:allowed_characters() =/= [] end)]),
    p(percent_decode, [t(fun() -> uri_string:percent_decode(S) end) || S <- ["%41%42", <<"%zz">>, "%C3%A9"]]),
    %% string:to_integer / to_float
    p(to_int, [string:to_integer(S) || S <- ["123abc", "-12", "+7x", "abc", "", " 12", "0x10", <<"99 bottles">>, "12.5", "-", [$1, [$2, <<"3">>]]]]),
    p(to_float, [string:to_float(S) || S <- ["1.5e3x", "1.5", "-0.5e-3", "1e5", "1.", ".5", "abc", <<"2.5xyz">>, "1.0e400", "1,5", "+3.0"]]),
    %% printable_list
    p(printable, [{io_lib:printable_list(L), io_lib:printable_latin1_list(L), io_lib:printable_unicode_list(L)} || L <- ["abc", [228, 246], [960], "a\nb\t", [0], [27], [8, 11, 12, 7], [$a | b], [], [16#10FFFF], [16#D800]]]),
    p(io_lib_misc, [io_lib:write_string("a\"b"), io_lib:write_atom('A b'), io_lib:write_char($\n), io_lib:char_list([1, 2]), io_lib:deep_char_list(["a", ["b"]]), io_lib:latin1_char_list([300])]),
    %% erl_anno
    A0 = erl_anno:new(5),
    A1 = erl_anno:new({3, 7}),
    A2 = erl_anno:set_file("f.erl", erl_anno:set_generated(true, A1)),
    p(anno, [A0, A1, A2, erl_anno:line(A2), erl_anno:column(A2), erl_anno:location(A2), erl_anno:file(A2), erl_anno:generated(A2),
             erl_anno:text(A2), erl_anno:to_term(A2), erl_anno:from_term({1, 2}), erl_anno:is_anno(A2), erl_anno:is_anno(foo),
             erl_anno:set_text("x", A0), erl_anno:set_record(true, A0), erl_anno:record(A0), erl_anno:end_location(erl_anno:set_text("ab\nc", A1)),
             t(fun() -> erl_anno:new(-1) end), t(fun() -> erl_anno:set_line(a, A0) end), erl_anno:set_location({9, 9}, A2)]),
    %% erl_lint on forms
    Src = "-module(m).\n-export([f/1]).\nf(X) -> Y = 1, g(X).\ng(_) -> ok.\nh() -> unused.\nk(A, A) -> #{a => 1, a => 2}.\n",
    Forms = forms(Src),
    p(lint, erl_lint:module(Forms)),
    p(lint_opts, erl_lint:module(Forms, "m.erl", [warn_unused_vars, nowarn_unused_function, export_all])),
    p(lint_err, erl_lint:module(forms("-module(e).\nf() -> X.\n-spec g() -> ok.\nh(<<A:A>>) -> A.\n"))),
    p(lint_bif_clash, erl_lint:module(forms("-module(e2).\n-export([length/1]).\nlength(X) -> X.\nf(L) -> length(L).\n"))),
    %% ms_transform
    p(fun2ms, [ets:fun2ms(fun({K, V}) when V > 3 -> K end), ets:fun2ms(fun({K, #{a := A}}) -> {A, K} end),
               ets:fun2ms(fun(X) when is_integer(X), X rem 2 =:= 0 -> {X, self()} end),
               ets:fun2ms(fun({A, B}) when A =/= B; B == 0 -> [B | A] end),
               dbg:fun2ms(fun([_, X]) when X > 1 -> return_trace(), message(X) end)]),
    T = ets:new(t, []),
    ets:insert(T, [{I, I * I} || I <- lists:seq(1, 10)]),
    p(fun2ms_run, lists:sort(ets:select(T, ets:fun2ms(fun({K, V}) when V > 20, K < 8 -> {K, V} end)))),
    p(ms_transform_str, t(fun() -> ms_transform:transform_from_shell(ets, [{clause, 1, [{var, 1, 'X'}], [], [{var, 1, 'X'}]}], []) end)),
    ok.

forms(S) ->
    {ok, Toks, _} = erl_scan:string(S),
    split(Toks, []).
split([], []) -> [];
split([{dot, _} = D | R], Acc) -> {ok, F} = erl_parse:parse_form(lists:reverse([D | Acc])), [F | split(R, [])];
split([T | R], Acc) -> split(R, [T | Acc]).
