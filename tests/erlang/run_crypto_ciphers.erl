-module(run_crypto_ciphers).
-export([main/0]).

%% crypto's other ciphers and MACs (AES in OFB, CFB8 and CFB128; ChaCha20;
%% the AEADs AES-GCM with any nonce length, AES-CCM, ChaCha20-Poly1305;
%% CMAC and Poly1305) as OpenSSL computes them under erl.

main() ->
    listed(),
    streams(),
    chacha_counter(),
    aeads(),
    macs(),
    errors(),
    ok.

show(What, Result) ->
    io:format("~p -> ~p~n", [What, Result]).

hex(Bin) when is_binary(Bin), byte_size(Bin) =< 48 -> binary:encode_hex(Bin);
hex(Bin) when is_binary(Bin) -> {byte_size(Bin), binary:encode_hex(erlang:md5(Bin))};
hex({A, B}) when is_binary(A), is_binary(B) -> {hex(A), hex(B)};
hex(Other) -> Other.

safe(F) ->
    try F() of V -> hex(V) catch C:E:St -> {C, E, top(St)} end.

top([{M, F, A, Info} | _]) ->
    {M, F, if is_list(A) -> length(A); true -> A end,
     [X || {error_info, _} = X <- Info]};
top(_) -> none.

key(Bytes) -> list_to_binary([(I * 7 + 3) band 255 || I <- lists:seq(1, Bytes)]).

data(N) -> list_to_binary([(I * 13 + 1) band 255 || I <- lists:seq(1, N)]).

lengths() -> [0, 1, 15, 16, 17, 63, 64, 65, 100, 1000].

new_ciphers() ->
    [chacha20, aes_128_ofb, aes_192_ofb, aes_256_ofb,
     aes_128_cfb128, aes_192_cfb128, aes_256_cfb128,
     aes_128_cfb8, aes_192_cfb8, aes_256_cfb8,
     aes_128_ccm, aes_192_ccm, aes_256_ccm, chacha20_poly1305,
     aes_cfb8, aes_cfb128, aes_ccm].

listed() ->
    Ciphers = crypto:supports(ciphers),
    show(listed, [C || C <- new_ciphers(), not lists:member(C, Ciphers)]),
    show(macs, crypto:supports(macs)),
    [show({info, C}, crypto:cipher_info(C)) || C <- new_ciphers()].

streams() ->
    Iv = <<16#000102030405060708090A0B0C0D0E0F:128>>,
    [begin
         #{key_length := KL} = crypto:cipher_info(C),
         K = key(KL),
         [begin
              D = data(N),
              Enc = crypto:crypto_one_time(C, K, Iv, D, true),
              Dec = crypto:crypto_one_time(C, K, Iv, Enc, false),
              show({C, N}, {hex(Enc), Dec =:= D})
          end || N <- lengths()],
         %% In pieces of 1, 7 and 16 bytes, both ways.
         D = data(300),
         Whole = crypto:crypto_one_time(C, K, Iv, D, [{encrypt, true}]),
         [begin
              S = crypto:crypto_init(C, K, Iv, [{encrypt, true}, {padding, pkcs_padding}]),
              Parts = [crypto:crypto_update(S, P) || P <- pieces(D, Size)],
              Final = crypto:crypto_final(S),
              R = crypto:crypto_init(C, K, Iv, false),
              Back = [crypto:crypto_update(R, P) || P <- pieces(Whole, Size)],
              show({C, pieces, Size},
                   {iolist_to_binary([Parts, Final]) =:= Whole,
                    iolist_to_binary(Back) =:= D})
          end || Size <- [1, 7, 16]]
     end || C <- [chacha20, aes_128_ofb, aes_192_ofb, aes_256_ofb,
                  aes_128_cfb128, aes_192_cfb128, aes_256_cfb128,
                  aes_128_cfb8, aes_192_cfb8, aes_256_cfb8]],
    show(alias_cfb8, hex(crypto:crypto_one_time(aes_cfb8, key(24), Iv, data(40), true))),
    show(alias_cfb128, hex(crypto:crypto_one_time(aes_cfb128, key(32), Iv, data(40), true))).

pieces(<<>>, _) -> [];
pieces(B, N) when byte_size(B) =< N -> [B];
pieces(B, N) -> <<P:N/binary, Rest/binary>> = B, [P | pieces(Rest, N)].

%% ChaCha20's IV: a 32-bit little-endian block counter, then the nonce.
chacha_counter() ->
    K = key(32),
    [show({chacha20_counter, Ctr},
          hex(crypto:crypto_one_time(chacha20, K, <<Ctr:32/little, 16#0102030405060708090A0B0C:96>>,
                                     data(200), true)))
     || Ctr <- [0, 1, 7, 16#FFFFFFFF]].

aeads() ->
    Aads = [<<>>, <<"a">>, data(16), data(300), data(70000)],
    [begin
         Iv = binary:part(data(64), 0, IvLen),
         [begin
              {C, T} = crypto:crypto_one_time_aead(aes_128_gcm, key(16), Iv, data(N), Aad, true),
              Back = crypto:crypto_one_time_aead(aes_128_gcm, key(16), Iv, C, Aad, T, false),
              show({gcm, IvLen, N, byte_size(Aad)}, {hex(C), hex(T), Back =:= data(N)})
          end || N <- [0, 20], Aad <- Aads]
     end || IvLen <- [1, 7, 8, 12, 13, 16, 20, 64]],
    [begin
         Iv = binary:part(data(13), 0, IvLen),
         [begin
              {C, T} = crypto:crypto_one_time_aead(Cipher, key(KL), Iv, data(N), Aad, TagLen, true),
              Back = crypto:crypto_one_time_aead(Cipher, key(KL), Iv, C, Aad, T, false),
              Bad = crypto:crypto_one_time_aead(Cipher, key(KL), Iv, C, <<Aad/binary, 1>>, T, false),
              show({Cipher, IvLen, TagLen, N, byte_size(Aad)},
                   {hex(C), hex(T), Back =:= data(N), Bad})
          end || N <- [0, 1, 33], Aad <- Aads, TagLen <- [4, 10, 16]]
     end || {Cipher, KL} <- [{aes_128_ccm, 16}, {aes_192_ccm, 24}, {aes_256_ccm, 32}],
            IvLen <- [7, 12, 13]],
    [begin
         {C, T} = crypto:crypto_one_time_aead(chacha20_poly1305, key(32), data(12), data(N), Aad, TagLen, true),
         Back = crypto:crypto_one_time_aead(chacha20_poly1305, key(32), data(12), C, Aad, T, false),
         <<F, Rest/binary>> = <<C/binary, 0>>,
         Tampered = crypto:crypto_one_time_aead(chacha20_poly1305, key(32), data(12),
                                                binary:part(<<(F bxor 1), Rest/binary>>, 0, byte_size(C)),
                                                Aad, T, false),
         show({chacha20_poly1305, TagLen, N, byte_size(Aad)},
              {hex(C), hex(T), Back =:= data(N), N =:= 0 orelse Tampered =:= error})
     end || N <- [0, 1, 64, 65, 1000], Aad <- Aads, TagLen <- [8, 16]],
    show(ccm_default_tag, hex(crypto:crypto_one_time_aead(aes_ccm, key(16), data(12), data(5), <<"h">>, true))),
    show(chacha_default_tag, hex(crypto:crypto_one_time_aead(chacha20_poly1305, key(32), data(12), data(5), <<"h">>, true))),
    show(gcm_iolists, hex(crypto:crypto_one_time_aead(aes_256_gcm, [key(16), key(16)], [<<1,2>>, "345"],
                                                     ["te", <<"xt">>], [<<"a">>, "d"], 12, true))).

macs() ->
    [begin
         show({cmac, C, N}, hex(crypto:mac(cmac, C, key(KL), data(N)))),
         show({poly1305, N}, hex(crypto:mac(poly1305, key(32), data(N))))
     end || {C, KL} <- [{aes_128_cbc, 16}, {aes_192_cbc, 24}, {aes_256_cbc, 32},
                        {aes_128_ecb, 16}, {aes_cbc, 32}],
            N <- [0, 1, 15, 16, 17, 32, 33, 100]],
    [begin
         D = data(200),
         S1 = crypto:mac_init(cmac, aes_128_cbc, key(16)),
         S2 = crypto:mac_init(poly1305, key(32)),
         [begin crypto:mac_update(S1, P), crypto:mac_update(S2, P) end || P <- pieces(D, Size)],
         show({mac_pieces, Size},
              {crypto:mac_final(S1) =:= crypto:mac(cmac, aes_128_cbc, key(16), D),
               crypto:mac_final(S2) =:= crypto:mac(poly1305, key(32), D)})
     end || Size <- [1, 5, 16, 17, 64]],
    show(cmac_n, hex(crypto:macN(cmac, aes_256_cbc, key(32), <<"data">>, 8))),
    show(poly_n, hex(crypto:macN(poly1305, key(32), <<"data">>, 4))),
    show(poly_final_n, hex(crypto:mac_finalN(crypto:mac_init(poly1305, key(32)), 6))),
    show(rfc8439_poly1305,
         hex(crypto:mac(poly1305,
                        binary:decode_hex(<<"85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b">>),
                        <<"Cryptographic Forum Research Group">>))).

errors() ->
    K16 = key(16), K32 = key(32),
    Calls = [
     fun() -> crypto:mac(cmac, aes_128_cbc, <<0:120>>, <<"x">>) end,
     fun() -> crypto:mac(cmac, foo, K16, <<"x">>) end,
     fun() -> crypto:mac(cmac, sha256, K32, <<"x">>) end,
     fun() -> crypto:mac(poly1305, <<0:248>>, <<"x">>) end,
     fun() -> crypto:mac(hmac, aes_128_cbc, K32, <<"x">>) end,
     fun() -> crypto:mac(foo, sha, K16, <<"x">>) end,
     fun() -> crypto:mac_init(cmac, aes_128_cbc, <<0:120>>) end,
     fun() -> crypto:mac_init(cmac, foo, K16) end,
     fun() -> crypto:mac_init(poly1305, <<0:248>>) end,
     fun() -> crypto:mac_init(foo, sha, K16) end,
     fun() -> crypto:mac(cmac, aes_128_cbc, K16, foo) end,
     fun() -> crypto:mac(poly1305, K32, foo) end,
     fun() -> crypto:mac_update(make_ref(), <<"x">>) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:48>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:112>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:96>>, <<"x">>, <<>>, 5, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:96>>, <<"x">>, <<>>, 2, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:96>>, <<"x">>, <<>>, 18, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:96>>, <<"x">>, <<>>, <<1:40>>, false) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, K16, <<0:96>>, <<"x">>, <<>>, <<>>, false) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_ccm, <<0:64>>, <<0:96>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(chacha20_poly1305, K32, <<0:64>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(chacha20_poly1305, K32, <<0:104>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(chacha20_poly1305, K32, <<0:96>>, <<"x">>, <<>>, 17, true) end,
     fun() -> crypto:crypto_one_time_aead(chacha20_poly1305, K32, <<0:96>>, <<"x">>, <<>>, 0, true) end,
     fun() -> crypto:crypto_one_time_aead(chacha20_poly1305, K32, <<0:96>>, <<"x">>, <<>>, <<1:136>>, false) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, 0, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, 17, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, <<>>, false) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, <<1:136>>, false) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, foo, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, foo, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, foo, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, foo, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, -1, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, foo, false) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, foo, <<0:96>>, <<"x">>, <<>>, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_gcm, K16, <<0:96>>, <<"x">>, <<>>, 16, foo) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_cbc, K16, <<0:96>>, <<"x">>, <<>>, 16, true) end,
     fun() -> crypto:crypto_one_time_aead(aes_128_cbc, K16, foo, <<"x">>, <<>>, 16, true) end,
     fun() -> crypto:crypto_one_time_aead(foo, K16, <<0:96>>, <<"x">>, <<>>, 16, true) end,
     fun() -> crypto:crypto_one_time(chacha20, K32, <<0:96>>, <<"x">>, true) end,
     fun() -> crypto:crypto_one_time(chacha20, K16, <<0:128>>, <<"x">>, true) end,
     fun() -> crypto:crypto_one_time(chacha20_poly1305, K32, <<0:96>>, <<"x">>, true) end,
     fun() -> crypto:crypto_one_time(aes_128_ccm, K16, <<0:96>>, <<"x">>, true) end,
     fun() -> crypto:crypto_one_time(aes_128_gcm, K16, <<0:96>>, <<"x">>, true) end,
     fun() -> crypto:crypto_init(aes_128_gcm, K16, <<0:96>>, true) end,
     fun() -> crypto:crypto_one_time(aes_128_cfb8, K16, <<0:96>>, <<"x">>, true) end,
     fun() -> crypto:crypto_one_time(aes_128_ofb, K16, <<0:128>>, <<"x">>, [{padding, pkcs_padding}]) end,
     fun() -> crypto:crypto_one_time(aes_128_cfb128, K16, <<0:128>>, <<"xyz">>, [{padding, none}]) end,
     fun() -> crypto:crypto_one_time(chacha20, K32, <<0:128>>, <<"xyz">>, [{padding, zero}]) end
    ],
    [show({error, I}, safe(F)) || {I, F} <- lists:zip(lists:seq(1, length(Calls)), Calls)].
