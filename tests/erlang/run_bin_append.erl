%% Appending whole-byte integers and strings to a binary (the common
%% `<<Acc/binary, I:32/little, "x">>` shape), with every size, endianness
%% and sign, in a loop and once; and the shapes that must still fail.
-module(run_bin_append).
-export([main/0]).

main() ->
    Vals = [0, 1, -1, 255, 256, -129, 16#7FFFFFFF, -16#80000000, 1 bsl 59, -(1 bsl 59)],
    Acc = lists:foldl(fun(V, A) -> step(V, A) end, <<"start">>, Vals),
    io:format("~w~n", [Acc]),
    Loop = loop(20000, <<>>),
    io:format("~w ~w ~w~n", [byte_size(Loop), erlang:crc32(Loop), binary:part(Loop, 0, 12)]),
    Base = <<(binary:copy(<<"b">>, 70))/binary, 1>>,
    io:format("~w~n", [[<<Base/binary, 2:16>>, <<Base/binary, 3:16/little>>, Base]]),
    io:format("~w~n", [[<<(id(<<>>))/binary, 7:0>>, <<(id(<<1:3>>))/bitstring, 1:8>>]]),
    more(Base),
    io:format("~w~n", [[err(fun() -> <<(id(<<1:3>>))/binary, 1:8>> end),
                        err(fun() -> <<(id(<<>>))/binary, (id(a)):8>> end),
                        err(fun() -> <<(id(<<>>))/binary, 1:(id(-8))>> end),
                        err(fun() -> <<(id(<<>>))/binary, (id(1.5)):8>> end),
                        err(fun() -> <<(id(nope))/binary, 1:8>> end)]]).

step(V, A) ->
    <<A/binary, V:8, V:16, V:16/little, V:24, V:32/little, V:40, V:48/little, V:56,
      V:64/little, V:64/signed, "|", (V band 3):2/unit:4>>.

loop(0, Acc) -> Acc;
loop(N, Acc) when N rem 3 =:= 0 -> loop(N - 1, <<Acc/binary, N:32/little, "ab">>);
loop(N, Acc) -> loop(N - 1, <<Acc/binary, N:16, (N band 255)>>).

id(X) -> X.

%% Appends that are not the in-place case: longer than the fast path's
%% 64 bytes, twice to one base, to two accumulators in turn, and to a
%% binary also sent as a message.
more(Base) ->
    S = <<Base/binary, "0123456789012345678901234567890123456789012345678901234567890123456789">>,
    W = <<Base/binary, 1:64, 2:64, 3:64, 4:64, 5:64, 6:64, 7:64, 8:64, 9:64/little>>,
    io:format("~w~n", [[{byte_size(X), erlang:crc32(X)} || X <- [S, W]]]),
    One = <<Base/binary, 1>>,
    Two = <<Base/binary, 2:16>>,
    Three = <<One/binary, 3>>,
    io:format("~w~n", [[binary:part(X, 70, byte_size(X) - 70) || X <- [One, Two, Three, Base]]]),
    {A, B} = two(3000, Base, <<Base/binary, 9>>),
    io:format("~w~n", [[{byte_size(X), erlang:crc32(X)} || X <- [A, B]]]),
    self() ! {copy, A},
    Got = receive {copy, C} -> C end,
    Mine = <<A/binary, "mine">>,
    Theirs = <<Got/binary, "theirs">>,
    io:format("~w~n", [[{byte_size(X), erlang:crc32(X)} || X <- [A, Got, Mine, Theirs]]]).

two(0, A, B) -> {A, B};
two(N, A, B) -> two(N - 1, <<B/binary, N:16>>, <<A/binary, (N band 255)>>).

err(F) -> try F() of V -> {ok, V} catch C:R -> {C, R} end.
