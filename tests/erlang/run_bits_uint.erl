%% Unsigned integer segments of literal size (the loader's BsGetUint):
%% every size up to 64 bits at every bit offset, little/native bytes,
%% too few bits left, and sub-binaries of other binaries.
-module(run_bits_uint).
-export([main/0]).

main() ->
    Bin = list_to_binary([(I * 37 + 11) band 255 || I <- lists:seq(1, 80)]),
    io:format("~p~n", [[take(Bin, Off) || Off <- lists:seq(0, 9)]]),
    io:format("~p~n", [bytes(Bin, 0)]),
    Sub = binary_part(Bin, 3, 20),
    io:format("~p~n", [bytes(Sub, 0)]),
    <<_:3, Odd/bitstring>> = Sub,
    io:format("~p~n", [[take(Odd, Off) || Off <- [0, 1, 5]]]),
    io:format("~p~n", [[short(B) || B <- [<<>>, <<1:1>>, <<255>>, <<1:7>>, <<1,2,3>>]]]),
    io:format("~p~n", [[endian(<<200, 100, 50>>)]]),
    ok.

%% Fixed-size reads after skipping Off bits.
take(Bin, Off) when bit_size(Bin) >= Off + 336 ->
    <<_:Off, A:1, B:3, C:8, D:13, E:16, F:24, G:32, H:56, I:59, J:60, K:64, _/bitstring>> = Bin,
    [A, B, C, D, E, F, G, H, I, J, K];
take(Bin, Off) ->
    case Bin of
        <<_:Off, A:5, B:59, Rest/bitstring>> -> {A, B, bit_size(Rest)};
        _ -> too_short
    end.

bytes(<<B:8, Rest/binary>>, Acc) -> bytes(Rest, (Acc * 31 + B) band 16#FFFFFFF);
bytes(<<>>, Acc) -> Acc.

short(<<X:8, _/bitstring>>) -> {byte, X};
short(<<X:1>>) -> {bit, X};
short(<<X:7>>) -> {seven, X};
short(_) -> none.

endian(Bin) ->
    <<A:8/little, B:8/native, C:8/big-unsigned>> = Bin,
    <<D:16/little, _/binary>> = Bin,
    <<E:4/unit:2, _/bitstring>> = Bin,
    <<F:8/signed, _/binary>> = Bin,
    {A, B, C, D, E, F}.
