%% OTP pure-library code against erl: io_lib:format with every control
%% sequence and modifiers over many terms (errors included), string on
%% unicode, calendar, rand with its algorithms and seed forms, base64,
%% uri_string.
-module(run_otp_libs).
-export([main/0]).
main() ->
    Fmts = ["~p", "~w", "~s", "~ts", "~10s", "~-10s|", "~.3s", "~10.3s", "~e", "~f", "~g", "~.2f", "~10.4e", "~-12.3g|",
            "~b", "~.16b", "~.16B", "~x", "~.16x", "~#", "~.8#", "~+", "~.36+", "~c", "~5c", "~tc", "~i", "~P", "~W", "~tp", "~lp", "~10p"],
    Args = [[1.5], [-0.0], [123456789.123], [[1,2,3]], ["abc"], [<<"αβγ"/utf8>>], [255], [-255], [{a, "b", <<"c">>, 1.0e300}],
            [atom], ['quoted atom'], [[1090, 233]], [lists:seq(1, 30)], [1 bsl 80]],
    [io:format("~s ~p: ~p~n", [F, A, try lists:flatten(io_lib:format(F, fix(F, A))) catch C:R -> {C, R} end]) || F <- Fmts, A <- Args],
    S = "Ĥéllo Wörld ÅÄÖ ﬁ straße",
    io:format("~p~n", [[string:uppercase(S), string:lowercase(S), string:casefold(S), string:titlecase(S),
                        string:length(S), string:reverse(S), string:split(S, " ", all), string:lexemes(S, " "),
                        string:pad(S, 30, both, $*), string:trim("  x  "), string:find(S, "Wö"), string:slice(S, 3, 5),
                        string:to_graphemes("e\x{301}a"), string:equal("A", "a", true), string:next_codepoint(S),
                        string:replace(S, "l", "L", all), string:take(S, "Ĥé")]]),
    io:format("~p~n", [[calendar:gregorian_days_to_date(738000), calendar:date_to_gregorian_days(2024, 2, 29),
                        calendar:day_of_the_week(2026, 12, 6), calendar:is_leap_year(1900),
                        calendar:seconds_to_daystime(100000), calendar:iso_week_number({2026, 1, 1}),
                        calendar:system_time_to_rfc3339(1700000000123, [{unit, millisecond}, {offset, "Z"}]),
                        calendar:rfc3339_to_system_time("2024-02-29T12:00:00+02:00"),
                        calendar:last_day_of_the_month(2024, 2), calendar:valid_date(2023, 2, 29),
                        calendar:time_difference({{2020,1,1},{0,0,0}}, {{2026,12,6},{19,0,0}})]]),
    [begin rand:seed(Alg, Seed), io:format("~p ~p: ~p~n", [Alg, Seed, [rand:uniform(), rand:uniform(1000), rand:normal(), rand:uniform(1 bsl 70), rand:bytes(5)]]) end
     || Alg <- [exsss, exro928ss, exrop, exs1024s, exsp, exsplus, exs64, exs1024], Seed <- [1, {1,2,3}, 42]],
    io:format("~p~n", [[base64:encode("hello world"), base64:decode("aGVsbG8gd29ybGQ="), base64:encode_to_string(<<0,255,128>>),
                        base64:mime_decode("aGVs\nbG8="), try base64:decode("a") catch C:R -> {C, R} end]]),
    io:format("~p~n", [[uri_string:parse("https://user@example.com:8080/p/a/t/h?query=1&b=2#frag"),
                        uri_string:recompose(#{scheme => "http", host => "h", path => "/x y"}),
                        uri_string:normalize("HTTP://Example.COM:80/a/./b/../c"), uri_string:compose_query([{"a", "1 2"}, {"b", "ü"}]),
                        uri_string:dissect_query("a=1&b=%20x"), uri_string:resolve("../d", "http://a/b/c/"),
                        uri_string:transcode(<<"foo%00bar">>, [{in_encoding, utf8}, {out_encoding, utf16}])]]),
    ok.
fix("~#", A) -> A; fix(F, [X]) when F =:= "~P"; F =:= "~W" -> [X, 3]; fix(F, [X]) when F =:= "~.8#"; F =:= "~.36+" -> [X]; fix(_, A) -> A.
