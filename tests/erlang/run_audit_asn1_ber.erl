-module(run_audit_asn1_ber).
-export([main/0]).

%% asn1's BER runtime (asn1rt_nif's decode_ber_tlv/encode_ber_tlv), as
%% public_key uses it to read and write certificates and keys, and on
%% crafted TLVs, errors included.

t(F) -> try F() catch C:R -> {C, R} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

cert() -> <<"-----BEGIN CERTIFICATE-----\nMIIB+jCCAWOgAwIBAgIUHHYXisW2IRDaVkNY6sKCux1pITowDQYJKoZIhvcNAQEL\nBQAwDzENMAsGA1UEAwwEdGVzdDAeFw0yNjEyMDcwOTIyNTVaFw0yNjEyMDgwOTIy\nNTVaMA8xDTALBgNVBAMMBHRlc3QwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGB\nAOQypCaZhWSSl3Jhvbih1mWwmNrT+NxaZTAN07NAbcKctIVpK6kaeJNY6KrPg10V\n/DUp73ACzHF/hJZMWYQYc+X3J2tVazI0EC5sR8JdleU2o3Gsji0CRbS/xvLi6uuY\n9M4o9Psaw9dLt/4o0pjCGUlXAmrXt8sNZAXGFdIzc9SdAgMBAAGjUzBRMB0GA1Ud\nDgQWBBQBPYPJvkooWuQ1/fCzpxrPRHuptzAfBgNVHSMEGDAWgBQBPYPJvkooWuQ1\n/fCzpxrPRHuptzAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBACPr\nPdZE99sYScbANpJcsLqINmW08S23RWt0oDZ//7JiEsvUrOyU2i/h4tzvxdY841Hz\njlm2BBvjV2zSRaDBnUVvExc/A1SRknzwBxpubNOanrSdZa1X6HKISe13nF329v2C\nFDUF4MNT4EtdWdh4CKr0gil+KyObv9QHKAcM4ily\n-----END CERTIFICATE-----\n">>.
key() -> <<"-----BEGIN PRIVATE KEY-----\nMIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAOQypCaZhWSSl3Jh\nvbih1mWwmNrT+NxaZTAN07NAbcKctIVpK6kaeJNY6KrPg10V/DUp73ACzHF/hJZM\nWYQYc+X3J2tVazI0EC5sR8JdleU2o3Gsji0CRbS/xvLi6uuY9M4o9Psaw9dLt/4o\n0pjCGUlXAmrXt8sNZAXGFdIzc9SdAgMBAAECgYA1NwYGplhwGqtMljR7AOqRbjxH\nE5V+NWpRaXgL3iN6dba3Qc5Xsf+aROqFIr08kOrurufSVCS+9wDBV+6sGlO0RUTu\n8zCu3ix4MP5NbBLEF00SHr08evIt854BIAWk/fjrD9p7vUU59GJsYAAd09vquh/9\ncctb54EQzLLjzNFLYQJBAPljnNkMLuhaItjO5CBTElbZYtFbcG+8MqnCOSdbTM9f\nFtWK3rjepROT4isLXf7p+EkpEBAWNklYCkQiOGpssakCQQDqPzi7qUR5kZb3lRpN\nAOP1bavUZDbdos2my4J4y/1EeBEhPLk0vHRw61y5tlB0dgt0WdbWsXuGXxgSR79g\n68vVAkAUy8qzisGKnKGVRMNfMq4v0dbcsGxS1PXAlDKh5ookLMDBs9/YuLA5Trao\ncj03WZlbuHHfdYq3WQEaJ2Re84tpAkB+ZLKV/5VlCzusR5WzawGVkiGfLpu0J35T\nu4eg6mC0Kx0DFCLS48TokPatdkQfMvqnQzp7CbUfIfx5EKGhCFopAkEA3r+c34f/\nGKy4GxwgcStE+0l5fqjfiqMUGNG3J+GV9R29iojtF9nZboSToHLTK/PK7N7BVDpZ\n7CtR/m+7aPjd/Q==\n-----END PRIVATE KEY-----\n">>.

main() ->
    [CertEntry] = public_key:pem_decode(cert()),
    [KeyEntry] = public_key:pem_decode(key()),
    p(entries, [{element(1, E), element(3, E), byte_size(element(2, E))} || E <- [CertEntry, KeyEntry]]),
    Cert = public_key:pem_entry_decode(CertEntry),
    p(cert_plain, [element(1, Cert), element(1, element(2, Cert))]),
    Otp = public_key:pkix_decode_cert(element(2, CertEntry), otp),
    TBS = element(2, Otp),
    p(cert_otp, [element(1, Otp), element(2, TBS), element(3, TBS), element(5, TBS), element(6, TBS), element(7, TBS)]),
    p(cert_pubkey, t(fun() -> element(3, element(8, TBS)) end)),
    p(cert_exts, t(fun() -> [element(2, X) || X <- element(11, TBS)] end)),
    p(self_signed, t(fun() -> public_key:pkix_is_self_signed(element(2, CertEntry)) end)),
    p(issuer_id, t(fun() -> public_key:pkix_issuer_id(element(2, CertEntry), self) end)),
    p(subject, t(fun() -> public_key:pkix_subject_id(element(2, CertEntry)) end)),
    p(reencode, t(fun() -> public_key:pkix_encode('OTPCertificate', Otp, otp) =:= element(2, CertEntry) end)),
    p(der_reencode, t(fun() -> public_key:der_encode('Certificate', Cert) =:= element(2, CertEntry) end)),
    Key = public_key:pem_entry_decode(KeyEntry),
    p(key, [element(1, Key), element(2, Key), element(4, Key)]),
    p(key_reencode, t(fun() -> public_key:der_encode('RSAPrivateKey', Key) end) =:= t(fun() -> public_key:der_decode('PrivateKeyInfo', element(2, KeyEntry)) end) orelse same_key),
    p(pem_roundtrip, t(fun() -> Pem = public_key:pem_encode([public_key:pem_entry_encode('RSAPrivateKey', Key)]),
                                [E] = public_key:pem_decode(Pem), public_key:pem_entry_decode(E) =:= Key end)),
    %% the TLV codec itself
    Tlvs = [<<2, 1, 5>>, <<48, 6, 2, 1, 1, 2, 1, 2, 99>>, <<16#5f, 16#1f, 1, 0>>, <<16#1f, 16#81, 16#00, 0>>,
            <<16#bf, 16#83, 16#ff, 16#7f, 0>>, <<16#1f, 16#81, 16#81, 16#01, 0>>, <<16#30, 16#80, 2, 1, 1, 0, 0, 7>>,
            <<16#30, 16#80, 16#30, 16#80, 0, 0, 0, 0>>, <<16#04, 16#80, 1, 0, 0>>, <<16#30, 16#80, 2, 1, 1>>, <<2, 5, 1>>,
            <<2, 16#82, 0, 1, 7>>, <<2, 16#84, 16#7f, 0, 0, 0>>, <<2, 16#85, 1, 1, 1, 1, 1, 0>>, <<2>>, <<>>, <<2, 0>>,
            <<16#30, 3, 2, 2, 1>>, <<16#30, 2, 2, 0, 9>>, <<16#c1, 1, 255>>, <<16#9f, 16#1f, 0>>, [<<48, 3>>, [2, 1], <<7>>],
            <<16#1f, 16#80>>, <<16#30, 16#81, 16#80>>, foo, <<1:3>>],
    p(decode, [t(fun() -> asn1rt_nif:decode_ber_tlv(B) end) || B <- Tlvs]),
    Nest = fun(N) -> lists:foldl(fun(_, A) -> {16, [A]} end, {2, <<1>>}, lists:seq(1, N)) end,
    p(deep, [t(fun() -> {T, R} = asn1rt_nif:decode_ber_tlv(asn1rt_nif:encode_ber_tlv(Nest(N))), {depth(T), R} end)
             || N <- [1, 100]]),
    Indef = fun(N) -> iolist_to_binary([lists:duplicate(N, <<16#30, 16#80>>), <<2, 1, 1>>, lists:duplicate(N, <<0, 0>>)]) end,
    p(deep_indefinite, [t(fun() -> {T, R} = asn1rt_nif:decode_ber_tlv(Indef(N)), {depth(T), R} end) || N <- [10, 100]]),
    Encs = [{2, <<5>>}, {16#10, [{2, <<1>>}, {2, <<2>>}]}, {16#10, []}, {16#1f, <<>>}, {16#20081, <<1, 2>>}, {16#3ffff, <<>>},
            {16#10000 + 200, [{5, <<>>}]}, {4, binary:copy(<<7>>, 200)}, {4, binary:copy(<<7>>, 70000)}, {16#40001, <<>>},
            {-1, <<>>}, {a, <<>>}, {2, foo}, {2, [x]}, {2, [{2, <<1>> } | {2, <<2>>}]}, {2, <<1>>, extra}, {2, <<1:3>>}, foo,
            {1 bsl 32, <<>>}, {16#10, [{16#10, [{2, <<>>}]}]}],
    p(encode, [t(fun() -> R = asn1rt_nif:encode_ber_tlv(E), case R of B when byte_size(B) > 40 -> {size, byte_size(B), erlang:md5(B)}; _ -> R end end) || E <- Encs]),
    p(roundtrip, [t(fun() -> {D, <<>>} = asn1rt_nif:decode_ber_tlv(asn1rt_nif:encode_ber_tlv(E)), D =:= E end) || E <- lists:sublist(Encs, 9)]),
    ok.

depth({_, [T]}) -> 1 + depth(T);
depth({_, _}) -> 0.
