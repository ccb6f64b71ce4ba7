%% Public-key crypto through OTP's public_key: PEM keys and certificates
%% made once with openssl and embedded, pkix_verify on an RSA and an
%% ECDSA self-signed certificate, pkix_sign re-signing the RSA one (PKCS
%% #1 v1.5 is deterministic: the same DER), sign/verify and
%% encrypt/decrypt with the records, and generate_key.
-module(run_crypto_pubkey_pk).
-export([main/0]).

-include_lib("public_key/include/public_key.hrl").

hex(Bin) when is_binary(Bin), byte_size(Bin) =< 32 -> binary:encode_hex(Bin);
hex(Bin) when is_binary(Bin) -> {byte_size(Bin), binary:encode_hex(erlang:md5(Bin))};
hex(T) when is_tuple(T) -> list_to_tuple([hex(X) || X <- tuple_to_list(T)]);
hex(Other) -> Other.

try_(F) ->
    try F() of V -> hex(V) catch C:E -> {C, E} end.

show(Name, F) -> io:format("~p: ~p~n", [Name, try_(F)]).

decode(Pem) ->
    [Entry] = public_key:pem_decode(Pem),
    public_key:pem_entry_decode(Entry).

cert_der(Pem) ->
    [{'Certificate', Der, not_encrypted}] = public_key:pem_decode(Pem),
    Der.

cert_public_key(Der) ->
    Cert = public_key:pkix_decode_cert(Der, otp),
    Tbs = Cert#'OTPCertificate'.tbsCertificate,
    Info = Tbs#'OTPTBSCertificate'.subjectPublicKeyInfo,
    case Info#'OTPSubjectPublicKeyInfo'.subjectPublicKey of
        #'ECPoint'{} = Point ->
            {Point, (Info#'OTPSubjectPublicKeyInfo'.algorithm)#'PublicKeyAlgorithm'.parameters};
        Key ->
            Key
    end.

main() ->
    Msg = <<"enigma">>,
    RsaKey = decode(rsa_key()),
    RsaPub = #'RSAPublicKey'{modulus = RsaKey#'RSAPrivateKey'.modulus,
                             publicExponent = RsaKey#'RSAPrivateKey'.publicExponent},
    RsaDer = cert_der(rsa_cert()),
    show(rsa_key, fun() -> {element(1, RsaKey), RsaKey#'RSAPrivateKey'.publicExponent} end),
    show(rsa_cert_key, fun() -> cert_public_key(RsaDer) =:= RsaPub end),
    show(rsa_pkix_verify, fun() -> public_key:pkix_verify(RsaDer, RsaPub) end),
    show(rsa_pkix_verify_wrong, fun() ->
         public_key:pkix_verify(RsaDer, RsaPub#'RSAPublicKey'{publicExponent = 3}) end),
    show(rsa_pkix_is_self_signed, fun() -> public_key:pkix_is_self_signed(RsaDer) end),
    show(rsa_pkix_sign_same, fun() ->
         Cert = public_key:pkix_decode_cert(RsaDer, otp),
         public_key:pkix_sign(Cert#'OTPCertificate'.tbsCertificate, RsaKey) =:= RsaDer end),
    show(rsa_sign, fun() -> public_key:sign(Msg, sha256, RsaKey) end),
    show(rsa_verify, fun() ->
         S = public_key:sign(Msg, sha256, RsaKey),
         {public_key:verify(Msg, sha256, S, RsaPub), public_key:verify(<<"x">>, sha256, S, RsaPub)} end),
    show(rsa_pss, fun() ->
         Opts = [{rsa_padding, rsa_pkcs1_pss_padding}, {rsa_pss_saltlen, 32}],
         S = public_key:sign(Msg, sha256, RsaKey, Opts),
         public_key:verify(Msg, sha256, S, RsaPub, Opts) end),
    show(rsa_encrypt, fun() ->
         C = public_key:encrypt_public(Msg, RsaPub),
         public_key:decrypt_private(C, RsaKey) end),
    show(rsa_encrypt_oaep, fun() ->
         Opts = [{rsa_padding, rsa_pkcs1_oaep_padding}],
         C = public_key:encrypt_public(Msg, RsaPub, Opts),
         public_key:decrypt_private(C, RsaKey, Opts) end),
    show(rsa_encrypt_private, fun() ->
         C = public_key:encrypt_private(Msg, RsaKey),
         {C, public_key:decrypt_public(C, RsaPub)} end),
    EcKey = decode(ec_key()),
    EcDer = cert_der(ec_cert()),
    EcPub = cert_public_key(EcDer),
    show(ec_key, fun() -> {element(1, EcKey), EcKey#'ECPrivateKey'.parameters} end),
    show(ec_pkix_verify, fun() -> public_key:pkix_verify(EcDer, EcPub) end),
    show(ec_pkix_verify_rsa, fun() -> public_key:pkix_verify(EcDer, RsaPub) end),
    show(ec_sign_verify, fun() ->
         S = public_key:sign(Msg, sha256, EcKey),
         {public_key:verify(Msg, sha256, S, EcPub), public_key:verify(<<"x">>, sha256, S, EcPub)} end),
    show(ec_pkix_sign, fun() ->
         Cert = public_key:pkix_decode_cert(EcDer, otp),
         Der = public_key:pkix_sign(Cert#'OTPCertificate'.tbsCertificate, EcKey),
         public_key:pkix_verify(Der, EcPub) end),
    show(ec_generate, fun() ->
         K = public_key:generate_key({namedCurve, secp384r1}),
         Pub = {#'ECPoint'{point = K#'ECPrivateKey'.publicKey}, K#'ECPrivateKey'.parameters},
         public_key:verify(Msg, sha384, public_key:sign(Msg, sha384, K), Pub) end),
    show(rsa_generate, fun() ->
         K = public_key:generate_key({rsa, 1024, 65537}),
         Pub = #'RSAPublicKey'{modulus = K#'RSAPrivateKey'.modulus,
                               publicExponent = K#'RSAPrivateKey'.publicExponent},
         {element(1, K), public_key:verify(Msg, sha, public_key:sign(Msg, sha, K), Pub)} end),
    show(ed25519, fun() ->
         {Pub, Priv} = crypto:generate_key(eddsa, ed25519, <<7:256>>),
         K = #'ECPrivateKey'{version = 1, privateKey = Priv, publicKey = Pub,
                             parameters = {namedCurve, ?'id-Ed25519'}},
         S = public_key:sign(Msg, none, K),
         {S, public_key:verify(Msg, none, S, {#'ECPoint'{point = Pub}, {namedCurve, ?'id-Ed25519'}})} end),
    ok.

rsa_key() ->
    <<"-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCTeAyMga36DqOZ\nKh2yQCMGRbik7SCPsAzOsplHVun13u0Dxoar268gfExDkW/Ff5jTFAPVqifRVSKf\noXHJuidsqY6io2KYxwS0ptIba2jQ1ITzTLygt69XpJP74ZvHgWhV+YQu2z+G667D\nbNtuCa8XT1bYyP7eLObseiBdXQaqyaDedLKCb/Umg0wtWCG/aNk2zSXO7s87Y/jq\nWutDc0DsInL3DHREs3eLh5kTO2WZm560we7UjVdBxvrj2sfQ76OLwXmo2z9tAjIl\n9b4SwoIg37lhTVbJ/Gr3Uaobsuk4X0MNS+S1DFBgP5+E1HAMSrdOe0X/ZL80brd6\nuF4EwZc3AgMBAAECggEABMdSGMd8UhW2sBg7nXK9785t56JAzjHVPb7EgBmikTNn\nw285Hp6KyTxd4vP2humAk+5vxV+zKfGz99pCbAKv6QcsNmb2+J5nr6GW6LPip0m2\nWS/2Y3ra9WBsOdrwslamK+BfASmySvaeKM+r40qbCt/+Sh4RQYp7nSlunQ04/GsU\nREE+AjLFOAAwWFLqCsArFd989juuPnEV/b7p1xH2PNg7lgoncuVrpxp8sc36qHZj\nKD3K24IpIFA1P5MVAauklE4QCU2uIHnwu2CujfhOUo/7YUuQ+DeNF+jzP4qDRSwf\nbWY4nx4WwTkzYzDwoEBcVGMPvh0549Pg1CkZEcVh6QKBgQDLI90aV/PTwMYqaWD1\nLb8o7UJTr16a0okLEZw/1l7qoNAcwd0gwV5ow485lV0a7WshDvp9ih3xAp+FbB3c\na4KgQCtt/wZJhheOQScG86osSeB07A0WjOU1Q1tnA4FoTwkQxg5Qt6Ec5M1V2tI8\n5PJrIaUGrL9NVhq572RA3CdMpQKBgQC516mvTEO0aTnGcz+onHyVexkV0tGGAS+U\nqam0Tu0z6/P6PQLyTnfo6BlYvwCsBU7LNBwstDEzj2XLPhO5HjmrlYYsNPn04Ovc\nWff9j/u7CL77p6VRLnEZj2QZzvhjLKy3az7xF1S265mXsMzR49cz74MYUzZr1a08\nbK2xNIXBqwKBgA3qCfYI+jmR5cD38N06YfKitb1XsMo4C40HisVQoLW/iCHAIa5h\nsF7Krl/KXFNA2eqsxPmeYUil3llcO3tindLuMktZgYu9tJVY3xx5yjk4YjiABrF5\nuyV31KXstot3hm5wsoBS46VAAtSTpXzoTbaK2mvnnz7j2/bKb/qFWefFAoGAPXMI\nEoSfJnpctjfJZtFHiI3Jf6PT0AF4YCmxiYNHf5GXfLjLzp8Pmx2Ts/qEGF0w7pPu\ndQGn+yqBODDwiJdr7kZktR1XQRdWJehBzb/cNr3vmHqYeT1n/FGjgb0j+Hb/LS7z\nAvj58/n3MWcucoBp2ixqJpLtPb7Lp10wGZYKXD0CgYBHpanVoXyZ3GIWI4zTcXVC\nd7DR3USlVzyEQgxSPremBwUQRyJ7b4qXid7iGhO/tRzv0No894IC51YEyi7sCD/j\nzGs6LQyCJNnsgJwQp4diMrJdLORudF+gOZgF/FENhSefpRcEw6QZWuRJJ+Sp13rH\nwLlxMiW1izqIwiBfsa/K2Q==\n-----END PRIVATE KEY-----\n">>.
rsa_cert() ->
    <<"-----BEGIN CERTIFICATE-----\nMIIDDzCCAfegAwIBAgIUITAvUJbgJ6WhWSxuY04+Q6G1rwwwDQYJKoZIhvcNAQEL\nBQAwFjEUMBIGA1UEAwwLZW5pZ21hLXRlc3QwIBcNMjYxMjA3MTIxNzA3WhgPMjEy\nNjExMTMxMjE3MDdaMBYxFDASBgNVBAMMC2VuaWdtYS10ZXN0MIIBIjANBgkqhkiG\n9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk3gMjIGt+g6jmSodskAjBkW4pO0gj7AMzrKZ\nR1bp9d7tA8aGq9uvIHxMQ5FvxX+Y0xQD1aon0VUin6FxybonbKmOoqNimMcEtKbS\nG2to0NSE80y8oLevV6ST++Gbx4FoVfmELts/huuuw2zbbgmvF09W2Mj+3izm7Hog\nXV0Gqsmg3nSygm/1JoNMLVghv2jZNs0lzu7PO2P46lrrQ3NA7CJy9wx0RLN3i4eZ\nEztlmZuetMHu1I1XQcb649rH0O+ji8F5qNs/bQIyJfW+EsKCIN+5YU1Wyfxq91Gq\nG7LpOF9DDUvktQxQYD+fhNRwDEq3TntF/2S/NG63erheBMGXNwIDAQABo1MwUTAd\nBgNVHQ4EFgQUxx46kAzHGxEQH6zggJ3KW6brTH8wHwYDVR0jBBgwFoAUxx46kAzH\nGxEQH6zggJ3KW6brTH8wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC\nAQEAOpKI68+EA/QkslYDC2L4K2hDELo8z9/495lykTCcuHCW4WUM2lUPk8wd4iiC\n1wX3AKy3IC6goyKU8gOtSYv920KqlYEDjycmxwSod1PH4+Sgdh7S2kYjjM/5ko4K\n/I08DTLbrpUefrxz3iFcsgoMpSpbB6sRQbZiLbsZM512ULG8bXf02im08JLeXt2q\nADD+fBigeIemtQGh9+sYnEaoju4wdCll2UzE8XIRI3LOSMkbj+VfaQ/40Ir54Str\nILHNexbSCDBy/gdbtIBZzSWFR8DDWEseiPiRvwgDWtZlz8OhWCe4/3Yh9cQ/3jlg\n1zYs1MAaOQkfxRcMsGhE0qYC/A==\n-----END CERTIFICATE-----\n">>.
ec_key() ->
    <<"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWvLgKPETQdOAFEt6\nLkiC5j64qR3zZARlxdNFAdujRrahRANCAATvXwzZM91pyl0brPGrlODs9KvqkQnB\n5SWziOQNjq8qZcgmGLEbW7HhyGj9d8SSswvI41td1B282t+xneACrkvX\n-----END PRIVATE KEY-----\n">>.
ec_cert() ->
    <<"-----BEGIN CERTIFICATE-----\nMIIBgDCCASWgAwIBAgIUG04IwjK3WXOz7Q/UMFYKrh0yDhowCgYIKoZIzj0EAwIw\nFDESMBAGA1UEAwwJZW5pZ21hLWVjMCAXDTI2MTIwNzEyMTcwN1oYDzIxMjYxMTEz\nMTIxNzA3WjAUMRIwEAYDVQQDDAllbmlnbWEtZWMwWTATBgcqhkjOPQIBBggqhkjO\nPQMBBwNCAATvXwzZM91pyl0brPGrlODs9KvqkQnB5SWziOQNjq8qZcgmGLEbW7Hh\nyGj9d8SSswvI41td1B282t+xneACrkvXo1MwUTAdBgNVHQ4EFgQUSb15tU3Y0QY/\nE9qcsCqxXJT/zYEwHwYDVR0jBBgwFoAUSb15tU3Y0QY/E9qcsCqxXJT/zYEwDwYD\nVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAtsHSJKrZLB3l5SLfcavm\nncm34U7JhN3NR2MpAdg7EcMCIQDYcfzKiuPnLbTSsljLI69vW76NBw4g/CV1Qj/h\nqqVktA==\n-----END CERTIFICATE-----\n">>.
