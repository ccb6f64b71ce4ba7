%% unicode:characters_to_binary/1,2,3, characters_to_list/1,2 and
%% bin_is_7bit/1 over the inputs otp/tests/bif_proc/gen_fixture.erl makes
%% (every encoding pair; split, truncated and invalid data; bad arguments):
%% the /1 and /3 forms are Erlang code in unicode.erl on BEAM and on
%% Enigma, so they are checked here, running, rather than as BIFs. Each
%% call prints its class and a hash of its result (the results hold
%% 10,000-byte binaries).
-module(run_unicode_conv).
-export([main/0]).

call(M, F, Args) ->
    {Class, R} = try {ok, apply(M, F, Args)} catch C:E -> {C, E} end,
    io:format("~s/~p ~p ~p~n", [F, length(Args), Class, erlang:phash2(R)]).

encodings() ->
    [latin1, unicode, utf8, utf16, {utf16, big}, {utf16, little},
     utf32, {utf32, big}, {utf32, little}].

enc(latin1, Cs) -> list_to_binary([C || C <- Cs, C =< 255]);
enc(E, Cs) when E =:= unicode; E =:= utf8 -> unicode:characters_to_binary(Cs);
enc(E, Cs) -> unicode:characters_to_binary(Cs, unicode, E).

%% Splits a binary into a deep list of pieces at every Nth byte.
chunks(B, N) when byte_size(B) =< N -> [B];
chunks(B, N) -> <<H:N/binary, T/binary>> = B, [H, [chunks(T, N)]].

samples() ->
    ["", "abc", [255, 0, 127, 128], [16#100, 16#7FF, 16#800, 16#FFFF],
     [16#10000, 16#10FFFF, $a], "h\x{e9}llo w\x{f6}rld \x{20ac}\x{1F600}"].

unicode_data(E) ->
    Bins = [enc(E, S) || S <- samples()],
    Big = enc(E, lists:seq(32, 126) ++ lists:seq(160, 400)),
    Split = lists:append([[chunks(B, N) || N <- [1, 2, 3]] || B <- Bins]),
    Truncated = [binary:part(B, 0, L) || B <- Bins, L <- lists:seq(1, min(byte_size(B), 9)) ],
    Bad = [<<16#C0, 16#80>>, <<16#E0, 16#80, 16#80>>, <<16#ED, 16#A0, 16#80>>,
           <<16#ED, 16#A0>>, <<16#F4, 16#90, 16#80, 16#80>>, <<16#F4, 16#90>>,
           <<16#F8>>, <<16#FF>>, <<16#80>>, <<"ab", 16#C3>>, <<"ab", 16#C3, "x">>,
           <<"ab", 16#E2, 16#82>>, [<<"ab", 16#E2, 16#82>>, <<16#AC>>],
           [<<"ab", 16#E2>>, "x"], [<<"a">>, [<<16#E2, 16#82>>, <<"c">>], $d],
           [<<16#E2>>, <<"x">>], [<<16#E2>>, [], <<16#82>>, [[<<16#AC>>]]],
           [<<16#E2>>, 16#AC], [<<16#E2>> | <<16#82, 16#AC>>], [$a | <<16#E2>>],
           <<0, 65, 0>>, <<0, 65, 216, 0>>, <<0, 65, 216, 0, 0, 66>>,
           <<0, 65, 216, 0, 220, 0>>, [<<0, 65, 216>>, <<0, 220, 0>>], <<220, 0>>,
           <<65, 0, 0, 0, 66>>, <<0, 0, 0, 65, 0, 0, 216, 0>>, <<0, 17, 0, 0>>,
           <<255, 254, 0, 0>>, <<0, 0>>, <<0>>, [<<0>>, 65],
           <<(binary:copy(<<"ab">>, 5000))/binary, 255, "x">>,
           [$a, <<(binary:copy(<<"ab">>, 5000))/binary, 16#E2>>, [<<16#82>>]],
           <<(binary:copy(<<"ab">>, 4095))/binary, 16#E2, 16#82, 16#AC, 0, 216>>,
           [<<(binary:copy(<<"ab">>, 4095))/binary, 0>> | <<216, 0, 220, 0>>]],
    Ints = ["abc", [$a, 16#D800, $b], [$a, -1], [$a, 16#110000], [$a, 16#10FFFF],
            [$a, 256], [$a, 255], [1, 2, [3, [4, [<<5>>, 6]]], 7], [$a | <<"b">>],
            [[], <<>>, [[]]], [$a, 1 bsl 70], [$a, -(1 bsl 70)], [[[[[$x]]]], $y],
            [$a, foo], foo, 12, 1.0, [$a | foo], <<1:3>>, [<<1:3>>], [$a, 1.5],
            [$a, [16#DFFF | <<"z">>]]],
    Bins ++ [Big, [Big, Big]] ++ Split ++ Truncated ++ Bad ++ Ints.

data_encoding(E) ->
    case lists:member(E, encodings()) of
        true -> E;
        false -> utf8
    end.

main() ->
    Es = encodings() ++ [bad, {utf16, middle}],
    [begin
         call(unicode, characters_to_binary, [D, E]),
         call(unicode, characters_to_list, [D, E]),
         [call(unicode, characters_to_binary, [D, E, O]) || O <- Es]
     end || E <- Es, D <- unicode_data(data_encoding(E))],
    [begin
         call(unicode, characters_to_binary, [D]),
         call(unicode, characters_to_list, [D]),
         call(unicode, bin_is_7bit, [D])
     end || D <- unicode_data(utf8)],
    ok.
