%% The loader's fusions of a byte read with the test of its value
%% (BsGetU8Eq: `bs_get_integer2 8 | is_eq_exact`; BsStartU8Eq: the
%% function head's `bs_start_match3 | bs_get_position` before them;
%% BsGetU8Select: `bs_get_integer2 8 | select_val`):
%% clauses matching a literal first byte over heap, refc and sub-binaries,
%% at byte and bit offsets, bytes 0 and 255, binaries that end or whose
%% tails are not whole bytes, arguments that are no binaries, and a
%% context held in a Y register (not fused).
-module(run_bs_u8_eq).
-export([main/0]).

main() ->
    Small = <<"a,b;;c\n", 0, 255, "zz">>,
    Big = list_to_binary([[I rem 256, $;, 0, 255] || I <- lists:seq(1, 120)]),
    <<_:3, Odd/bitstring>> = Big,
    <<_:9/binary, Mid:200/binary, _/binary>> = Big,
    <<_:1, OddSmall/bitstring>> = Small,
    Inputs = [{small, Small}, {big, Big}, {odd, Odd}, {mid, Mid},
              {odd_small, OddSmall}, {empty, <<>>}, {one, <<$;>>},
              {zero, <<0>>}, {ff, <<255, 255>>}, {bits, <<$;, 1:1>>},
              {tail_bits, <<$;, $a, 0, 5:4>>}, {seven, <<$;:7>>}],
    [report(Name, In) || {Name, In} <- Inputs],
    [io:format("~p ~p~n", [T, safe(fun() -> fields(T, 0, 0) end)])
     || T <- [atom, 17, [1], {<<";">>}]],
    io:format("case ~p~n", [[classify(B) || {_, B} <- Inputs]]),
    io:format("yreg ~p~n", [yreg(Big, [])]),
    io:format("yreg small ~p~n", [yreg(Small, [])]),
    Text = binary:copy(<<"(1, 2) x(34)\t,(5 6)">>, 150),
    <<_:2, TextOdd/bitstring>> = <<0:2, Text/binary, 1:2>>,
    [io:format("lex ~p ~p~n", [Name, lex(T, 0, [])])
     || {Name, T} <- [{text, Text}, {odd, TextOdd}, {short, <<"(9)">>}] ++ Inputs],
    ok.

report(Name, In) ->
    io:format("~p fields ~p~n", [Name, safe(fun() -> fields(In, 0, 0) end)]),
    io:format("~p zeros ~p~n", [Name, zeros(In, 0, 0, 0)]),
    io:format("~p tokens ~p~n", [Name, tokens(In, [], [])]).

safe(F) ->
    try F() catch C:R -> {C, R} end.

%% Counts `;` and sums the other bytes; any tail that is not a whole
%% byte is a function_clause.
fields(<<$;, Rest/binary>>, N, Sum) -> fields(Rest, N + 1, Sum);
fields(<<B, Rest/binary>>, N, Sum) -> fields(Rest, N, (Sum * 7 + B) band 16#FFFFF);
fields(<<>>, N, Sum) -> {N, Sum}.

%% Bytes 0 and 255 (the ends of a byte's range), and any leftover bits.
zeros(<<0, Rest/bitstring>>, Z, F, O) -> zeros(Rest, Z + 1, F, O);
zeros(<<255, Rest/bitstring>>, Z, F, O) -> zeros(Rest, Z, F + 1, O);
zeros(<<_, Rest/bitstring>>, Z, F, O) -> zeros(Rest, Z, F, O + 1);
zeros(Rest, Z, F, O) -> {Z, F, O, bit_size(Rest)}.

%% A small tokenizer: several literal first bytes, then the general case.
tokens(<<$,, Rest/binary>>, Cur, Acc) -> tokens(Rest, [], [lists:reverse(Cur) | Acc]);
tokens(<<$;, $;, Rest/binary>>, Cur, Acc) -> tokens(Rest, [], [dbl, lists:reverse(Cur) | Acc]);
tokens(<<$\n, Rest/binary>>, Cur, Acc) -> tokens(Rest, [], [nl, lists:reverse(Cur) | Acc]);
tokens(<<C, Rest/binary>>, Cur, Acc) when length(Cur) < 3 -> tokens(Rest, [C | Cur], Acc);
tokens(<<_, Rest/binary>>, Cur, Acc) -> tokens(Rest, Cur, Acc);
tokens(<<>>, Cur, Acc) -> lists:reverse([lists:reverse(Cur) | Acc]);
tokens(Bits, _, Acc) -> {bits, bit_size(Bits), length(Acc)}.

classify(B) ->
    case B of
        <<$;, _/bitstring>> -> semi;
        <<0, _/bitstring>> -> zero;
        <<X, _/bitstring>> when X > 127 -> high;
        <<_, _/bitstring>> -> other;
        _ -> {short, bit_size(B)}
    end.

%% The context lives across a call, in a Y register.
yreg(<<$;, Rest/binary>>, Acc) ->
    N = length(Acc),
    yreg(Rest, [N | Acc]);
yreg(<<_, Rest/binary>>, Acc) -> yreg(Rest, Acc);
yreg(<<>>, Acc) -> lists:sum(Acc).

%% A tokenizer's dispatch on a byte (a dense and a sparse select_val);
%% counts tokens and keeps the last few.
lex(<<C, Rest/binary>>, N, Acc) ->
    case C of
        $( -> lex(Rest, N + 1, keep(open, Acc));
        $) -> lex(Rest, N + 1, keep(close, Acc));
        $, -> lex(Rest, N + 1, keep(comma, Acc));
        $\s -> lex(Rest, N, Acc);
        _ when C >= $0, C =< $9 -> lex(Rest, N + 1, keep(C - $0, Acc));
        _ -> lex(Rest, N + 1, keep({other, C}, Acc))
    end;
lex(<<>>, N, Acc) -> {N, Acc};
lex(Bits, N, Acc) -> {bits, bit_size(Bits), N, Acc}.

keep(T, Acc) -> lists:sublist([T | Acc], 4).
