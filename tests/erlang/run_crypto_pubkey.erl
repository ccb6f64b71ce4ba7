%% Public-key crypto, RSA: PKCS #1 v1.5 signatures over every digest (a
%% fixed key's signatures are deterministic and printed), PSS round trips
%% with each salt length and MGF1 digest, a PSS signature erl made,
%% encryption with PKCS #1 v1.5, OAEP and no padding both ways (erl's
%% cipher texts decrypted), key generation, mod_pow, and crypto's error
%% terms for bad keys, options and paddings.
-module(run_crypto_pubkey).
-export([main/0]).

hex(Bin) when is_binary(Bin), byte_size(Bin) =< 32 -> binary:encode_hex(Bin);
hex(Bin) when is_binary(Bin) -> {byte_size(Bin), binary:encode_hex(erlang:md5(Bin))};
hex(T) when is_tuple(T) -> list_to_tuple([hex(X) || X <- tuple_to_list(T)]);
hex(Other) -> Other.

try_(F) ->
    try F() of V -> hex(V) catch C:E -> {C, E} end.

show(Name, F) -> io:format("~p: ~p~n", [Name, try_(F)]).

priv() -> key().
pub() -> lists:sublist(key(), 2).

main() ->
    Priv = priv(),
    Pub = pub(),
    Msg = <<"enigma">>,
    Digests = [md5, sha, sha224, sha256, sha384, sha512,
               sha3_224, sha3_256, sha3_384, sha3_512, ripemd160],
    [show({pkcs1, D}, fun() ->
         S = crypto:sign(rsa, D, Msg, Priv),
         {S, crypto:verify(rsa, D, Msg, S, Pub),
          crypto:verify(rsa, D, <<"other">>, S, Pub)}
     end) || D <- Digests],
    S256 = crypto:sign(rsa, sha256, Msg, Priv),
    show(pkcs1_hex, fun() -> binary:encode_hex(S256) end),
    show(pkcs1_binkey, fun() ->
         BinPriv = [binary:encode_unsigned(X) || X <- Priv],
         crypto:sign(rsa, sha256, Msg, BinPriv) =:= S256 end),
    show(pkcs1_short_key, fun() ->
         crypto:sign(rsa, sha256, Msg, lists:sublist(Priv, 3)) =:= S256 end),
    show(pkcs1_iolist, fun() ->
         crypto:sign(rsa, sha256, [<<"eni">>, "gma"], Priv) =:= S256 end),
    show(pkcs1_digest, fun() ->
         crypto:sign(rsa, sha256, {digest, crypto:hash(sha256, Msg)}, Priv) =:= S256 end),
    show(pkcs1_none, fun() -> crypto:sign(rsa, none, Msg, Priv) end),
    show(pkcs1_none_verify, fun() ->
         crypto:verify(rsa, none, Msg, crypto:sign(rsa, none, Msg, Priv), Pub) end),
    show(pkcs1_option, fun() ->
         crypto:sign(rsa, sha256, Msg, Priv, [{rsa_padding, rsa_pkcs1_padding}]) =:= S256 end),
    show(tampered, fun() ->
         <<B, Rest/binary>> = S256,
         crypto:verify(rsa, sha256, Msg, <<(B bxor 1), Rest/binary>>, Pub) end),
    show(short_sig, fun() -> crypto:verify(rsa, sha256, Msg, <<1, 2, 3>>, Pub) end),
    [show({pss, D, Salt, Mgf}, fun() ->
         Opts = [{rsa_padding, rsa_pkcs1_pss_padding}
                 | [{rsa_pss_saltlen, Salt} || Salt =/= default]]
                ++ [{rsa_mgf1_md, Mgf} || Mgf =/= default],
         S = crypto:sign(rsa, D, Msg, Priv, Opts),
         {byte_size(S), crypto:verify(rsa, D, Msg, S, Pub, Opts),
          crypto:verify(rsa, D, <<"x">>, S, Pub, Opts),
          crypto:verify(rsa, D, Msg, S, Pub),
          crypto:verify(rsa, D, Msg, S, Pub, [{rsa_padding, rsa_pkcs1_pss_padding}
                                             | [{rsa_mgf1_md, Mgf} || Mgf =/= default]])}
     end) || {D, Salt, Mgf} <- [{sha256, default, default}, {sha256, -1, default},
                                {sha256, -2, default}, {sha256, 0, default},
                                {sha256, 20, sha}, {sha, 10, sha512},
                                {sha512, -1, sha256}, {sha384, default, default},
                                {sha3_256, 16, default}, {md5, 8, default}]],
    show(pss_wrong_salt, fun() ->
         S = crypto:sign(rsa, sha256, Msg, Priv, [{rsa_padding, rsa_pkcs1_pss_padding},
                                                  {rsa_pss_saltlen, 20}]),
         crypto:verify(rsa, sha256, Msg, S, Pub, [{rsa_padding, rsa_pkcs1_pss_padding},
                                                  {rsa_pss_saltlen, 32}]) end),
    show(pss_erl, fun() ->
         crypto:verify(rsa, sha256, Msg, erl_pss(), Pub,
                       [{rsa_padding, rsa_pkcs1_pss_padding}, {rsa_pss_saltlen, 32}]) end),
    show(pss_erl_auto, fun() ->
         crypto:verify(rsa, sha256, Msg, erl_pss(), Pub,
                       [{rsa_padding, rsa_pkcs1_pss_padding}]) end),
    show(pss_too_long_salt, fun() ->
         crypto:sign(rsa, sha256, Msg, Priv, [{rsa_padding, rsa_pkcs1_pss_padding},
                                              {rsa_pss_saltlen, 200}]) end),
    %% Encryption.
    Text = <<"secret">>,
    show(pkcs1_round_trip, fun() ->
         C = crypto:public_encrypt(rsa, Text, Pub, rsa_pkcs1_padding),
         {byte_size(C), crypto:private_decrypt(rsa, C, Priv, rsa_pkcs1_padding)} end),
    show(pkcs1_default_opts, fun() ->
         C = crypto:public_encrypt(rsa, Text, Pub, []),
         crypto:private_decrypt(rsa, C, Priv, []) end),
    show(pkcs1_erl, fun() -> crypto:private_decrypt(rsa, erl_pkcs1(), Priv, rsa_pkcs1_padding) end),
    show(pkcs1_max, fun() ->
         M = binary:copy(<<7>>, 117),
         crypto:private_decrypt(rsa, crypto:public_encrypt(rsa, M, Pub, []), Priv, []) =:= M end),
    show(pkcs1_too_long, fun() -> crypto:public_encrypt(rsa, binary:copy(<<7>>, 118), Pub, []) end),
    [show({oaep, Opts}, fun() ->
         O = [{rsa_padding, rsa_pkcs1_oaep_padding} | Opts],
         C = crypto:public_encrypt(rsa, Text, Pub, O),
         {byte_size(C), crypto:private_decrypt(rsa, C, Priv, O)} end)
     || Opts <- [[], [{rsa_oaep_md, sha256}], [{rsa_oaep_md, sha256}, {rsa_mgf1_md, sha}],
                 [{rsa_oaep_label, <<"label">>}], [{rsa_oaep_md, sha512}]]],
    show(oaep_old_option, fun() ->
         C = crypto:public_encrypt(rsa, Text, Pub, [{rsa_pad, rsa_pkcs1_oaep_padding}]),
         crypto:private_decrypt(rsa, C, Priv, rsa_pkcs1_oaep_padding) end),
    show(oaep_erl, fun() ->
         crypto:private_decrypt(rsa, erl_oaep(), Priv,
                                [{rsa_padding, rsa_pkcs1_oaep_padding}, {rsa_oaep_md, sha256},
                                 {rsa_oaep_label, <<"lbl">>}]) end),
    show(oaep_wrong_label, fun() ->
         crypto:private_decrypt(rsa, erl_oaep(), Priv,
                                [{rsa_padding, rsa_pkcs1_oaep_padding}, {rsa_oaep_md, sha256},
                                 {rsa_oaep_label, <<"other">>}]) end),
    show(oaep_max, fun() -> byte_size(crypto:public_encrypt(rsa, binary:copy(<<1>>, 86), Pub,
                                                            rsa_pkcs1_oaep_padding)) end),
    show(oaep_too_long, fun() -> crypto:public_encrypt(rsa, binary:copy(<<1>>, 87), Pub,
                                                       rsa_pkcs1_oaep_padding) end),
    show(private_encrypt, fun() -> crypto:private_encrypt(rsa, Text, Priv, rsa_pkcs1_padding) end),
    show(public_decrypt, fun() ->
         crypto:public_decrypt(rsa, crypto:private_encrypt(rsa, Text, Priv, []), Pub, []) end),
    Block = <<0, (binary:copy(<<16#5a>>, 127))/binary>>,
    show(no_padding, fun() -> crypto:public_encrypt(rsa, Block, Pub, rsa_no_padding) end),
    show(no_padding_back, fun() ->
         C = crypto:public_encrypt(rsa, Block, Pub, rsa_no_padding),
         crypto:private_decrypt(rsa, C, Priv, rsa_no_padding) =:= Block end),
    show(no_padding_private, fun() ->
         C = crypto:private_encrypt(rsa, Block, Priv, rsa_no_padding),
         {C, crypto:public_decrypt(rsa, C, Pub, rsa_no_padding) =:= Block} end),
    show(no_padding_short, fun() -> crypto:public_encrypt(rsa, Text, Pub, rsa_no_padding) end),
    show(no_padding_big, fun() -> crypto:public_encrypt(rsa, binary:copy(<<255>>, 128), Pub,
                                                        rsa_no_padding) end),
    show(decrypt_garbage, fun() -> crypto:private_decrypt(rsa, <<1:1024>>, Priv, []) end),
    show(public_decrypt_garbage, fun() -> crypto:public_decrypt(rsa, <<1:1024>>, Pub, []) end),
    %% Key generation.
    show(generate, fun() ->
         {GPub, GPriv} = crypto:generate_key(rsa, {1024, 65537}),
         [E, N, D, P1, P2, E1, E2, C] = [crypto:bytes_to_integer(X) || X <- GPriv],
         S = crypto:sign(rsa, sha256, Msg, GPriv),
         {length(GPub), length(GPriv), E, bit_size(binary:encode_unsigned(N)), P1 * P2 =:= N,
          P1 > P2, D rem (P1 - 1) =:= E1, D rem (P2 - 1) =:= E2, (C * P2) rem P1,
          crypto:verify(rsa, sha256, Msg, S, GPub)} end),
    show(generate_e3, fun() ->
         {[E, _], _} = crypto:generate_key(rsa, {512, 3}), E end),
    %% mod_pow.
    [show({mod_pow, A, B, C}, fun() -> crypto:mod_pow(A, B, C) end)
     || {A, B, C} <- [{2, 10, 1000}, {3, 0, 7}, {0, 5, 7}, {5, 5, 1}, {5, 5, 0}, {<<>>, 1, 7},
                      {a, 1, 7}, {-2, 3, 7}, {2, -3, 7}, {7, 1, 7}, {<<0, 0, 2>>, <<3>>, <<0, 100>>},
                      {2, 1 bsl 70, (1 bsl 127) - 1}]],
    %% Errors.
    Errors =
        [{sign_badalg, fun() -> crypto:sign(foo, sha256, Msg, Priv) end},
         {sign_baddig, fun() -> crypto:sign(rsa, foo, Msg, Priv) end},
         {sign_blake2b, fun() -> crypto:sign(rsa, blake2b, Msg, Priv) end},
         {verify_blake2b, fun() -> crypto:verify(rsa, blake2b, Msg, S256, Pub) end},
         {sign_badkey, fun() -> crypto:sign(rsa, sha256, Msg, [1, 2]) end},
         {sign_badkey2, fun() -> crypto:sign(rsa, sha256, Msg, foo) end},
         {sign_pubkey, fun() -> crypto:sign(rsa, sha256, Msg, Pub) end},
         {sign_baddata, fun() -> crypto:sign(rsa, sha256, foo, Priv) end},
         {sign_badpad, fun() -> crypto:sign(rsa, sha256, Msg, Priv, [{rsa_padding, foo}]) end},
         {sign_oaep, fun() -> crypto:sign(rsa, sha256, Msg, Priv,
                                          [{rsa_padding, rsa_pkcs1_oaep_padding}]) end},
         {sign_nopad, fun() -> crypto:sign(rsa, sha256, Msg, Priv,
                                           [{rsa_padding, rsa_no_padding}]) end},
         {verify_nopad, fun() -> crypto:verify(rsa, sha256, Msg, S256, Pub,
                                               [{rsa_padding, rsa_no_padding}]) end},
         {sign_notuple, fun() -> crypto:sign(rsa, sha256, Msg, Priv, [foo]) end},
         {sign_notlist, fun() -> crypto:sign(rsa, sha256, Msg, Priv, foo) end},
         {sign_unknown_opt, fun() -> crypto:sign(rsa, sha256, Msg, Priv, [{foo, bar}]) end},
         {sign_badsalt, fun() -> crypto:sign(rsa, sha256, Msg, Priv,
                                             [{rsa_padding, rsa_pkcs1_pss_padding},
                                              {rsa_pss_saltlen, foo}]) end},
         {sign_salt_m3, fun() -> crypto:sign(rsa, sha256, Msg, Priv,
                                             [{rsa_padding, rsa_pkcs1_pss_padding},
                                              {rsa_pss_saltlen, -3}]) end},
         {sign_badmgf, fun() -> crypto:sign(rsa, sha256, Msg, Priv,
                                            [{rsa_padding, rsa_pkcs1_pss_padding},
                                             {rsa_mgf1_md, foo}]) end},
         {sign_pss_none, fun() -> crypto:sign(rsa, none, Msg, Priv,
                                              [{rsa_padding, rsa_pkcs1_pss_padding}]) end},
         {sign_none_long, fun() -> crypto:sign(rsa, none, binary:copy(<<1>>, 118), Priv) end},
         {sign_digest_bits, fun() -> crypto:sign(rsa, sha256, {digest, <<1:255>>}, Priv) end},
         {sign_digest_size, fun() -> crypto:sign(rsa, sha256, {digest, <<1:248>>}, Priv) end},
         {verify_badsig, fun() -> crypto:verify(rsa, sha256, Msg, foo, Pub) end},
         {verify_badkey, fun() -> crypto:verify(rsa, sha256, Msg, S256, [a]) end},
         {verify_privkey, fun() -> crypto:verify(rsa, sha256, Msg, S256, Priv) end},
         {verify_oaep, fun() -> crypto:verify(rsa, sha256, Msg, S256, Pub,
                                              [{rsa_padding, rsa_pkcs1_oaep_padding}]) end},
         {enc_badpad, fun() -> crypto:public_encrypt(rsa, Text, Pub, foo) end},
         {enc_pss, fun() -> crypto:public_encrypt(rsa, Text, Pub, rsa_pkcs1_pss_padding) end},
         {enc_badopt, fun() -> crypto:public_encrypt(rsa, Text, Pub, [foo]) end},
         {enc_unknown_opt, fun() -> crypto:public_encrypt(rsa, Text, Pub, [{foo, bar}]) end},
         {enc_notlist, fun() -> crypto:public_encrypt(rsa, Text, Pub, {a}) end},
         {enc_badalg, fun() -> crypto:public_encrypt(foo, Text, Pub, []) end},
         {enc_badkey, fun() -> crypto:public_encrypt(rsa, Text, [1], []) end},
         {enc_privkey, fun() -> crypto:public_encrypt(rsa, Text, Priv, []) end},
         {enc_badtext, fun() -> crypto:public_encrypt(rsa, foo, Pub, []) end},
         {enc_iolist, fun() -> crypto:public_encrypt(rsa, [<<"a">>], Pub, []) end},
         {enc_badmd, fun() -> crypto:public_encrypt(rsa, Text, Pub,
                                                    [{rsa_padding, rsa_pkcs1_oaep_padding},
                                                     {rsa_oaep_md, foo}]) end},
         {enc_badlabel, fun() -> crypto:public_encrypt(rsa, Text, Pub,
                                                       [{rsa_padding, rsa_pkcs1_oaep_padding},
                                                        {rsa_oaep_label, foo}]) end},
         {enc_badsigmd, fun() -> crypto:public_encrypt(rsa, Text, Pub, [{signature_md, foo}]) end},
         {dec_pubkey, fun() -> crypto:private_decrypt(rsa, <<1, 2, 3>>, Pub, []) end},
         {dec_short, fun() -> crypto:private_decrypt(rsa, <<1, 2, 3>>, Priv, []) end},
         {penc_pubkey, fun() -> crypto:private_encrypt(rsa, Text, Pub, []) end},
         {penc_oaep, fun() -> crypto:private_encrypt(rsa, Text, Priv, rsa_pkcs1_oaep_padding) end},
         {pdec_oaep, fun() -> crypto:public_decrypt(rsa, <<1:1024>>, Pub, rsa_pkcs1_oaep_padding) end},
         {gen_badbits, fun() -> crypto:generate_key(rsa, {foo, 65537}) end},
         {gen_badexp, fun() -> crypto:generate_key(rsa, {1024, foo}) end},
         {gen_small, fun() -> crypto:generate_key(rsa, {100, 65537}) end},
         {gen_511, fun() -> crypto:generate_key(rsa, {511, 65537}) end},
         {gen_even, fun() -> crypto:generate_key(rsa, {512, 4}) end},
         {gen_e1, fun() -> crypto:generate_key(rsa, {512, 1}) end}],
    [show(N, F) || {N, F} <- Errors],
    ok.

key() ->
    [65537,
     137425476973275118678614230166823787065158921412889397093993049618339883568291773666248767898738561916032568551516757091363768476084161519780991528390843099132926103807404201786232836577711226399498281072518318727336765094212518029201677821020994566457316286837360047356796067843434801170809767173283418478681,
     126286667847406717158544669603383776736792896258468711414708201676373948882316432992810657288272729776966621008210578693369897256086922311500529697687390698735772275942159347081127523966581625801067102671298450982005334143676515956241496178696092909631252729679021233242410403427937643867145199476782499121573,
     13220349405484516313890446579116908533106634487111290427234594758537895319493301455474601232552397168718970906172473392261625331403324835314828662809452587,
     10394995832429632642903576136444648936379214400723056258748737297817850983073480978924863832731893216722785938896668246469406866380558783170682355857761163,
     12829005922465153791209404322628408867967447906935269196039466604494171668428757688997333026941037928788629212808807091073173721733635191594323183372640739,
     1799936107945305266210991989202646995285584097828787439526994992990783419380164825195528552937142747201888625274263259852218275473191953727221315810517321,
     4884192997871885915137426972189528747446292493323667388527549467978760755603134866439683552556524859481765651414876520030609026450370396205993574376429299].
erl_pss() ->
    <<62,79,193,64,113,240,226,209,118,250,51,190,220,4,83,41,13,62,224,42,19,
      226,245,184,220,185,96,150,115,135,48,78,81,38,11,238,209,100,95,167,31,
      79,237,36,242,249,216,124,74,192,118,135,124,186,5,48,169,16,151,244,75,
      102,229,230,120,85,7,85,104,238,155,159,214,173,10,237,154,166,135,11,
      131,158,124,224,112,170,248,72,55,239,11,254,27,48,89,22,46,82,79,57,27,
      25,225,41,193,41,84,210,54,42,126,101,58,72,91,144,19,2,66,44,36,15,174,
      222,66,251,144,20>>.
erl_oaep() ->
    <<29,38,147,152,3,249,177,204,253,11,200,167,49,97,206,231,27,130,16,159,
      45,182,96,3,31,125,157,221,116,193,213,235,5,81,199,220,150,120,17,56,
      156,197,182,119,164,98,193,253,229,101,149,136,115,87,26,61,71,42,240,78,
      188,75,185,195,41,116,43,82,206,45,131,48,226,149,58,90,239,172,127,29,
      21,19,103,78,131,108,143,232,200,31,72,120,204,91,9,233,177,13,60,114,
      101,107,232,209,148,99,173,248,92,179,166,207,228,9,142,52,32,173,198,51,
      136,120,7,49,106,42,61,8>>.
erl_pkcs1() ->
    <<3,141,67,105,123,9,37,103,41,80,172,42,96,77,181,45,245,63,150,80,208,
      125,73,126,122,129,17,15,19,150,61,5,145,142,211,56,2,238,123,134,155,19,
      185,175,11,3,247,240,161,97,250,13,59,20,164,107,151,18,39,189,192,41,43,
      44,43,150,69,217,199,25,14,68,122,161,69,235,146,33,84,252,44,42,39,245,
      207,57,81,204,39,116,83,46,25,162,167,160,172,11,117,153,169,148,198,108,
      176,20,201,243,4,156,194,57,68,59,168,212,85,227,44,76,173,125,196,88,
      146,83,92,102>>.
