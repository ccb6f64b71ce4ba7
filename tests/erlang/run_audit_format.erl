%% io_lib:format with every control sequence and modifier (field width,
%% precision, padding, ~t, ~l, ~P/~W depths, chars_limit), io_lib's
%% writers and printable tests, io_lib:fread. Session 18's audit: as erl.
-module(run_audit_format).
-export([main/0]).
-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).
p(X) -> io:format("~p~n", [X]).
f(F, A) -> ?T(lists:flatten(io_lib:format(F, A))).
main() ->
    Cases = [{"~ts", [<<"αβγ"/utf8>>]}, {"~ts", [[945, 946]]}, {"~s", [[945]]}, {"~tp", [[945, 946]]}, {"~p", [[945, 946]]},
             {"~tw", [<<"αβ"/utf8>>]}, {"~w", [<<"αβ"/utf8>>]}, {"~*c", [5, $x]}, {"~-10s|", ["abc"]}, {"~10s|", ["abc"]},
             {"~.3f", [3.14159]}, {"~.0f", [2.5]}, {"~.0f", [3.5]}, {"~B", [255]}, {"~.2B", [-5]}, {"~X", [255, "0x"]},
             {"~.16X", [-255, "#"]}, {"~#", [255]}, {"~.2#", [5]}, {"~10.16#|", [255]}, {"~-10.2#|", [5]}, {"~i~p", [skipped, shown]},
             {"~P", [[1,[2,[3,[4,[5]]]]], 3]}, {"~P", [{a,{b,{c,{d}}}}, 2]}, {"~P", [lists:seq(1,20), 5]}, {"~W", [#{a => #{b => #{c => 1}}}, 2]},
             {"~P", [<<1,2,3,4,5,6,7,8,9,10>>, 3]}, {"~P", ["a long string of text", 3]}, {"~tP", [[945,946,947], 2]},
             {"~10.3.*s|", ["abcdef"], $-}, {"~-10.3.*s|", [$-, "abcdef"]}, {"~10.3.0s|", ["abcdef"]}, {"~*.*s|", [8, 2, "abcdef"]},
             {"~e", [0.0]}, {"~e", [1.0e-300]}, {"~.10e", [1/3]}, {"~g", [1.0e-5]}, {"~g", [123456.0]}, {"~g", [1.0e20]}, {"~.2g", [0.000123]},
             {"~f", [1.0e20]}, {"~.20f", [0.1]}, {"~f", [-0.0]}, {"~12.4f|", [3.14159]}, {"~-12.4f|", [3.14159]}, {"~*.*f|", [10, 2, 2.71828]},
             {"~f", [1]}, {"~e", [a]}, {"~c", [-1]}, {"~c", [16#10FFFF]}, {"~tc", [16#10FFFF]}, {"~ts", [[16#D800]]}, {"~s", [<<200>>]}, {"~ts", [<<200>>]},
             {"~s", [abc]}, {"~s", [[$a, [$b, <<"c">>], "d"]]}, {"~s", [1]}, {"~p", [1,2]}, {"~q", [1]}, {"~", []}, {"~p", []},
             {"~40p", [lists:seq(1,30)]}, {"~-40p", [a]}, {"~p", [{'a b', "c\nd", <<"e\n">>, 'Caps', '_x', [], {}, #{}}]},
             {"~p", [[{k, v} || _ <- lists:seq(1, 12)]]}, {"~lp", [[65,66,67]]}, {"~tlp", [[945]]}, {"~p", [[65,66,0]]},
             {"~p", [<<"abc", 0>>]}, {"~p", [<<1:3>>]}, {"~p", [<<"αβ"/utf8>>]}, {"~tp", [<<"αβ"/utf8>>]}, {"~tp", [<<255, 0>>]},
             {"~p", [self() =:= self()]}, {"~p", [1.0e100]}, {"~p", [0.1 + 0.2]}, {"~p", [-1.0e-10]}, {"~w", [1.0]}, {"~p", [123456789012345678901234567890]},
             {"~8.3.0b", [5]}, {"~+", [10]}, {"~.8+", [-10]}, {"~x", [10, "p"]}, {"~.16x", [10, ab]}, {"~b", [1.0]}, {"~10.5p|", [abc]},
             {"~ts", [[<<"α"/utf8>>, "β"]]}, {"~-6ts|", [[945, 946]]}, {"~6.1ts|", [[945, 946]]}, {"~3ts|", ["abcdef"]}, {"~.3ts|", [<<"αβγδ"/utf8>>]},
             {"~n~~~n", []}, {"~p", [[[]]]}, {"~p", ["\e\t\x7f"]}, {"~w", ["\e\t"]}, {"~p", [[$a | b]]}, {"~p", [{[], [a | "b"]}]},
             {"~p", [#{1 => a, a => 1, "s" => <<>>, {t} => [1]}]}, {"~w", [#{b => 1, a => 2}]}, {"~P", [#{a => 1, b => 2, c => 3}, 2]},
             {"~p", [fun lists:map/2]}, {"~p", [{1.5, -3, 'é', 'ñandú'}]}, {"~tp", [{'é'}]}, {"~w", ['é']}]
        ++ [{"~p", [X]} || X <- [[1,2|3], "a\x{100}b", [16#1F600], "abc\r\n", [10,10], "ab\"c", 'a\'b']],
    [p({F, f(F, A)}) || {F, A} <- [{Fm, Ar} || {Fm, Ar} <- Cases]],
    [p({F, X, f(F, A)}) || {F, A, X} <- [C || C = {_, _, _} <- Cases]],
    p(?T(io_lib:fwrite("~s", ["x"]))),
    p(?T(io_lib:format("~p", [a], [{chars_limit, 5}]))),
    p(?T(lists:flatten(io_lib:format("~p", [lists:seq(1, 100)], [{chars_limit, 20}])))),
    p(?T(lists:flatten(io_lib:format("~tp", [{abcdef, [1,2,3], "xyz"}], [{chars_limit, 10}])))),
    p(?T(lists:flatten(io_lib:format("~W", [[a,b,c,d,e,f], 3], [{chars_limit, 10}])))),
    p(?T(io_lib:write(abc, 2))),
    p(?T(lists:flatten(io_lib:write([1,2,3,4,5], 3)))),
    p(?T(lists:flatten(io_lib:print({a, b, "c"}, 1, 10, 3)))),
    p(?T(io_lib:write_string("a\"b"))), p(?T(io_lib:write_atom('a b'))), p(?T(io_lib:write_char($\n))), p(?T(io_lib:write_latin1_string("ab"))),
    p(?T(io_lib:char_list("abc"))), p(?T(io_lib:printable_list([1,2]))), p(?T(io_lib:printable_unicode_list([945]))),
    p(?T(io_lib:printable_latin1_list([200]))), p(?T(io_lib:deep_char_list(["a", ["b"]]))), p(?T(io_lib:indentation("ab\tc", 0))),
    p(?T(io_lib:nl())), p(?T(io_lib:quote_atom(abc, "x"))),
    p(?T(io_lib:fread("~d ~s ~f", "12 abc 3.5 rest"))), p(?T(io_lib:fread("~d", "abc"))), p(?T(io_lib:fread("~a~c", "xyz q"))),
    p(?T(io_lib:fread("~3d~2s", "12345678"))), p(?T(io_lib:fread("~u ~-d ~#", "77 -3 16#ff"))), p(?T(io_lib:fread("~e", "1.5e3"))),
    p(?T(io_lib:fread("~d", ""))), p(?T(io_lib:fread("~l~s", "ab cd"))), p(?T(io_lib:fread("abc~d", "abc 5"))),
    p(?T(io_lib:fread("~ts", [945, 32]))), p(?T(io_lib:fread([], "~d", "1"))), p(?T(io_lib:fread([], "~d ~d", "1 "))),
    ok.
