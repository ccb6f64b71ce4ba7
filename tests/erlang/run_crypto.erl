-module(run_crypto).
-export([main/0]).

%% crypto's hashes, MACs, key derivation and helpers, as OpenSSL computes
%% them under erl.

-define(HASHES, [md4, md5, sha, sha224, sha256, sha384, sha512, sha3_224, sha3_256, sha3_384, sha3_512,
                 blake2b, blake2s, ripemd160]).

main() ->
    Inputs = [<<>>, <<"abc">>, "The quick brown fox", [<<"a">>, $b, [<<"cd">>]],
              binary:copy(<<"0123456789">>, 1000), binary:copy(<<"abcdefghijklmnopq">>, 5000)],
    [show({hash, H, N}, safe(fun() -> crypto:hash(H, I) end))
     || H <- ?HASHES, {N, I} <- lists:zip(lists:seq(1, length(Inputs)), Inputs)],
    [show({hash_info, H}, safe(fun() -> crypto:hash_info(H) end)) || H <- ?HASHES ++ [sha512_224, foo]],
    streaming(),
    macs(),
    pbkdf2(),
    helpers(),
    errors(),
    ok.

show(What, Result) ->
    io:format("~p -> ~p~n", [What, Result]).

hex(Bin) when is_binary(Bin) -> binary:encode_hex(Bin);
hex(Other) -> Other.

streaming() ->
    [begin
         S0 = crypto:hash_init(H),
         S1 = crypto:hash_update(S0, <<"hello ">>),
         S2 = crypto:hash_update(S1, ["wor", <<"ld">>]),
         %% States are values: an older one still gives its own digest.
         S3 = crypto:hash_update(S1, <<"there">>),
         show({stream, H}, {hex(crypto:hash_final(S2)), hex(crypto:hash_final(S3)),
                            hex(crypto:hash_final(S0)),
                            hex(crypto:hash_final(S2)) =:= hex(crypto:hash(H, "hello world"))})
     end || H <- ?HASHES].

macs() ->
    Keys = [<<>>, <<"key">>, binary:copy(<<"k">>, 200)],
    [show({hmac, H, byte_size(K)}, safe(fun() -> crypto:mac(hmac, H, K, <<"The quick brown fox">>) end))
     || H <- [md5, sha, sha224, sha256, sha384, sha512, sha3_256, sha3_512], K <- Keys],
    show(macN, hex(crypto:macN(hmac, sha256, <<"key">>, "data", 10))),
    M0 = crypto:mac_init(hmac, sha256, ["ke", <<"y">>]),
    M1 = crypto:mac_update(M0, <<"da">>),
    M2 = crypto:mac_update(M1, "ta"),
    show(mac_stream, {hex(crypto:mac_final(M2)), hex(crypto:mac(hmac, sha256, "key", "data"))}),
    M3 = crypto:mac_init(hmac, sha, <<"k">>),
    show(mac_finalN, hex(crypto:mac_finalN(crypto:mac_update(M3, <<"x">>), 5))).

pbkdf2() ->
    [show({pbkdf2, D, I, L}, hex(crypto:pbkdf2_hmac(D, <<"password">>, <<"salt">>, I, L)))
     || D <- [sha, sha256, sha512], I <- [1, 2, 4096], L <- [1, 20, 32, 70]].

helpers() ->
    show(exor, crypto:exor(<<1,2,3,255>>, <<255,2,1,0>>)),
    show(exor_list, crypto:exor([1,2,<<3>>], <<1,1,1>>)),
    show(hash_equals, {crypto:hash_equals(<<"abc">>, <<"abc">>),
                       crypto:hash_equals(<<"abc">>, <<"abd">>)}),
    R = crypto:strong_rand_bytes(16),
    show(rand_bytes, {is_binary(R), byte_size(R)}),
    show(rand_bytes0, crypto:strong_rand_bytes(0)),
    F = rand:uniform_s(crypto:rand_seed_s()),
    show(rand_float, element(1, F) > 0.0 andalso element(1, F) < 1.0),
    U = 10 + binary:decode_unsigned(crypto:strong_rand_bytes(2)) rem 10,
    show(rand_uniform, U >= 10 andalso U < 20),
    show(bytes_to_integer, crypto:bytes_to_integer(<<1, 0, 0>>)),
        show(fips, crypto:info_fips()),
    show(hashs_has_sha256, lists:member(sha256, crypto:supports(hashs))),
    show(macs_has_hmac, lists:member(hmac, crypto:supports(macs))),
    crypto:rand_seed(),
    X = rand:uniform(100),
    show(rand_seeded, X >= 1 andalso X =< 100).

errors() ->
    Calls = [
        fun() -> crypto:hash(foo, <<>>) end,
        fun() -> crypto:hash(sha256, foo) end,
        fun() -> crypto:hash(sha256, [1, 2 | 3]) end,
        fun() -> crypto:hash_init(foo) end,
        fun() -> crypto:hash_update(foo, <<>>) end,
        fun() -> crypto:hash_update(crypto:hash_init(md5), foo) end,
        fun() -> crypto:hash_final(foo) end,
        fun() -> crypto:hash_final(make_ref()) end,
        fun() -> crypto:mac(hmac, foo, <<"k">>, <<"d">>) end,
        fun() -> crypto:mac(hmac, sha256, foo, <<"d">>) end,
        fun() -> crypto:mac(hmac, sha256, <<"k">>, foo) end,
        fun() -> crypto:mac(foo, sha256, <<"k">>, <<"d">>) end,
        fun() -> crypto:mac_init(hmac, foo, <<"k">>) end,
        fun() -> crypto:mac_update(foo, <<"d">>) end,
        fun() -> crypto:mac_update(crypto:mac_init(hmac, md5, <<"k">>), foo) end,
        fun() -> crypto:mac_final(foo) end,
        fun() -> crypto:pbkdf2_hmac(foo, <<"p">>, <<"s">>, 1, 10) end,
        fun() -> crypto:pbkdf2_hmac(sha, <<"p">>, <<"s">>, 0, 10) end,
        fun() -> crypto:pbkdf2_hmac(sha, <<"p">>, <<"s">>, 1, 0) end,
        fun() -> crypto:pbkdf2_hmac(sha, "p", <<"s">>, 1, 10) end,
        fun() -> crypto:exor(<<1,2>>, <<1>>) end,
        fun() -> crypto:exor(foo, <<1>>) end,
        fun() -> crypto:hash_equals(<<1,2>>, <<1>>) end,
        fun() -> crypto:hash_equals(foo, <<1>>) end,
        fun() -> crypto:strong_rand_bytes(-1) end,
        fun() -> crypto:strong_rand_bytes(foo) end,
        fun() -> crypto:hash_info(foo) end,
        fun() -> crypto:hash(sha512_224, <<>>) end,
        fun() -> crypto:mac(hmac, sha512_256, <<"k">>, <<"d">>) end,
        fun() -> crypto:macN(hmac, sha256, <<"k">>, <<"d">>, 40) end
    ],
    [show({error, I}, safe(F)) || {I, F} <- lists:zip(lists:seq(1, length(Calls)), Calls)].

safe(F) ->
    try F() of V -> hex(V) catch C:E:St -> {C, E, top(St)} end.

top([{M, F, A, Info} | _]) ->
    {M, F, if is_list(A) -> length(A); true -> A end,
     [X || {error_info, _} = X <- Info]};
top(_) -> none.
