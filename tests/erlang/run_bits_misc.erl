-module(run_bits_misc).
-export([main/0]).

%% Round trips, unaligned string matches, variable sizes and units.

main() ->
    Cps = [C || C <- lists:seq(0, 16#10FFFF, 997), C < 16#D800 orelse C > 16#DFFF],
    U8 = << <<C/utf8>> || C <- Cps >>,
    U16 = << <<C/utf16-little>> || C <- Cps >>,
    U32 = << <<C/utf32>> || C <- Cps >>,
    io:format("~p ~p ~p~n", [byte_size(U8), byte_size(U16), byte_size(U32)]),
    io:format("~p~n", [[C || <<C/utf8>> <= U8] =:= Cps]),
    io:format("~p~n", [[C || <<C/utf16-little>> <= U16] =:= Cps]),
    io:format("~p~n", [[C || <<C/utf32>> <= U32] =:= Cps]),
    io:format("~p~n", [unicode:characters_to_list(U8) =:= Cps]),
    io:format("~p~n", [erlang:crc32(U8)]),
    Shifted = <<1:3, U8/binary, 5:5>>,
    <<1:3, Back:(byte_size(U8))/binary, 5:5>> = Shifted,
    io:format("~p~n", [Back =:= U8]),
    io:format("~p~n", [[unaligned(B) || B <- [<<1:3, "abc", 7:5>>, <<1:3, "abd", 7:5>>, <<2:3, "abc">>]]]),
    io:format("~p~n", [[var(S, U) || S <- [0, 1, 2, 3], U <- [1, 3, 8]]]),
    io:format("~p~n", [[float_var(S) || S <- [16, 32, 64, 8, 24]]]),
    RT = [{I, S} || I <- [0, 1, -1, 12345, -12345, 1 bsl 63, -(1 bsl 63), 1 bsl 99],
                    S <- [5, 17, 64, 65, 128],
                    round_trip(I, S) =/= ok],
    io:format("~p~n", [RT]),
    io:format("~p~n", [[skip_all(B) || B <- [<<1, 2, 3>>, <<1, 2, 3:4>>]]]),
    Pos = positions(<<"key1=val1;key2=val2">>),
    io:format("~p~n", [Pos]),
    io:format("~p~n", [[bit_size(<<X:N>>) || X <- [1], N <- [0, 1, 9, 63, 64, 65]]]),
    io:format("~w~n", [list_to_bitstring([<<1:1>>, <<2:2>>, [<<3:3>>, 4]])]),
    io:format("~p~n", [[X || <<X:7/signed>> <= <<"abcdefg">>]]),
    io:format("~p~n", [[{X, Y} || <<X:16/float, Y:3>> <= <<1.5:16/float, 3:3, -0.5:16/float, 1:3>>]]),
    appends(),
    ok.

%% Appending to one binary twice, and to older versions of a binary that
%% grew since, must leave every version intact.
appends() ->
    A = grow(id(<<>>), 100),
    B1 = <<A/binary, "one">>,
    B2 = <<A/binary, "two">>,
    C1 = <<B1/binary, 1:3>>,
    C2 = <<B1/binary, B1/binary>>,
    D = grow(B2, 50),
    io:format("~p~n", [[byte_size(X) || X <- [A, B1, B2, D]]]),
    io:format("~p~n", [[binary:part(X, byte_size(X) - 5, 5) || X <- [A, B1, B2, D]]]),
    io:format("~p ~p~n", [bit_size(C1), binary:part(C2, 100, 6)]),
    io:format("~p~n", [erlang:crc32([A, B1, B2, C2, D])]),
    io:format("~p~n", [A =:= grow(id(<<>>), 100)]).

grow(B, 0) -> B;
grow(B, N) -> grow(<<B/binary, (N rem 26 + $a)>>, N - 1).

unaligned(<<1:3, "abc", R/bits>>) -> {abc, R};
unaligned(<<_:3, R/bits>>) -> {other, R}.

var(S, U) ->
    case <<255, 170, 85>> of
        <<X:S/unit:3, _/bits>> -> {S, U, X};
        _ -> {S, U, nomatch}
    end.

float_var(S) ->
    case <<1.0:64/float, 1.0:64/float>> of
        <<F:S/float, _/bits>> -> {S, F};
        _ -> {S, nomatch}
    end.

round_trip(I, S) ->
    Mask = (1 bsl S) - 1,
    U = I band Mask,
    Sg = case U bsr (S - 1) of 1 -> U - (1 bsl S); 0 -> U end,
    <<A:S, B:S/little, C:S/signed, D:S/little-signed>> = <<I:S, I:S/little, I:S, I:S/little>>,
    case {A, B, C, D} of
        {U, U, Sg, Sg} -> ok;
        Other -> Other
    end.

skip_all(<<_:8, _/binary>>) -> binary;
skip_all(<<_:8, _/bits>>) -> bits.

positions(B) ->
    case B of
        <<"key1=", V:4/binary, ";", _/binary>> -> {first, V};
        <<_:10/binary, "key2=", V/binary>> -> {second, V};
        _ -> none
    end.

id(X) -> X.
