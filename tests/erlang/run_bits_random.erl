-module(run_bits_random).
-export([main/0]).

%% Many pseudo-random segments (a fixed linear congruential sequence, no
%% rand state) built and matched at every alignment; the results are
%% folded into checksums so one line stands for thousands of cases.

main() ->
    {Built, Matched} = run(3000, 12345, [], []),
    io:format("~p ~p~n", [erlang:phash2(Built), erlang:phash2(Matched)]),
    io:format("~p~n", [lists:sublist(Matched, 5)]),
    ok.

run(0, _, B, M) -> {lists:reverse(B), lists:reverse(M)};
run(N, S0, B, M) ->
    S1 = next(S0), S2 = next(S1), S3 = next(S2), S4 = next(S3),
    Size = S1 rem 140,
    Pad = S2 rem 8,
    V = (S3 * S4) - (1 bsl 60),
    Bin = <<0:Pad, V:Size, V:Size/little, V:Size/signed, (S4 rem 16#D800)/utf8,
            (S3 rem 16#D000 + 16#E000)/utf32-little>>,
    <<_:Pad, A:Size, Bl:Size/little, C:Size/signed, U/utf8, _/bits>> = Bin,
    F = float(S3) / (S4 + 1),
    FB = <<0:Pad, F:64/float, F:32/float-little, F:16/float>>,
    <<_:Pad, F1:64/float, F2:32/float-little, Rest/bits>> = FB,
    F3 = case Rest of <<X:16/float>> -> X; _ -> nan end,
    run(N - 1, S4, [Bin, FB | B], [{A, Bl, C, U, F1, F2, F3} | M]).

next(S) -> (S * 1103515245 + 12345) rem 2147483648.
