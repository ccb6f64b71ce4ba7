%% unicode:characters_to_list/1,2 and characters_to_binary/1,2,3 on bad and
%% cut-off input: which of `error`, `incomplete` and `badarg` BEAM gives,
%% and the exact shape of the rest (erl_unicode.c keeps a sequence cut off
%% at a binary's end as leftover bytes, checks the whole input's types
%% first, and nests the rest by list level). Every one- and two-byte
%% binary, three- and four-byte sequences from chosen lead and continuation
%% bytes, UTF-16/32 edge units, and 1,500 seeded random mixed inputs.
-module(run_unicode_rests).
-export([main/0]).

r(F) -> try F() catch C:R -> {C, R} end.

encs() -> [latin1, unicode, utf8, utf16, {utf16, little}, {utf16, big}, utf32, {utf32, little}, {utf32, big}].

main() ->
    exhaustive(),
    shapes(),
    random(),
    ok.

exhaustive() ->
    Leads = [16#80, 16#BF, 16#C0, 16#C1, 16#C2, 16#DF, 16#E0, 16#E1, 16#ED, 16#EE, 16#EF, 16#F0, 16#F1, 16#F4, 16#F5, 16#F7, 16#F8, 16#FB, 16#FC, 16#FE, 16#FF],
    Conts = [0, 16#41, 16#7F, 16#80, 16#8F, 16#90, 16#9F, 16#A0, 16#BF, 16#C0, 16#FF],
    Bins = [<<B>> || B <- lists:seq(0, 255)] ++ [<<L, C>> || L <- Leads, C <- Conts]
        ++ [<<L, C, D>> || L <- Leads, C <- Conts, D <- [16#80, 16#41]]
        ++ [<<L, C, 16#80, D>> || L <- [16#F0, 16#F4, 16#F5], C <- Conts, D <- [16#80, 16#41]],
    [io:format("~w ~w ~w ~w ~w ~w~n",
               [B, r(fun() -> unicode:characters_to_list(B, utf8) end),
                r(fun() -> unicode:characters_to_binary([B, $z], utf8, utf16) end),
                r(fun() -> unicode:characters_to_binary([B, a]) end),
                r(fun() -> unicode:characters_to_list([$y, B]) end),
                r(fun() -> unicode:characters_to_binary([[B], <<"x">>]) end)]) || B <- Bins],
    U16 = [<<A, 0>> || A <- [0, 16#D8, 16#DB, 16#DC, 16#DF]] ++ [<<A>> || A <- [0, 16#D8]]
        ++ [<<16#D8, 0, A>> || A <- [0, 16#DC, 16#D8]] ++ [<<16#D8, 0, A, 0>> || A <- [0, 16#DC, 16#D8, 16#DF, 16#E0]],
    [io:format("~w ~w ~w~n", [B, r(fun() -> unicode:characters_to_list(B, E) end),
                              r(fun() -> unicode:characters_to_binary([B, B], E, utf8) end)])
     || B <- U16, E <- [utf16, {utf16, little}]],
    U32 = [<<A:32>> || A <- [0, 16#D800, 16#DFFF, 16#10FFFF, 16#110000, 16#FFFFFFFF]] ++ [<<A:24>> || A <- [0, 16#10FFFF]]
        ++ [<<0>>, <<0, 0>>, <<0, 0, 0, 65, 0, 0>>],
    [io:format("~w ~w ~w~n", [B, r(fun() -> unicode:characters_to_list(B, E) end),
                              r(fun() -> unicode:characters_to_binary([B, B], E, latin1) end)])
     || B <- U32, E <- [utf32, {utf32, little}]].

shapes() ->
    Ins = [[[1, <<16#E0, 16#EF>>], <<"x">>], [<<244, 0>>, 57344], [<<16#FF>>, 1], [[<<16#FF>>], 1],
           [$y, <<16#E0, 0>>], [<<16#E0, 0>>], [<<16#C2>>, <<16#80>>], [<<16#E0>>, [], [<<16#A0>>], <<16#80, $a>>],
           [<<16#E0>>, <<16#A0>> | <<16#80>>], [<<16#F0, 16#90>>, 65], [<<16#C2>> | <<16#41>>], [<<1:4>>],
           <<1:4>>, [<<16#80>>, a], [<<16#C2, 16#BF, 16#80>>, a], [<<16#FF>>, 1.0], [[[<<16#C0, 16#80>>]], 1],
           [<<192, 192, 128>>], [-1], [16#110000], [97, 1 bsl 70], [<<16#80>>, -(1 bsl 70)], [16#D800, <<16#C2>>], [1 | 2], [<<"ok">> | <<16#C3>>]],
    [io:format("~w~n ~w~n ~w~n ~w~n ~w~n ~w~n ~w~n",
               [In, r(fun() -> unicode:characters_to_list(In) end),
                r(fun() -> unicode:characters_to_list(In, unicode) end),
                r(fun() -> unicode:characters_to_list(In, latin1) end),
                r(fun() -> unicode:characters_to_binary(In) end),
                r(fun() -> unicode:characters_to_binary(In, utf8, utf8) end),
                [r(fun() -> unicode:characters_to_binary(In, E) end) || E <- encs()]])
     || In <- Ins].

rbyte() -> lists:nth(rand:uniform(16), [0, 16#41, 16#7F, 16#80, 16#BF, 16#C2, 16#C0, 16#DF, 16#E0, 16#ED, 16#EF, 16#F0, 16#F4, 16#F5, 16#FF, 16#D8]).
rchar() -> lists:nth(rand:uniform(12), [0, $a, 16#7F, 16#80, 16#FF, 16#100, 16#7FF, 16#800, 16#D7FF, 16#E000, 16#FFFF, 16#10000]).
relem() ->
    case rand:uniform(9) of
        1 -> list_to_binary([rbyte() || _ <- lists:seq(1, rand:uniform(5))]);
        2 -> rchar();
        3 -> [relem() || _ <- lists:seq(1, rand:uniform(3))];
        4 -> lists:nth(rand:uniform(8), [16#D800, 16#DFFF, 16#110000, -1, a, 1.0, <<1:4>>, 16#10FFFF]);
        5 -> unicode:characters_to_binary([rchar()], unicode, lists:nth(rand:uniform(9), encs()));
        _ -> list_to_binary([rbyte() || _ <- lists:seq(1, rand:uniform(3))])
    end.

random() ->
    rand:seed(exsss, {7, 8, 9}),
    lists:foreach(
      fun(I) ->
              In = case rand:uniform(4) of 1 -> relem(); _ -> [relem() || _ <- lists:seq(1, rand:uniform(4))] end,
              IE = lists:nth(rand:uniform(9), encs()),
              OE = lists:nth(rand:uniform(9), encs()),
              io:format("~w ~w ~w ~w~n ~w~n ~w~n ~w~n ~w~n",
                        [I, In, IE, OE,
                         r(fun() -> unicode:characters_to_binary(In, IE, OE) end),
                         r(fun() -> unicode:characters_to_list(In, IE) end),
                         r(fun() -> unicode:characters_to_binary(In, IE) end),
                         r(fun() -> {unicode:characters_to_binary(In), unicode:characters_to_list(In)} end)])
      end, lists:seq(1, 1500)).
