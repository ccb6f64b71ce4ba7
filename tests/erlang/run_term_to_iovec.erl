%% term_to_iovec/1,2: byte-aligned binaries of more than 64 whole bytes
%% (off-heap on BEAM) are elements of their own, the encoding's other
%% bytes between them; a compressed encoding is one binary.
-module(run_term_to_iovec).
-export([main/0]).
show(T) ->
    V = term_to_iovec(T),
    io:format("~w~n", [[if byte_size(B) > 20 -> {size, byte_size(B), binary:part(B, 0, 4)}; true -> B end || B <- V]]),
    io:format("eq ~p~n", [iolist_to_binary(V) =:= term_to_binary(T)]).
err(F) ->
    try F() catch C:E:S -> {C, E, hd(S)} end.

main() ->
    Big = list_to_binary(lists:seq(1, 200)),
    B64 = binary:copy(<<7>>, 64), B65 = binary:copy(<<7>>, 65),
    show(Big), show([Big]), show({a, Big, b, Big}), show(B64), show(B65),
    <<_:10/binary, Sub:100/binary, _/binary>> = Big, show(Sub),
    <<_:10/binary, Sub2:60/binary, _/binary>> = Big, show(Sub2),
    show(<<Big/binary, 1:3>>),
    <<_:3, Odd:100/binary, _/bits>> = Big, show(Odd),
    show([1, 2, Big, "abc", B65 | Big]),
    show(#{k => Big}),
    show(<<>>), show(atom), show([]),
    show(Big), io:format("~w~n", [term_to_iovec(Big, [{minor_version, 1}])]),
    io:format("~w~n", [[byte_size(B) || B <- term_to_iovec({Big, 1.5}, [{minor_version, 0}])]]),
    io:format("~w~n", [[byte_size(B) || B <- term_to_iovec({Big, x}, [deterministic])]]),
    io:format("~w~n", [term_to_iovec({Big, x}, [compressed])=:= term_to_binary({Big, x}, [compressed])]),
    io:format("~w~n", [[byte_size(B) || B <- term_to_iovec({Big, x}, [{compressed, 0}])]]),
    io:format("~w~n", [[byte_size(B) || B <- term_to_iovec(fun() -> Big end)]]),
    io:format("~w~n", [is_binary(term_to_iovec(Big, [{compressed, 3}, {minor_version, 2}]))]),
    io:format("~w~n", [[byte_size(B) || B <- term_to_iovec([Big, Big, B65], [{compressed, 0}])]]),
    io:format("~w~n", [[byte_size(B) || B <- term_to_iovec({<<Big/binary, Big/binary>>, {[<<0:520>>]}})]]),
    io:format("~p~n", [err(fun() -> term_to_iovec(x, [bad]) end)]),
    io:format("~p~n", [err(fun() -> term_to_iovec(x, [{compressed, 10}]) end)]),
    io:format("~p~n", [err(fun() -> term_to_iovec(x, y) end)]),
    ok.
