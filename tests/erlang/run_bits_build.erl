-module(run_bits_build).
-export([main/0]).

%% Binary construction: every segment type, sizes, units, endianness,
%% and the errors BEAM raises for bad values and sizes.

main() ->
    Ints = [0, 1, -1, 5, 255, 256, -129, 16#abc, 1 bsl 40, -(1 bsl 70) + 3, 1 bsl 100],
    Sizes = [0, 1, 3, 7, 8, 12, 16, 24, 33, 64, 70, 107],
    [io:format("~p ~p: ~w ~w ~w~n",
               [I, S, <<I:S>>, <<I:S/little>>, <<I:S/native-signed>>])
     || I <- id(Ints), S <- id(Sizes)],
    U = id(3),
    io:format("~w ~w~n", [<<7:U/unit:4>>, <<-2:U/unit:8-little>>]),
    Floats = [0.0, -0.0, 1.5, -2.25, 3.141592653589793, 1.0e10, 65504.0, 65520.0,
              1.0e-8, 6.0e-8, 1.0e300, 1.0e-300, 7, -(1 bsl 62)],
    [io:format("~p: ~w ~w ~w ~w~n",
               [F, <<F:16/float>>, <<F:32/float>>, <<F/float>>, <<F:32/float-little>>])
     || F <- id(Floats)],
    Bin = id(<<1, 2, 3, 4, 5>>),
    Bits = id(<<5:3>>),
    io:format("~w~n", [<<Bin/binary, Bits/bitstring, Bin:2/binary, Bits:2/bits>>]),
    io:format("~w~n", [<<Bits/bits, Bits/bits, Bits/bits, "abc", Bin/binary>>]),
    io:format("~w~n", [<<Bin/binary, 1:1, Bin/binary>>]),
    Chars = [0, $a, 16#7F, 16#80, 16#E9, 16#7FF, 16#800, 16#FFFD, 16#FFFF, 16#10000, 16#1F600, 16#10FFFF],
    [io:format("~p: ~w ~w ~w ~w ~w~n",
               [C, <<C/utf8>>, <<C/utf16>>, <<C/utf16-little>>, <<C/utf32>>, <<C/utf32-little>>])
     || C <- id(Chars)],
    io:format("~w~n", [<<1:1, (id(16#E9))/utf8, 2:2>>]),
    io:format("~p~n", [<< <<X:4>> || X <- lists:seq(0, 15) >>]),
    io:format("~p~n", [<< <<X>> || <<X>> <= <<"hello">>, X =/= $l >>]),
    Big = list_to_binary(lists:duplicate(100, $x)),
    io:format("~p~n", [byte_size(<<Big/binary, Big/binary, 1:3>>)]),
    Errors = [fun() -> X = id(-1), <<1:X>> end,
              fun() -> X = id(a), <<1:X>> end,
              fun() -> X = id(1.0), <<X:8>> end,
              fun() -> X = id(a), <<X/float>> end,
              fun() -> X = id(24), <<1.0:X/float>> end,
              fun() -> X = id(1 bsl 1100), <<X:64/float>> end,
              fun() -> X = id(16#D800), <<X/utf8>> end,
              fun() -> X = id(16#110000), <<X/utf16>> end,
              fun() -> X = id(-1), <<X/utf32>> end,
              fun() -> X = id(<<1:3>>), <<X/binary>> end,
              fun() -> X = id(<<1, 2>>), <<X:3/binary>> end,
              fun() -> X = id(foo), <<X/binary>> end,
              fun() -> X = id(1 bsl 64), <<1:X>> end,
              fun() -> X = id(<<1:3>>), <<X/binary, 1>> end],
    [io:format("~p~n", [try E() catch C:R -> {C, R} end]) || E <- Errors],
    ok.

id(X) -> X.
