-module(run_bits_match).
-export([main/0]).

%% Binary matching: integers, floats, binaries, tails, UTF, strings,
%% odd-sized bitstrings, and failing matches.

main() ->
    B = id(<<1, 2, 255, 128, 0, 7, 200, 17, 99, 42>>),
    <<A:8, Bb:16, C:3, D:5/signed, E:12/little, F:4, Rest/binary>> = B,
    io:format("~p~n", [{A, Bb, C, D, E, F, Rest}]),
    <<G:32/signed-little, H:20/signed, I:7/native, J/bits>> = B,
    io:format("~p~n", [{G, H, I, J}]),
    <<K:72/signed, L:8>> = id(<<255, 0, 0, 0, 0, 0, 0, 0, 1, 9>>),
    io:format("~p~n", [{K, L}]),
    <<M:80/little, _/binary>> = id(<<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11>>),
    io:format("~p~n", [M]),
    [io:format("~p~n", [decode_float(X)])
     || X <- id([<<1.5:16/float>>, <<-2.5:32/float>>, <<3.25:64/float>>, <<1.0:32/float-little>>,
                 <<0:1, 31:5, 0:10>>, <<255, 128, 0, 0>>, <<127, 192, 0, 0>>, <<1, 2, 3>>])],
    Utf = id(<<"héllo €😀"/utf8>>),
    io:format("~p~n", [utf8_chars(Utf)]),
    io:format("~p~n", [[C1 || <<C1/utf16>> <= <<"aé😀"/utf16>>]]),
    io:format("~p~n", [[C1 || <<C1/utf16-little>> <= <<"aé😀"/utf16-little>>]]),
    io:format("~p~n", [[C1 || <<C1/utf32>> <= <<"aé😀"/utf32>>]]),
    [io:format("~p~n", [utf8_chars(X)])
     || X <- id([<<16#C0, 16#80>>, <<16#ED, 16#A0, 16#80>>, <<16#E2, 16#82>>, <<16#F4, 16#90, 16#80, 16#80>>,
                 <<16#FF>>, <<"ok", 16#80>>])],
    [io:format("~p~n", [utf16(X)]) || X <- id([<<16#DC, 0>>, <<16#D8, 0, 0, 65>>, <<0>>])],
    [io:format("~p~n", [utf32(X)]) || X <- id([<<0, 17, 0, 0>>, <<0, 0, 16#D8, 0>>, <<0, 0, 0, 65>>])],
    [io:format("~p~n", [parse(X)])
     || X <- id([<<"GET /index.html">>, <<"POST /x">>, <<"GE">>, <<"GET ", 0:3>>])],
    Odd = id(<<5:3, 1:1, 99:9>>),
    <<P:2, Q/bits>> = Odd,
    io:format("~p ~p ~p~n", [P, Q, bit_size(Q)]),
    io:format("~p~n", [[X || <<X:3>> <= <<255, 0, 170>>]]),
    io:format("~p~n", [[{X, Y} || <<X:4, Y:4>> <= <<"ab">>]]),
    io:format("~p~n", [lengths(id(<<3, "abc", 2, "de", 0, 1, "f">>), [])]),
    io:format("~p~n", [tails(id(<<1, 2, 3, 4, 5, 6, 7>>))]),
    io:format("~p~n", [sizes(id(<<2:8, 1000:16, 77:24>>))]),
    io:format("~p~n", [[match_size(S) || S <- [0, 8, 16, 24, -1, a, 1 bsl 70]]]),
    io:format("~p~n", [try (fun(X) -> <<Y:8>> = X, Y end)(id(<<1, 2>>)) catch C3:R3 -> {C3, R3} end]),
    io:format("~p~n", [try (fun(X) -> <<Y:8>> = X, Y end)(id(foo)) catch C2:R2 -> {C2, R2} end]),
    io:format("~p~n", [binary_to_list(id(<<"split me here">>))]),
    io:format("~p~n", [split(id(<<"a,bc,,def">>), <<>>, [])]),
    ok.

decode_float(<<X:16/float>>) -> {f16, X};
decode_float(<<X:32/float>>) -> {f32, X};
decode_float(<<X:64/float>>) -> {f64, X};
decode_float(Other) -> {nomatch, Other}.

utf8_chars(<<C/utf8, R/binary>>) -> [C | utf8_chars(R)];
utf8_chars(<<>>) -> [];
utf8_chars(Bad) -> {bad, Bad}.

utf16(<<C/utf16, R/binary>>) -> {C, R};
utf16(B) -> {bad, B}.

utf32(<<C/utf32, R/binary>>) -> {C, R};
utf32(B) -> {bad, B}.

parse(<<"GET ", Path/binary>>) -> {get, Path};
parse(<<"POST ", Path/binary>>) -> {post, Path};
parse(Other) -> {other, Other}.

lengths(<<N, S:N/binary, R/binary>>, Acc) -> lengths(R, [S | Acc]);
lengths(<<>>, Acc) -> lists:reverse(Acc);
lengths(R, Acc) -> {lists:reverse(Acc), R}.

tails(<<_, R/binary>> = B) when byte_size(B) > 3 -> [B | tails(R)];
tails(B) -> [B].

sizes(<<1:8, X:8, _/binary>>) -> {one, X};
sizes(<<2:8, X:16, Y:24>>) -> {two, X, Y};
sizes(_) -> other.

match_size(S) ->
    case id(<<1, 2, 3>>) of
        <<X:S, _/bits>> -> {S, X};
        _ -> {S, nomatch}
    end.

split(<<$,, R/binary>>, Cur, Acc) -> split(R, <<>>, [Cur | Acc]);
split(<<C, R/binary>>, Cur, Acc) -> split(R, <<Cur/binary, C>>, Acc);
split(<<>>, Cur, Acc) -> lists:reverse([Cur | Acc]).

id(X) -> X.
