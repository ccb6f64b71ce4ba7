%% The legacy ciphers erl's OpenSSL still offers: DES (ECB, CBC, CFB64),
%% triple DES (CBC, CFB64), Blowfish (ECB, CBC, CFB64, OFB64), RC2 (CBC)
%% and RC4, one-shot and streamed in uneven pieces, with each padding,
%% variable key lengths, keys as iolists, cipher_info/1, CMAC over their
%% CBC modes, and the error terms for bad keys and IVs.
-module(run_crypto_legacy).
-export([main/0]).

hex(Bin) when is_binary(Bin), byte_size(Bin) =< 40 -> binary:encode_hex(Bin);
hex(Bin) when is_binary(Bin) -> {byte_size(Bin), binary:encode_hex(erlang:md5(Bin))};
hex(T) when is_tuple(T) -> list_to_tuple([hex(X) || X <- tuple_to_list(T)]);
hex(Other) -> Other.

try_(F) ->
    try F() of V -> hex(V) catch C:E -> {C, E} end.

show(Name, F) -> io:format("~p: ~p~n", [Name, try_(F)]).

key(C) ->
    #{key_length := K} = crypto:cipher_info(C),
    list_to_binary(lists:seq(1, K)).

iv(C) ->
    #{iv_length := N} = crypto:cipher_info(C),
    list_to_binary(lists:seq(100, 99 + N)).

streamed(C, Key, IV, Data, Opts) ->
    S = crypto:crypto_init(C, Key, IV, Opts),
    {A, B} = split_binary(Data, byte_size(Data) div 3),
    Parts = [crypto:crypto_update(S, A), crypto:crypto_update(S, B), crypto:crypto_final(S)],
    iolist_to_binary(Parts).

main() ->
    Ciphers = [des_ecb, des_cbc, des_cfb, des_ede3_cbc, des_ede3_cfb, blowfish_ecb,
               blowfish_cbc, blowfish_cfb64, blowfish_ofb64, rc2_cbc, rc4],
    [show({info, C}, fun() -> crypto:cipher_info(C) end) || C <- Ciphers],
    show(supported, fun() -> [C || C <- Ciphers, not lists:member(C, crypto:supports(ciphers))] end),
    Inputs = [<<>>, <<"a">>, <<"abcdefgh">>, <<"The quick brown fox jumps">>,
              list_to_binary(lists:seq(0, 255))],
    [show({C, byte_size(D)}, fun() ->
         Key = key(C), IV = iv(C),
         E = crypto:crypto_one_time(C, Key, IV, D, true),
         {E, crypto:crypto_one_time(C, Key, IV, E, false) =:= D,
          streamed(C, Key, IV, D, true) =:= E}
     end) || C <- Ciphers, D <- Inputs],
    [show({C, Pad}, fun() ->
         Key = key(C), IV = iv(C), D = <<"thirteen byte">>,
         E = crypto:crypto_one_time(C, Key, IV, D, [{encrypt, true}, {padding, Pad}]),
         Back = crypto:crypto_one_time(C, Key, IV, E, [{encrypt, false}, {padding, Pad}]),
         {E, Back, streamed(C, Key, IV, E, [{encrypt, false}, {padding, Pad}])}
     end) || C <- [des_cbc, des_ede3_cbc, blowfish_ecb, rc2_cbc],
             Pad <- [pkcs_padding, zero, none]],
    [show({blowfish_key, N}, fun() ->
         crypto:crypto_one_time(blowfish_cbc, binary:copy(<<7>>, N), <<0:64>>, <<"abcdefgh">>, true)
     end) || N <- [1, 3, 4, 5, 16, 56, 72, 75]],
    [show({rc2_key, N}, fun() ->
         crypto:crypto_one_time(rc2_cbc, binary:copy(<<9>>, N), <<0:64>>, <<"abcdefgh">>, true)
     end) || N <- [1, 5, 16, 128, 130]],
    [show({rc4_key, N}, fun() ->
         crypto:crypto_one_time(rc4, binary:copy(<<3>>, N), <<>>, <<"abcdefghijklmnop">>, true)
     end) || N <- [1, 5, 16, 256, 257]],
    show(rc4_stream, fun() ->
         D = list_to_binary(lists:seq(0, 99)),
         streamed(rc4, <<"key">>, <<>>, D, true) =:= crypto:crypto_one_time(rc4, <<"key">>, <<>>, D, true) end),
    show(des3_key_list, fun() ->
         crypto:crypto_one_time(des_ede3_cbc, [<<1:64>>, <<2:64>>, <<3:64>>], <<0:64>>, <<"abcdefgh">>, true) =:=
             crypto:crypto_one_time(des_ede3_cbc, <<1:64, 2:64, 3:64>>, <<0:64>>, <<"abcdefgh">>, true) end),
    show(des_fips81, fun() ->
         crypto:crypto_one_time(des_ecb, <<16#0123456789ABCDEF:64>>, <<>>, <<"Now is t">>, true) end),
    show(rc4_iv_ignored, fun() ->
         crypto:crypto_one_time(rc4, <<"key">>, <<0:128>>, <<"text">>, true) end),
    show(ecb_iv_ignored, fun() ->
         crypto:crypto_one_time(des_ecb, <<1:64>>, <<0:64>>, <<"abcdefgh">>, true) end),
    [show({cmac, C, N}, fun() ->
         D = binary:part(list_to_binary(lists:seq(1, 40)), 0, N),
         M = crypto:mac(cmac, C, key(C), D),
         S = crypto:mac_init(cmac, C, key(C)),
         [crypto:mac_update(S, <<B>>) || <<B>> <= D],
         {M, crypto:mac_final(S) =:= M}
     end) || C <- [des_cbc, des_ede3_cbc, blowfish_cbc, rc2_cbc], N <- [0, 7, 8, 9, 16, 40]],
    show(cmac_des_bad_key, fun() -> crypto:mac(cmac, des_cbc, <<1:56>>, <<"x">>) end),
    show(cmac_init_des_bad_key, fun() -> crypto:mac_init(cmac, des_ede3_cbc, <<1:64>>) end),
    show(aes_key_list, fun() ->
         crypto:crypto_one_time(aes_128_ecb, [<<1:64>>, <<2:64>>], <<>>, <<"abcdefghabcdefgh">>, true) end),
    Errors =
        [{des_short_key, fun() -> crypto:crypto_one_time(des_cbc, <<1:56>>, <<0:64>>, <<"abcdefgh">>, true) end},
         {des_long_key, fun() -> crypto:crypto_one_time(des_cbc, <<1:72>>, <<0:64>>, <<"abcdefgh">>, true) end},
         {des3_short_key, fun() -> crypto:crypto_one_time(des_ede3_cbc, <<1:128>>, <<0:64>>, <<"abcdefgh">>, true) end},
         {des_short_iv, fun() -> crypto:crypto_one_time(des_cbc, <<1:64>>, <<0:56>>, <<"abcdefgh">>, true) end},
         {des_bad_iv, fun() -> crypto:crypto_one_time(des_cbc, <<1:64>>, foo, <<"abcdefgh">>, true) end},
         {blowfish_long_iv, fun() -> crypto:crypto_one_time(blowfish_cbc, <<1:64>>, <<0:128>>, <<"abcdefgh">>, true) end},
         {des_bad_key, fun() -> crypto:crypto_init(des_cbc, foo, <<0:64>>, true) end},
         {des_unfilled, fun() -> crypto:crypto_one_time(des_cbc, <<1:64>>, <<0:64>>, <<"abc">>, [{padding, none}]) end},
         {des_bad_padding, fun() -> crypto:crypto_one_time(des_cbc, <<1:64>>, <<0:64>>, <<1:64>>, [{encrypt, false}, {padding, pkcs_padding}]) end}],
    [show(N, F) || {N, F} <- Errors],
    ok.
