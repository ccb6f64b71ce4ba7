%% Public-key crypto, elliptic curves and DH: key pairs from fixed private
%% keys on secp256r1, secp384r1, secp521r1 and secp256k1 (printed), ECDH
%% shared secrets, ECDSA round trips over several digests and signatures
%% erl made, Ed25519 (deterministic signatures printed), X25519 (RFC 7748
%% vectors), finite-field DH, DSS (round trips and a signature erl made),
%% and crypto's error terms for bad keys and curves.
-module(run_crypto_pubkey_ec).
-export([main/0]).

hex(Bin) when is_binary(Bin), byte_size(Bin) =< 32 -> binary:encode_hex(Bin);
hex(Bin) when is_binary(Bin) -> {byte_size(Bin), binary:encode_hex(erlang:md5(Bin))};
hex(T) when is_tuple(T) -> list_to_tuple([hex(X) || X <- tuple_to_list(T)]);
hex(Other) -> Other.

try_(F) ->
    try F() of V -> hex(V) catch C:E -> {C, E} end.

show(Name, F) -> io:format("~p: ~p~n", [Name, try_(F)]).

%% RFC 3526's 1536-bit MODP group.
dh_p() ->
    16#FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF.

main() ->
    Msg = <<"enigma">>,
    Curves = [secp256r1, secp384r1, secp521r1, secp256k1],
    [show({key_pair, C}, fun() -> crypto:generate_key(ecdh, C, 16#1234567890ABCDEF + N) end)
     || {N, C} <- lists:zip(lists:seq(1, 4), Curves)],
    show(prime256v1, fun() ->
         crypto:generate_key(ecdh, prime256v1, 7) =:= crypto:generate_key(ecdh, secp256r1, 7) end),
    show(key_pair_one, fun() -> crypto:generate_key(ecdh, secp256r1, 1) end),
    show(key_pair_bin, fun() -> crypto:generate_key(ecdh, secp256r1, <<1>>) end),
    [show({ecdh, C}, fun() ->
         {PA, KA} = crypto:generate_key(ecdh, C, 1000 + N),
         {PB, KB} = crypto:generate_key(ecdh, C, 2000 + N),
         S = crypto:compute_key(ecdh, PB, KA, C),
         {S, S =:= crypto:compute_key(ecdh, PA, KB, C)} end)
     || {N, C} <- lists:zip(lists:seq(1, 4), Curves)],
    [show({ecdh_random, C}, fun() ->
         {PA, KA} = crypto:generate_key(ecdh, C),
         {PB, KB} = crypto:generate_key(ecdh, C),
         {byte_size(PA), byte_size(KA),
          crypto:compute_key(ecdh, PB, KA, C) =:= crypto:compute_key(ecdh, PA, KB, C)} end)
     || C <- Curves],
    show(ecdh_compressed, fun() ->
         crypto:compute_key(ecdh, <<3, 16#6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296:256>>,
                            <<2:256>>, secp256r1) end),
    show(ecdh_short_private, fun() ->
         {P, _} = crypto:generate_key(ecdh, secp256r1, 9),
         crypto:compute_key(ecdh, P, <<5>>, secp256r1) end),
    [show({ecdsa, C, D}, fun() ->
         {P, K} = crypto:generate_key(ecdh, C),
         S = crypto:sign(ecdsa, D, Msg, [K, C]),
         {crypto:verify(ecdsa, D, Msg, S, [P, C]), crypto:verify(ecdsa, D, <<"x">>, S, [P, C])} end)
     || C <- Curves, D <- [sha, sha256, sha384, sha512, sha3_256]],
    [show({ecdsa_erl, C}, fun() ->
         {P, _} = crypto:generate_key(ecdh, C, 16#1234567890ABCDEF + N),
         {crypto:verify(ecdsa, sha256, Msg, S, [P, C]),
          crypto:verify(ecdsa, sha256, <<"other">>, S, [P, C])} end)
     || {N, {C, S}} <- lists:zip(lists:seq(1, 4), erl_sigs())],
    show(ecdsa_digest, fun() ->
         {P, K} = crypto:generate_key(ecdh, secp256r1, 77),
         S = crypto:sign(ecdsa, sha256, {digest, crypto:hash(sha256, Msg)}, [K, secp256r1]),
         crypto:verify(ecdsa, sha256, Msg, S, [P, secp256r1]) end),
    show(ecdsa_int_key, fun() ->
         {P, K} = crypto:generate_key(ecdh, secp256r1, 77),
         S = crypto:sign(ecdsa, sha256, Msg, [crypto:bytes_to_integer(K), secp256r1]),
         crypto:verify(ecdsa, sha256, Msg, S, [P, secp256r1]) end),
    show(ecdsa_garbage_sig, fun() ->
         {P, _} = crypto:generate_key(ecdh, secp256r1, 77),
         crypto:verify(ecdsa, sha256, Msg, <<1, 2, 3>>, [P, secp256r1]) end),
    %% Ed25519 and X25519.
    EdPriv = binary:decode_hex(<<"9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60">>),
    show(ed25519_key, fun() -> crypto:generate_key(eddsa, ed25519, EdPriv) end),
    {EdPub, _} = crypto:generate_key(eddsa, ed25519, EdPriv),
    show(ed25519_rfc8032_empty, fun() -> binary:encode_hex(crypto:sign(eddsa, none, <<>>, [EdPriv, ed25519])) end),
    show(ed25519_sign, fun() -> crypto:sign(eddsa, none, Msg, [EdPriv, ed25519]) end),
    show(ed25519_sign_sha, fun() ->
         crypto:sign(eddsa, sha256, Msg, [EdPriv, ed25519]) =:= crypto:sign(eddsa, none, Msg, [EdPriv, ed25519]) end),
    show(ed25519_verify, fun() ->
         S = crypto:sign(eddsa, none, Msg, [EdPriv, ed25519]),
         <<B, Rest/binary>> = S,
         {crypto:verify(eddsa, none, Msg, S, [EdPub, ed25519]),
          crypto:verify(eddsa, none, <<"x">>, S, [EdPub, ed25519]),
          crypto:verify(eddsa, none, Msg, <<(B bxor 1), Rest/binary>>, [EdPub, ed25519]),
          crypto:verify(eddsa, none, Msg, <<1:8>>, [EdPub, ed25519])} end),
    show(ed25519_random, fun() ->
         {P, K} = crypto:generate_key(eddsa, ed25519),
         {byte_size(P), byte_size(K),
          crypto:verify(eddsa, none, Msg, crypto:sign(eddsa, none, Msg, [K, ed25519]), [P, ed25519])} end),
    show(ed25519_bad_point, fun() ->
         crypto:verify(eddsa, none, Msg, <<1:512>>, [<<2:256>>, ed25519]) end),
    XA = binary:decode_hex(<<"77076D0A7318A57D3C16C17251B26645DF4C2F87EBC0992AB177FBA51DB92C2A">>),
    XB = binary:decode_hex(<<"5DAB087E624A8A4B79E17F8B83800EE66F3BB1292618B6FD1C2F8B27FF88E0EB">>),
    show(x25519_key, fun() -> crypto:generate_key(ecdh, x25519, XA) end),
    show(x25519_shared, fun() ->
         {PA, _} = crypto:generate_key(ecdh, x25519, XA),
         {PB, _} = crypto:generate_key(eddh, x25519, XB),
         S = crypto:compute_key(ecdh, PB, XA, x25519),
         {S, S =:= crypto:compute_key(eddh, PA, XB, x25519)} end),
    show(x25519_random, fun() ->
         {PA, KA} = crypto:generate_key(ecdh, x25519),
         {PB, KB} = crypto:generate_key(ecdh, x25519),
         {byte_size(PA), byte_size(KA),
          crypto:compute_key(ecdh, PB, KA, x25519) =:= crypto:compute_key(ecdh, PA, KB, x25519)} end),
    show(x25519_one, fun() -> crypto:generate_key(ecdh, x25519, <<1:256>>) end),
    show(x25519_nine, fun() -> crypto:compute_key(ecdh, <<9:256>>, <<1:256>>, x25519) end),
    %% Finite-field DH.
    P = dh_p(),
    show(dh_shared, fun() -> crypto:compute_key(dh, 2, 16#1234567, [P, 2]) end),
    show(dh_small_result, fun() -> crypto:compute_key(dh, 4, 3, [P, 2]) end),
    show(dh_round_trip, fun() ->
         {PA, KA} = crypto:generate_key(dh, [P, 2]),
         {PB, KB} = crypto:generate_key(dh, [P, 2]),
         {byte_size(PA) =< 192, byte_size(KA) =< 192,
          crypto:compute_key(dh, PB, KA, [P, 2]) =:= crypto:compute_key(dh, PA, KB, [P, 2])} end),
    show(dh_binary_params, fun() ->
         {PA, _} = crypto:generate_key(dh, [<<P:1536>>, <<2>>]), byte_size(PA) =< 192 end),
    %% DSS, FIPS 186's 1024/160 example domain.
    DP = 16#86F5CA03DCFEB225063FF830A0C769B9DD9D6153AD91D7CE27F787C43278B447E6533B86B18BED6E8A48B784A14C252C5BE0DBF60B86D6385BD2F12FB763ED8873ABFD3F5BA2E0A8C0A59082EAC056935E529DAF7C610467899C77ADEDFC846C881870B7B19B2B58F9BE0521A17002E3BDD6B86685EE90B3D9A1B02B782B1779,
    DQ = 16#996F967F6C8E388D9E28D01E205FBA957A5698B1,
    DG = 16#07B0F92546150B62514BB771E2A0C0CE387F03BDA6C56B505209FF25FD3C133D89BBCD97E904E09114D9A7DEFDEADFC9078EA544D2E401AEECC40BB9FBBF78FD87995A10A1C27CB7789B594BA7EFB5C4326A9FE59A070E136DB77175464ADCA417BE5DCE2F40D10A46A3A3943F26AB7FD9C0398FF8C76EE0A56826A8A88F1DBD,
    DX = 16#411602CB19A6CCC34494D79D98EF1E7ED5AF25F7,
    DY = crypto:bytes_to_integer(crypto:mod_pow(DG, DX, DP)),
    [show({dss, D}, fun() ->
         S = crypto:sign(dss, D, Msg, [DP, DQ, DG, DX]),
         {crypto:verify(dss, D, Msg, S, [DP, DQ, DG, DY]),
          crypto:verify(dss, D, <<"x">>, S, [DP, DQ, DG, DY])} end)
     || D <- [sha, sha224, sha256, sha512]],
    show(dss_erl, fun() ->
         S = <<48,44,2,20,120,74,17,28,255,93,163,231,130,100,207,21,123,206,62,143,179,11,
               54,188,2,20,33,216,137,43,26,68,214,48,153,187,145,36,188,25,228,128,192,188,
               232,142>>,
         <<H:10/binary, B, T/binary>> = S,
         {crypto:verify(dss, sha, <<"abc">>, S, [DP, DQ, DG, DY]),
          crypto:verify(dss, sha, <<"abd">>, S, [DP, DQ, DG, DY]),
          crypto:verify(dss, sha, <<"abc">>, <<H/binary, (B bxor 1), T/binary>>, [DP, DQ, DG, DY])} end),
    show(dss_digest, fun() ->
         S = crypto:sign(dss, sha, {digest, crypto:hash(sha, Msg)}, [DP, DQ, DG, DX]),
         crypto:verify(dss, sha, Msg, S, [DP, DQ, DG, DY]) end),
    show(dss_none, fun() -> crypto:sign(dss, none, crypto:hash(sha, Msg), [DP, DQ, DG, DX]) end),
    show(dss_garbage_sig, fun() -> crypto:verify(dss, sha, Msg, <<1, 2>>, [DP, DQ, DG, DY]) end),
    show(dss_short_key, fun() -> crypto:sign(dss, sha, Msg, [DP, DQ, DG]) end),
    show(dss_short_pub, fun() -> crypto:verify(dss, sha, Msg, <<1, 2>>, [DP, DQ, DG]) end),
    %% Errors.
    {EP, EK} = crypto:generate_key(ecdh, secp256r1, 1234),
    Errors =
        [{ec_sign_badcurve, fun() -> crypto:sign(ecdsa, sha256, Msg, [EK, foo]) end},
         {ec_sign_badkey, fun() -> crypto:sign(ecdsa, sha256, Msg, foo) end},
         {ec_sign_pubkey, fun() -> crypto:sign(ecdsa, sha256, Msg, [EP, secp256r1]) end},
         {ec_sign_none, fun() -> crypto:sign(ecdsa, none, Msg, [EK, secp256r1]) end},
         {ec_sign_x25519, fun() -> crypto:sign(ecdsa, sha256, Msg, [EK, x25519]) end},
         {ec_verify_badsig, fun() -> crypto:verify(ecdsa, sha256, Msg, foo, [EP, secp256r1]) end},
         {ec_verify_badpub, fun() -> crypto:verify(ecdsa, sha256, Msg, <<1>>, [<<4, 1, 2>>, secp256r1]) end},
         {ec_verify_badcurve, fun() -> crypto:verify(ecdsa, sha256, Msg, <<>>, [EP, foo]) end},
         {ec_gen_badcurve, fun() -> crypto:generate_key(ecdh, foo) end},
         {ec_gen_ed25519, fun() -> crypto:generate_key(ecdh, ed25519) end},
         {ec_gen_badkey, fun() -> crypto:generate_key(ecdh, secp256r1, foo) end},
         {ec_gen_zero, fun() -> crypto:generate_key(ecdh, secp256r1, 0) end},
         {ec_gen_big, fun() -> crypto:generate_key(ecdh, secp256r1, 1 bsl 300) end},
         {ecdh_badpub, fun() -> crypto:compute_key(ecdh, <<4, 1, 2>>, EK, secp256r1) end},
         {ecdh_others_bad, fun() -> crypto:compute_key(ecdh, foo, EK, secp256r1) end},
         {ecdh_badpriv, fun() -> crypto:compute_key(ecdh, EP, foo, secp256r1) end},
         {ecdh_zero, fun() -> crypto:compute_key(ecdh, EP, <<0:256>>, secp256r1) end},
         {ecdh_badcurve, fun() -> crypto:compute_key(ecdh, EP, EK, foo) end},
         {ed_sign_badkey, fun() -> crypto:sign(eddsa, none, Msg, [<<1, 2>>, ed25519]) end},
         {ed_sign_badcurve, fun() -> crypto:sign(eddsa, none, Msg, [<<1:256>>, x25519]) end},
         {ed_sign_badmsg, fun() -> crypto:sign(eddsa, none, foo, [<<1:256>>, ed25519]) end},
         {ed_verify_badpub, fun() -> crypto:verify(eddsa, none, Msg, <<1:512>>, [<<1:8>>, ed25519]) end},
         {ed_verify_badsig, fun() -> crypto:verify(eddsa, none, Msg, foo, [<<1:256>>, ed25519]) end},
         {ed_gen_badcurve, fun() -> crypto:generate_key(eddsa, foo) end},
         {ed_gen_int, fun() -> crypto:generate_key(eddsa, ed25519, 5) end},
         {x_gen_short, fun() -> crypto:generate_key(ecdh, x25519, <<1:248>>) end},
         {x_gen_atom, fun() -> crypto:generate_key(ecdh, x25519, foo) end},
         {x_cmp_short_pub, fun() -> crypto:compute_key(ecdh, <<9:248>>, <<1:256>>, x25519) end},
         {x_cmp_short_priv, fun() -> crypto:compute_key(ecdh, <<9:256>>, <<1:248>>, x25519) end},
         {x_cmp_zero, fun() -> crypto:compute_key(ecdh, <<0:256>>, <<1:256>>, x25519) end},
         {x_cmp_badpub, fun() -> crypto:compute_key(ecdh, foo, <<1:256>>, x25519) end},
         {dh_small_p, fun() -> crypto:generate_key(dh, [23, 5]) end},
         {dh_511, fun() -> crypto:generate_key(dh, [(1 bsl 510) + 1, 2]) end},
         {dh_bad_p, fun() -> crypto:generate_key(dh, [foo, 5]) end},
         {dh_bad_priv, fun() -> crypto:generate_key(dh, [P, 2], foo) end},
         {dh_bad_len, fun() -> crypto:generate_key(dh, [P, 2, foo]) end},
         {dh_cmp_small_p, fun() -> crypto:compute_key(dh, 19, 6, [23, 5]) end},
         {dh_cmp_pub1, fun() -> crypto:compute_key(dh, 1, 6, [P, 2]) end},
         {dh_cmp_pubp, fun() -> crypto:compute_key(dh, P - 1, 6, [P, 2]) end},
         {dh_cmp_badpub, fun() -> crypto:compute_key(dh, foo, 6, [P, 2]) end},
         {dh_cmp_badpriv, fun() -> crypto:compute_key(dh, 19, foo, [P, 2]) end},
         {dh_cmp_badparams, fun() -> crypto:compute_key(dh, 19, 6, foo) end},
         {dh_cmp_no_g, fun() -> crypto:compute_key(dh, 19, 6, [P]) end}],
    [show(N, F) || {N, F} <- Errors],
    ok.

erl_sigs() ->
    [{secp256r1,<<48,68,2,32,69,139,202,169,166,67,133,233,242,121,174,52,177,
                  248,104,74,141,20,34,46,118,1,28,201,218,201,98,107,146,13,
                  34,247,2,32,95,181,71,172,91,44,191,207,225,76,54,188,69,78,
                  76,203,83,192,243,186,56,165,217,179,28,77,117,173,19,8,241,
                  19>>},
     {secp384r1,<<48,100,2,48,79,9,254,145,90,10,68,146,249,16,114,147,97,218,
                  255,233,149,26,186,209,107,189,215,27,209,14,156,188,75,196,
                  114,11,42,147,192,74,233,223,126,154,176,114,101,24,224,73,
                  223,64,2,48,47,40,105,76,73,212,15,156,172,127,68,236,193,
                  104,103,130,51,115,162,61,187,203,244,81,151,229,50,180,137,
                  5,150,68,38,236,249,146,48,22,123,3,224,35,173,151,180,165,
                  184,22>>},
     {secp521r1,<<48,129,135,2,66,1,57,39,54,181,147,248,83,52,215,114,144,
                  254,214,116,61,173,204,165,69,239,175,14,151,109,151,186,
                  154,54,18,32,188,76,125,215,15,31,16,251,2,244,247,174,62,
                  160,87,180,69,180,145,137,72,100,26,130,106,209,4,91,162,
                  213,230,6,151,54,137,2,65,59,180,45,76,113,73,53,181,143,22,
                  138,107,175,226,55,179,127,3,85,246,56,198,32,249,244,221,
                  201,241,150,231,31,53,41,100,69,152,57,183,100,14,15,42,49,
                  0,148,34,158,190,130,181,133,13,165,125,107,33,123,61,190,
                  34,210,170,176,145,21>>},
     {secp256k1,<<48,68,2,32,39,1,143,199,179,7,17,81,144,93,154,229,74,142,
                  242,93,205,174,169,169,42,169,180,139,7,166,125,140,56,170,
                  109,82,2,32,85,208,29,250,237,92,7,124,135,46,216,149,246,
                  20,238,25,70,137,220,25,22,198,8,7,35,92,4,72,145,11,212,
                  255>>}].
