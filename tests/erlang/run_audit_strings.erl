%% string on unicode (grapheme clusters, CRLF, combining marks, flags):
%% lexemes, split, trim, pad, equal, casing, find, slice, take, numbers;
%% unicode normalization and encodings; the old string API.
%% Session 18's audit: as erl.
-module(run_audit_strings).
-export([main/0]).
-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).
p(X) -> io:format("~tp~n", [X]).
main() ->
    S1 = "a\r\nb\r\n\r\nc", S2 = <<"e\x{301}x\r\ny"/utf8>>, S3 = [$a, 16#301, 16#302, $b, 16#1F1EB, 16#1F1F7, $c],
    S4 = "ﬁ ǅ ß İ ﬀ", S5 = <<"  \t héllo wörld \n"/utf8>>, S6 = [<<"ab">>, $c, [<<"d">>, "e"]],
    p([string:lexemes(S1, "\r\n"), string:lexemes(S1, [[$\r, $\n]]), string:split(S1, "\r\n", all), string:split(S1, "\n", all)]),
    p([string:to_graphemes(S2), string:to_graphemes(S3), string:length(S2), string:length(S3), string:length(S1)]),
    p([string:trim(S5), string:trim(S5, leading), string:trim(S5, trailing), string:trim("xxaxx", both, "x"), string:trim("\r\n\r\nx\r\n"),
       string:trim(S3, both, [$a]), string:trim([$a, 16#301, $b], leading, "a")]),
    p([string:pad("αβ", 6), string:pad(<<"αβ"/utf8>>, 6, leading, $.), string:pad("abc", 8, both), string:pad("abc", 2),
       string:pad(S3, 8, trailing, "-")]),
    p([string:equal("abc", <<"abc">>), string:equal("ABC", "abc", true), string:equal("é", [$e, 16#301], false, nfc),
       string:equal("ﬁ", "fi", true, nfkc), string:equal(S4, string:lowercase(S4), true)]),
    p([string:casefold(S4), string:uppercase(S4), string:lowercase(S4), string:titlecase("ǆemal"), string:titlecase(<<"ßa"/utf8>>)]),
    p([string:find(S1, "\n"), string:find(S1, "\r\n", trailing), string:find(S3, [16#301]), string:find(S6, "cd")]),
    p([string:slice(S2, 1, 2), string:slice(S3, 1), string:slice(S6, 2, 2), string:reverse(S3), string:reverse(S2)]),
    p([string:split(S6, "c"), string:split("a,b,,c", ",", all), string:split("a,b,,c", ",", trailing), string:split(<<"x--y--z">>, "--", leading)]),
    p([string:lexemes("a,b,,c", ","), string:lexemes(<<",a, ,b">>, ", "), string:lexemes([], ",")]),
    p([string:next_grapheme(S2), string:next_grapheme(S3), string:next_grapheme("\r\nx"), string:next_codepoint(S2), string:next_grapheme([])]),
    p([string:take("abc123", lists:seq($a, $z)), string:take("abc123", "abc", true), string:take("abc123", "3", true, trailing),
       string:take(S3, [$a])]),
    p([string:to_integer("123abc"), string:to_integer("-0x"), string:to_integer(<<"+77">>), string:to_integer("abc"), string:to_float("1.5e3x"),
       string:to_float("1e3"), string:to_float("-.5"), string:to_float("2.0"), string:to_float([1.0])]),
    p([string:replace("aXbXc", "X", "-", all), string:replace(<<"aXbXc">>, "X", "--", trailing), string:is_empty([<<>>, []]),
       string:is_empty(" "), string:prefix("prefix", "pre"), string:prefix(<<"pre">>, "x")]),
    p([string:chomp("abc\r\n"), string:chomp("abc\n\n"), string:chomp(<<"x\r">>)]),
    p([unicode:characters_to_nfc_list([$e, 16#301, $a, 16#30A]), unicode:characters_to_nfd_list("éÅ"), unicode:characters_to_nfkc_list("ﬁ①"),
       unicode:characters_to_nfkd_list("ﬁé"), unicode:characters_to_nfc_binary([$e, 16#301]), unicode:characters_to_nfd_binary(<<"é"/utf8>>),
       unicode:characters_to_nfkc_binary("①②"), unicode:characters_to_nfkd_binary("Å"), ?T(unicode:characters_to_nfc_list([16#D800])),
       ?T(unicode:characters_to_nfc_list(<<200>>)), unicode:characters_to_nfc_list([<<"e"/utf8>>, 16#301, <<"x">>])]),
    p([unicode:characters_to_list(<<"αβ"/utf8>>, utf8), unicode:characters_to_binary("αβ", unicode, utf16), unicode:characters_to_binary("αβ", unicode, {utf32, little}),
       unicode:characters_to_list(<<0, 945:16>>, utf16), unicode:bom_to_encoding(<<16#FE, 16#FF, 0>>), unicode:encoding_to_bom(utf8),
       ?T(unicode:characters_to_binary([256], latin1, latin1)), unicode:characters_to_binary(<<200>>, latin1, utf8)]),
    p([string:words("a  b c"), string:tokens("a,b;c", ",;"), string:sub_string("abcdef", 2, 4), string:substr("abcdef", 3),
       string:centre("ab", 6), string:left("ab", 5, $.), string:right("ab", 5), string:str("abcabc", "ca"), string:rstr("abcabc", "b"),
       string:strip("  x  "), string:strip("xxaxx", right, $x), string:copies("ab", 3), string:join(["a", "b"], ", "),
       string:span("abcd", "ab"), string:cspan("abcd", "cd"), string:chr("abc", $b), string:rchr("abcb", $b), string:to_upper("aé"),
       ?T(string:to_lower(<<"AB">>)), string:sub_word("a b c", 2), string:words("a.b", $.)]),
    ok.
