%% The loader's bit-syntax specialisations (BsGetU8/U16/U32, BsTestUnit8,
%% BsStartMatchPos): byte, 16- and 32-bit reads at aligned and unaligned
%% positions, over heap binaries, refc binaries and sub-binaries of both
%% (at byte and bit offsets), signed and little-endian reads (which stay
%% general), binaries too short for the segment, and bitstrings whose
%% tails are not whole bytes.
-module(run_bs_fast).
-export([main/0]).

main() ->
    Small = list_to_binary(lists:seq(250, 255) ++ lists:seq(0, 40)),
    Big = list_to_binary([I rem 256 || I <- lists:seq(7, 300)]),
    <<_:3, Odd/bitstring>> = Big,
    <<_:5/binary, Mid:100/binary, _/binary>> = Big,
    <<_:1, OddSmall/bitstring>> = Small,
    Inputs = [{small, Small}, {big, Big}, {odd, Odd}, {mid, Mid},
              {odd_small, OddSmall}, {empty, <<>>}, {one, <<200>>},
              {three, <<1, 2, 3>>}, {bits, <<1:1, 255, 7:3>>},
              {tail_bits, <<9, 9, 9, 1:4>>}],
    [report(Name, In) || {Name, In} <- Inputs],
    shifted(Big),
    failing(),
    ok.

report(Name, In) ->
    io:format("~p u8 ~p~n", [Name, u8s(In, [])]),
    io:format("~p u16 ~p~n", [Name, u16s(In, [])]),
    io:format("~p u32 ~p~n", [Name, u32s(In, [])]),
    io:format("~p s16 ~p~n", [Name, s16s(In, [])]),
    io:format("~p l32 ~p~n", [Name, l32s(In, [])]),
    io:format("~p ls16 ~p~n", [Name, ls16s(In, [])]),
    io:format("~p lines ~p~n", [Name, scan(In, 0, 0)]),
    io:format("~p mixed ~p~n", [Name, mixed(In, [])]),
    io:format("~p unit ~p~n", [Name, units(In)]).

u8s(<<B:8, Rest/binary>>, Acc) -> u8s(Rest, [B | Acc]);
u8s(Rest, Acc) -> {lists:sum(Acc), length(Acc), bit_size(Rest)}.

u16s(<<W:16, Rest/binary>>, Acc) -> u16s(Rest, [W | Acc]);
u16s(Rest, Acc) -> {lists:sum(Acc), length(Acc), bit_size(Rest)}.

u32s(<<W:32, Rest/bitstring>>, Acc) -> u32s(Rest, [W | Acc]);
u32s(Rest, Acc) -> {lists:sum(Acc), length(Acc), bit_size(Rest)}.

s16s(<<W:16/signed, Rest/bitstring>>, Acc) -> s16s(Rest, [W | Acc]);
s16s(Rest, Acc) -> {lists:sum(Acc), length(Acc), bit_size(Rest)}.

l32s(<<W:32/little, Rest/bitstring>>, Acc) -> l32s(Rest, [W | Acc]);
l32s(Rest, Acc) -> {lists:sum(Acc), length(Acc), bit_size(Rest)}.

ls16s(<<W:16/little-signed, Rest/bitstring>>, Acc) -> ls16s(Rest, [W | Acc]);
ls16s(Rest, Acc) -> {lists:sum(Acc), length(Acc), bit_size(Rest)}.

%% Several clauses: the function head saves the position, each failing
%% clause restores it (bs_start_match3 | bs_get_position).
scan(<<$\n, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines + 1, Sum);
scan(<<B:8, Rest/binary>>, Lines, Sum) -> scan(Rest, Lines, (Sum * 31 + B) band 16#FFFFFF);
scan(<<>>, Lines, Sum) -> {Lines, Sum};
scan(Other, Lines, Sum) -> {rest, bit_size(Other), Lines, Sum}.

%% Mixed widths after one another, and clauses that fall back to
%% shorter reads when a longer one does not fit.
mixed(<<0, W:32, Rest/binary>>, Acc) -> mixed(Rest, [{z, W} | Acc]);
mixed(<<A:16, B:8, Rest/binary>>, Acc) when A > 1000 -> mixed(Rest, [{a, A, B} | Acc]);
mixed(<<A:8, B:16, Rest/bitstring>>, Acc) -> mixed(Rest, [{b, A, B} | Acc]);
mixed(<<A:8, Rest/bitstring>>, Acc) -> mixed(Rest, [{c, A} | Acc]);
mixed(Rest, Acc) -> {lists:reverse(Acc), Rest}.

%% Rest/binary against Rest/bitstring: the unit test of a tail.
units(<<_:8, Rest/binary>>) -> {binary, byte_size(Rest)};
units(<<_:8, Rest/bitstring>>) -> {bitstring, bit_size(Rest)};
units(Other) -> {none, bit_size(Other)}.

%% Reads at every bit offset 0..16 of a refc binary and of a heap one.
shifted(Big) ->
    Heap = binary:part(Big, 10, 20),
    [begin
         <<_:Shift, Rest/bitstring>> = Bin,
         io:format("shift ~p ~p ~p ~p~n",
                   [Shift, u8s(pad(Rest), []), u16s(pad(Rest), []), u32s(Rest, [])])
     end || Bin <- [Big, Heap], Shift <- lists:seq(0, 16)].

%% A whole number of bytes: drop the last partial one.
pad(Bits) ->
    N = bit_size(Bits) div 8,
    <<B:N/binary, _/bitstring>> = Bits,
    B.

%% Segments that are not there fail the match as on BEAM.
failing() ->
    F = fun(Bin) ->
                case Bin of
                    <<A:32>> -> {u32, A};
                    <<A:16>> -> {u16, A};
                    <<A:8>> -> {u8, A};
                    _ -> nomatch
                end
        end,
    io:format("~p~n", [[F(B) || B <- [<<>>, <<1>>, <<1, 2>>, <<1, 2, 3>>,
                                      <<1, 2, 3, 4>>, <<1, 2, 3, 4, 5>>,
                                      <<1:7>>, <<1:15>>, <<1:31>>]]]),
    io:format("~p~n", [reason(fun() -> <<X:8>> = id(<<1, 2>>), X end)]),
    io:format("~p~n", [reason(fun() -> <<Y:16, _/binary>> = id(<<1>>), Y end)]),
    io:format("~p~n", [reason(fun() -> <<Z:32, _/binary>> = id(<<1, 2, 3, 4, 5:4>>), Z end)]).

reason(F) ->
    try F() catch error:R -> {error, R} end.

id(X) -> X.
