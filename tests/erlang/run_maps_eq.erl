%% Equality of large maps (hash-array-mapped tries), which compares
%% keys exactly and values with == or =:=, and their order.
-module(run_maps_eq).
-export([main/0]).

main() ->
    N = 2000,
    A = maps:from_list([{K, K * 2} || K <- lists:seq(1, N)]),
    B = maps:from_list([{K, K * 2} || K <- lists:reverse(lists:seq(1, N))]),
    Floats = maps:map(fun(_, V) -> float(V) end, A),
    FloatKeys = maps:from_list([{float(K), V} || {K, V} <- maps:to_list(A)]),
    Bins = maps:from_list([{integer_to_binary(K), K} || K <- lists:seq(1, N)]),
    Bins2 = maps:put(<<"1">>, 1, maps:remove(<<"1">>, Bins)),
    Nested = #{a => A, b => [Floats]},
    Nested2 = #{a => B, b => [A]},
    io:format("~w~n", [[A == B, A =:= B, A == Floats, A =:= Floats,
                        A == FloatKeys, A =:= FloatKeys, A < FloatKeys,
                        Bins =:= Bins2, Bins == maps:put(<<"1">>, 2, Bins),
                        A == maps:remove(1, A), A < maps:remove(1, A),
                        Nested == Nested2, Nested =:= Nested2,
                        A == maps:put(N + 1, 0, maps:remove(1, A)),
                        A < maps:put(N + 1, 0, maps:remove(1, A)),
                        lists:usort([A, B, Floats, FloatKeys]) =:= lists:sort([Floats, A, FloatKeys])]]).
