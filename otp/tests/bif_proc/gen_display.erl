%% Generates display.txt for otp/tests/bif_proc_props.rs: what
%% erlang:display/1 of OTP 25 prints for a set of terms.
%%
%% Run from this directory:
%%   erlc gen_display.erl && erl -noshell -s gen_display main -s init stop > display.txt
%%
%% Every term gives two lines, each ended by "\r\n" as display/1 ends them:
%% first the display of the hex of term_to_binary(Term) as a binary
%% (<<"83...">>), then the display of Term itself. Both go
%% through display/1 so they cannot interleave with other output.
-module(gen_display).
-export([main/0]).

terms() ->
    ["abc", [1, 2, 3], [], 1.5, 0.1, 1.0e20, 3.0e-10, -0.0, 0.0, 1.0e-300,
     5.0e-324, 1.7976931348623157e308, 123.456, -2.5, 1.0e16, 100.0,
     #{a => 1, b => [2]}, #{}, #{"k" => <<"v">>, 1 => 2.0},
     fun lists:map/2, fun 'A':'b c'/1, <<1, 2, 3>>, <<"abc">>, <<1:3>>,
     <<"a\\b\"">>, <<>>, <<200, 1:2>>, list_to_binary(lists:seq(32, 126)),
     {a, 'B', "x"}, 'hello world', [a | b], [1 | 2], ["ab" | <<1>>],
     123456789012345678901234567890, -(1 bsl 64), 0, -1, 1 bsl 59,
     "a\nb", "\t\"q\\", [255], [256], [160], [159], [127], [27], [$a, 256],
     [7, 8], "h\x{e9}llo", {}, 'a\'b', 'Ab c', '\x{100}x', '\001a',
     '\x{85}a\x{7f}', 'a\nb\tc\rd\fe\bf\vg', '\\', '', 'a_1', 'aé_1', 'éa',
     'Éa', '_a', '1a', 'a@b', 'a.b', ok, true, [[[[]]]], {{{}}}, [{}],
     'abc\x{1F600}', '\x{1F600}', "\r", [0], [$a, 0], {a, [#{x => "y"}]},
     maps:from_list([{X, X} || X <- lists:seq(1, 40)]),
     maps:from_list([{integer_to_list(X), [X]} || X <- lists:seq(1, 200)]),
     #{1 => maps:from_list([{X, []} || X <- lists:seq(1, 33)])}].

main() ->
    [begin
         Hex = binary_to_list(binary:encode_hex(term_to_binary(T))),
         erlang:display(list_to_binary(Hex)),
         erlang:display(T)
     end || T <- terms()],
    ok.
