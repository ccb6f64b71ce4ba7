%% rand: every algorithm's seeded sequences through the functional API
%% (uniform, normal, bytes, jump, exported seeds); phash/phash2, md5,
%% crc32, adler32 and their combinations on every kind of term.
%% Session 18's audit: as erl.
-module(run_audit_hash).
-export([main/0]).
-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).
p(X) -> io:format("~p~n", [X]).
main() ->
    [begin
         S0 = rand:seed_s(Alg, Seed),
         {L, S1} = lists:foldl(fun(_, {Acc, S}) -> {X, S2} = rand:uniform_s(S), {[X | Acc], S2} end, {[], S0}, lists:seq(1, 5)),
         {N, S3} = rand:uniform_s(100, S1), {Nr, S4} = rand:normal_s(S3), {Nr2, S5} = rand:normal_s(2.0, 3.0, S4),
         {B, S6} = rand:bytes_s(7, S5), {R, S7} = rand:uniform_real_s(S6), S8 = try rand:jump(S7) catch error:not_implemented -> S7 end, {J, _} = rand:uniform_s(1 bsl 100, S8),
         {E, _} = rand:uniform_s(S8),
         p({Alg, Seed, L, N, Nr, Nr2, B, R, J, E, rand:export_seed_s(S8)})
     end || Alg <- [exsss, exro928ss, exs1024s, exrop, exsplus, exs64, exs1024, exsp], Seed <- [{1,2,3}, 0, 123456789, {0,0,0}]],
    rand:seed(exsss, {1,2,3}), p([rand:uniform(), rand:uniform(10), rand:normal(), rand:bytes(3), rand:uniform_real()]),
    rand:jump(), p([rand:uniform(), ?T(rand:uniform(0)), ?T(rand:uniform(-1)), ?T(rand:uniform(1.5))]),
    p(?T(rand:seed(nope, 1))), p(?T(rand:seed_s(exsss, {a,b,c}))),
    S = rand:seed_s(exsss, 99), p(rand:export_seed_s(S)), p(element(1, rand:uniform_s(rand:seed_s(rand:export_seed_s(S))))),
    {M, _} = rand:seed_s(exro928ss, 1), p(M),
    p([rand:mwc59(1), rand:mwc59_value32(123456789), rand:mwc59_float(1 bsl 58), rand:exsp_next(element(2, rand:seed_s(exsp, 3)))]),
    p(?T(rand:splitmix64_next(42))),
    Terms = [0, 1, -1, 1 bsl 60, 1 bsl 100, -(1 bsl 100), 1.0, -0.0, 0.0, 3.14, a, 'é', '', [], [a], [1|2], "abc", {}, {a, b}, <<>>, <<1,2,3>>,
             <<1:3>>, list_to_binary(lists:seq(0, 255)), #{}, #{a => 1}, maps:from_list([{I, I} || I <- lists:seq(1, 40)]), fun lists:map/2,
             {[{<<"x">>, 1.5}], #{[] => {}}}, lists:seq(1, 100), self() =/= 1],
    p([{erlang:phash2(T), erlang:phash2(T, 1000), erlang:phash(T, 1 bsl 32), erlang:md5(term_to_binary(T))} || T <- Terms]),
    p([?T(erlang:phash2(a, 0)), ?T(erlang:phash2(a, 1 bsl 32)), ?T(erlang:phash2(a, (1 bsl 32) + 1)), ?T(erlang:phash(a, 0))]),
    Bins = [<<>>, <<"a">>, <<"hello world">>, list_to_binary(lists:seq(0, 255)), binary:copy(<<"xyz">>, 1000)],
    p([{erlang:crc32(B), erlang:adler32(B), erlang:md5(B)} || B <- Bins]),
    p([erlang:crc32(123, <<"abc">>), erlang:crc32(["a", [<<"b">>], $c]), erlang:adler32(1, "abc"), erlang:adler32(["x", <<"y">>]),
       erlang:crc32_combine(erlang:crc32(<<"ab">>), erlang:crc32(<<"cd">>), 2), erlang:adler32_combine(erlang:adler32(<<"ab">>), erlang:adler32(<<"cd">>), 2),
       ?T(erlang:crc32(a)), ?T(erlang:crc32(-1, <<>>)), ?T(erlang:crc32(1 bsl 32, <<>>)), ?T(erlang:md5(a)), ?T(erlang:md5([256])),
       ?T(erlang:adler32_combine(1, 2, -1)), erlang:md5_final(erlang:md5_update(erlang:md5_init(), "abc")), ?T(erlang:md5_update(<<1>>, "a")),
       ?T(erlang:crc32(<<1:4>>))]),
    ok.
