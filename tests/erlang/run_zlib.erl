-module(run_zlib).
-export([main/0]).

%% zlib's one-shot functions: the bytes must be BEAM's (C zlib, same
%% parameters), round trips must hold, and bad input fails as on BEAM.
main() ->
    Data = [<<"hello hello hello ">>, lists:duplicate(300, $a), <<0, 1, 2, 255>>],
    Big = list_to_binary([integer_to_list(I) || I <- lists:seq(1, 20000)]),
    [begin
         C = zlib:Pack(D),
         io:format("~p ~p ~p~n", [Pack, erlang:md5(C), zlib:Unpack(C) =:= iolist_to_binary(D)])
     end || {Pack, Unpack} <- [{compress, uncompress}, {zip, unzip}, {gzip, gunzip}],
            D <- [Data, Big, <<>>, []]],
    [io:format("~p~n", [try zlib:F(A) catch C:R -> {C, R} end])
     || {F, A} <- [{uncompress, <<1,2,3>>}, {uncompress, foo}, {compress, foo},
                   {compress, [<<"ab">>, 99 | <<"c">>]}, {zip, <<"hello hello hello">>},
                   {gzip, <<"hi">>}, {uncompress, <<1,2,3,4,5,6,7,8,9>>},
                   {gunzip, <<"notgzip">>}, {unzip, <<255, 255, 255>>}, {gunzip, foo}]],
    io:format("~p~n", [zlib:uncompress(<<(zlib:compress(<<"abc">>))/binary, "trailing">>)]).
