%% Binary map keys compared as bytes: the same key as a heap binary, a
%% refc binary, a sub-binary at a byte or bit offset, and bitstrings that
%% are not whole bytes, in small maps and in tries (over 32 keys).
-module(run_maps_bin_keys).
-export([main/0]).

main() ->
    Long = binary:copy(<<"0123456789">>, 10),
    Keys = [<<"k", (integer_to_binary(I))/binary>> || I <- lists:seq(1, 60)]
        ++ [Long, <<>>, <<1:3>>, <<"ab", 1:1>>, {<<"t">>}, [<<"l">>]],
    Small = maps:from_list([{K, I} || {K, I} <- lists:zip(lists:sublist(Keys, 10), lists:seq(1, 10))]),
    Big = maps:from_list(lists:zip(Keys, lists:seq(1, length(Keys)))),
    <<_:8, Sub:100/binary, _/binary>> = <<0, Long/binary, 9>>,
    <<_:3, Odd:100/binary, _:5>> = <<0:3, Long/binary, 0:5>>,
    <<_:4, OddBits:3/bitstring, _:1>> = <<0:4, 1:3, 0:1>>,
    <<_:8, K7:2/binary, _/binary>> = <<"xk7y">>,
    <<_:1, K9:2/binary, _:7>> = <<0:1, "k9", 0:7>>,
    Probes = [{long, Long}, {sub, Sub}, {odd, Odd}, {odd_bits, OddBits},
              {k7, K7}, {k9, K9}, {empty, <<>>}, {bits, <<"ab", 1:1>>},
              {other_bits, <<"ab", 0:1>>}, {tuple, {<<"t">>}}, {list, [<<"l">>]},
              {missing, <<"k61">>}, {prefix, <<"k">>}, {longer, <<"k10x">>}],
    [io:format("~p ~p ~p~n", [Name, maps:find(P, Small), maps:find(P, Big)])
     || {Name, P} <- Probes],
    Counted = lists:foldl(fun(K, M) -> maps:update_with(K, fun(C) -> C + 1 end, 1, M) end,
                          #{}, [Sub, Long, Odd, K7, K9, <<"k7">>, <<"k9">>] ++ Keys),
    io:format("~p~n", [lists:sort(maps:to_list(maps:filter(fun(_, V) -> V > 1 end, Counted)))]),
    io:format("~p ~p~n", [map_size(Counted), maps:get(Odd, Big#{Sub := updated})]),
    ok.
