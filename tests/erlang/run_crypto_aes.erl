-module(run_crypto_aes).
-export([main/0]).

%% AES through crypto's cipher API (ECB, CBC, CTR, GCM), as OpenSSL
%% computes it under erl.

main() ->
    one_time(),
    streaming(),
    gcm(),
    info(),
    errors(),
    ok.

show(What, Result) ->
    io:format("~p -> ~p~n", [What, Result]).

hex(Bin) when is_binary(Bin) -> binary:encode_hex(Bin);
hex({A, B}) when is_binary(A), is_binary(B) -> {hex(A), hex(B)};
hex(Other) -> Other.

safe(F) ->
    try F() of V -> hex(V) catch C:E:St -> {C, E, top(St)} end.

top([{M, F, A, Info} | _]) ->
    {M, F, if is_list(A) -> length(A); true -> A end,
     [X || {error_info, _} = X <- Info]};
top(_) -> none.

key(Bits) -> list_to_binary(lists:seq(1, Bits div 8)).

iv() -> <<16#F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF:128>>.

inputs() ->
    [<<>>, <<"0123456789abcdef">>, <<"0123456789abcdef0123456789ABCDEF">>,
     <<"short">>, ["0123", <<"456789">>, [<<"abcdef">>]], binary:copy(<<"xyz">>, 100)].

one_time() ->
    [begin
         Cipher = list_to_atom("aes_" ++ integer_to_list(Bits) ++ "_" ++ atom_to_list(Mode)),
         K = key(Bits),
         [begin
              Enc = case Mode of
                        ecb -> safe(fun() -> crypto:crypto_one_time(Cipher, K, In, Opts) end);
                        _ -> safe(fun() -> crypto:crypto_one_time(Cipher, K, iv(), In, Opts) end)
                    end,
              show({Cipher, N, Opts}, Enc),
              case Enc of
                  <<_/binary>> = Hex when Opts =/= [{encrypt, true}, {padding, zero}] ->
                      C = binary:decode_hex(Hex),
                      Dec = case Mode of
                                ecb -> crypto:crypto_one_time(Cipher, K, C, dec(Opts));
                                _ -> crypto:crypto_one_time(Cipher, K, iv(), C, dec(Opts))
                            end,
                      show({back, Cipher, N}, Dec =:= iolist_to_binary(In));
                  _ -> ok
              end
          end || {N, In} <- lists:zip(lists:seq(1, length(inputs())), inputs()),
                 Opts <- [true, [{encrypt, true}, {padding, pkcs_padding}],
                          [{encrypt, true}, {padding, zero}]],
                 Mode =/= ctr orelse Opts =:= true]
     end || Bits <- [128, 192, 256], Mode <- [ecb, cbc, ctr]],
    %% Aliases take the key's size.
    show(aes_cbc, hex(crypto:crypto_one_time(aes_cbc, key(256), iv(), <<"0123456789abcdef">>, true))),
    show(aes_ctr, hex(crypto:crypto_one_time(aes_ctr, key(192), iv(), <<"abc">>, true))),
    show(aes_ecb, hex(crypto:crypto_one_time(aes_ecb, key(128), <<"0123456789abcdef">>, true))).

dec(true) -> false;
dec(Opts) -> lists:keyreplace(encrypt, 1, Opts, {encrypt, false}).

streaming() ->
    Chunks = [<<"01234">>, <<"56789abcdefghijklmn">>, <<>>, <<"opqrstuvwxyz0123456789">>, <<"!">>],
    [begin
         S = case Cipher of
                 aes_128_ecb -> crypto:crypto_init(Cipher, key(128), Opts);
                 _ -> crypto:crypto_init(Cipher, key(128), iv(), Opts)
             end,
         Outs = [hex(crypto:crypto_update(S, C)) || C <- Chunks],
         Final = safe(fun() -> crypto:crypto_final(S) end),
         show({stream, Cipher, Opts}, {Outs, Final})
     end || Cipher <- [aes_128_cbc, aes_128_ctr, aes_128_ecb],
            Opts <- [true, [{encrypt, true}, {padding, pkcs_padding}]],
            Cipher =:= aes_128_ctr orelse Opts =/= true],
    %% Decrypting in pieces.
    C = crypto:crypto_one_time(aes_128_cbc, key(128), iv(), <<"The quick brown fox jumps">>,
                               [{encrypt, true}, {padding, pkcs_padding}]),
    D = crypto:crypto_init(aes_128_cbc, key(128), iv(), [{encrypt, false}, {padding, pkcs_padding}]),
    <<C1:7/binary, C2:20/binary, C3/binary>> = C,
    Parts = [crypto:crypto_update(D, P) || P <- [C1, C2, C3]],
    show(stream_decrypt, {[hex(P) || P <- Parts], crypto:crypto_final(D)}).

gcm() ->
    [begin
         K = key(Bits),
         Cipher = list_to_atom("aes_" ++ integer_to_list(Bits) ++ "_gcm"),
         Nonce = <<"123456789012">>,
         [begin
              {CT, Tag} = crypto:crypto_one_time_aead(Cipher, K, Nonce, In, Aad, TagLen, true),
              show({gcm, Cipher, In, Aad, TagLen}, hex({CT, Tag})),
              show({gcm_back, Cipher},
                   crypto:crypto_one_time_aead(Cipher, K, Nonce, CT, Aad, Tag, false)),
              show({gcm_bad_aad, Cipher},
                   crypto:crypto_one_time_aead(Cipher, K, Nonce, CT, <<Aad/binary, "!">>, Tag, false))
          end || In <- [<<>>, <<"hello">>, binary:copy(<<"0123456789">>, 7)],
                 Aad <- [<<>>, <<"header">>], TagLen <- [16, 12, 8, 4]]
     end || Bits <- [128, 256]],
    show(gcm_default_tag,
         hex(crypto:crypto_one_time_aead(aes_128_gcm, key(128), <<"123456789012">>, <<"x">>, <<"a">>, true))),
    show(gcm_alias,
         hex(crypto:crypto_one_time_aead(aes_gcm, key(192), <<"123456789012">>, <<"x">>, <<"a">>, true))).

info() ->
    [show({info, C}, crypto:cipher_info(C))
     || C <- [aes_128_ecb, aes_192_cbc, aes_256_ctr, aes_128_gcm, aes_256_gcm]],
    Ciphers = crypto:supports(ciphers),
    show(supported, [lists:member(C, Ciphers)
                     || C <- [aes_128_cbc, aes_256_ecb, aes_192_ctr, aes_256_gcm, aes_cbc, aes_gcm]]).

errors() ->
    K = key(128),
    Calls = [
        fun() -> crypto:crypto_one_time(aes_128_cbc, <<0:120>>, iv(), <<"0123456789abcdef">>, true) end,
        fun() -> crypto:crypto_one_time(aes_128_cbc, K, <<0:120>>, <<"0123456789abcdef">>, true) end,
        fun() -> crypto:crypto_one_time(aes_128_cbc, K, iv(), <<"0123456789abcdef">>, foo) end,
        fun() -> crypto:crypto_one_time(aes_128_cbc, K, iv(), <<"0123456789abcdef">>, [{foo, true}]) end,
        fun() -> crypto:crypto_one_time(aes_128_cbc, K, iv(), <<"0123456789abcde">>, [{encrypt, true}, {padding, none}]) end,
        fun() -> crypto:crypto_one_time(aes_128_cbc, K, iv(), <<1:128>>, [{encrypt, false}, {padding, pkcs_padding}]) end,
        fun() -> crypto:crypto_one_time(foo, K, iv(), <<"0123456789abcdef">>, true) end,
        fun() -> crypto:crypto_update(foo, <<>>) end,
        fun() -> crypto:crypto_update(crypto:crypto_init(aes_128_cbc, K, iv(), true), foo) end,
        fun() -> crypto:crypto_one_time_aead(aes_128_cbc, K, <<0:96>>, <<"x">>, <<>>, true) end,
        fun() -> crypto:crypto_one_time_aead(aes_128_gcm, <<0:64>>, <<0:96>>, <<"x">>, <<>>, true) end,
        fun() -> crypto:cipher_info(foo) end
    ],
    [show({error, I}, safe(F)) || {I, F} <- lists:zip(lists:seq(1, length(Calls)), Calls)].
