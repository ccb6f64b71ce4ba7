%% The pre-OTP 25 construction instructions (hand-assembled in bs_old.S),
%% which .beam files from older compilers hold: results, appending in a
%% loop, and failures (to a label or as an exception).
-module(run_bs_old).
-export([main/0]).

main() ->
    show([bs_old:put_int(258, <<"xy">>), bs_old:put_int(-1, <<>>),
          bs_old:put_int(1 bsl 40, binary:copy(<<"z">>, 100))]),
    show([bs_old:init_bits(I, F, C)
          || {I, F, C} <- [{-3, 1.5, 16#1F600}, {2047, -0.0, $a}, {5, 1.0e300, 16#7FF},
                           {0, 2, 16#FFFF}, {1 bsl 70, 0.5, 16#10000}]]),
    show([bs_old:append(<<"ab">>, 99), bs_old:append(<<>>, 0),
          bs_old:append_bits(<<1:5>>, 7), bs_old:append_bits(<<>>, 9),
          bs_old:append_bits(<<"abc">>, 1)]),
    show([bs_old:private(1, -1), bs_old:private(255, 127)]),
    show([bs_old:put_bin(2, <<"abc">>), bs_old:put_bin(0, <<>>), bs_old:bits(<<1:7>>),
          bs_old:bits(<<"hello", 3:2>>), bs_old:bits(<<>>)]),
    show([bs_old:float(1.5, S) || S <- [16, 32, 64, 33, 0]]),
    show([bs_old:float(X, 64) || X <- [1, -7, 1 bsl 80, abc]]),
    show([bs_old:sizes(A, B) || {A, B} <- [{3, 4}, {0, 0}, {16#7F, 1}, {16#80, 1}, {16#7FF, 2},
                                           {16#800, 0}, {16#FFFF, 0}, {16#10000, 0}]]),
    %% Appending in a loop: a 100,000-byte binary, byte by byte.
    Big = lists:foldl(fun(I, Acc) -> bs_old:append(Acc, I band 255) end, <<>>,
                      lists:seq(1, 100000)),
    show([byte_size(Big), erlang:crc32(Big), binary:part(Big, 99990, 10)]),
    %% A bitstring grown 3 bits at a time.
    Bits = lists:foldl(fun(I, Acc) -> bs_old:append_bits(Acc, I band 7) end, <<>>,
                       lists:seq(1, 1000)),
    show([bit_size(Bits), erlang:phash2(Bits)]),
    %% Both keep their own bytes when the same base is appended to twice.
    Base = bs_old:append(binary:copy(<<"q">>, 100), 1),
    show([bs_old:append(Base, 2), bs_old:append(Base, 3), Base]),
    show([err(F) || F <- [fun() -> bs_old:put_int(a, <<"x">>) end,
                          fun() -> bs_old:put_int(1, <<1:3>>) end,
                          fun() -> bs_old:put_int(1, 2) end,
                          fun() -> bs_old:init_bits(1.5, 1.0, $a) end,
                          fun() -> bs_old:init_bits(1, a, $a) end,
                          fun() -> bs_old:init_bits(1, 1.0, 16#D800) end,
                          fun() -> bs_old:init_bits(1, 1.0, -1) end,
                          fun() -> bs_old:init_bits(1, 1.0, 16#110000) end,
                          fun() -> bs_old:append(<<1:4>>, 1) end,
                          fun() -> bs_old:append(atom, 1) end,
                          fun() -> bs_old:append(<<>>, x) end,
                          fun() -> bs_old:append_bits(atom, 1) end,
                          fun() -> bs_old:put_bin(-1, <<>>) end,
                          fun() -> bs_old:put_bin(4, <<"abc">>) end,
                          fun() -> bs_old:put_bin(x, <<"abc">>) end,
                          fun() -> bs_old:bits(abc) end,
                          fun() -> bs_old:sizes(-1, 0) end,
                          fun() -> bs_old:sizes(1, a) end]]).

show(Terms) -> io:format("~p~n", [Terms]).

err(F) ->
    try F() of V -> {ok, V} catch C:R -> {C, R} end.
