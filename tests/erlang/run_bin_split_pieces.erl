%% binary:split/2,3 builds its result list and pieces in one allocation
%% (Heap::piece_list) and finds one to three one-byte separators sixteen
%% bytes at a time (byteset): pieces of every length around the 64-byte
%% heap-binary limit, pieces ending in the last word of their binary,
%% subjects that are heap binaries, refc binaries and sub-binaries (at a
%% byte and at a bit offset), every option, and results kept across
%% collections of a heap that grows (its reserve chunks).
-module(run_bin_split_pieces).
-export([main/0]).

main() ->
    Pieces = [binary:copy(<<($a + N rem 26)>>, N) || N <- lists:seq(0, 80)],
    Bin = iolist_to_binary(lists:join(<<"|">>, Pieces)),
    io:format("~p~n", [byte_size(Bin)]),
    check(whole, Bin),
    <<_:3/binary, Sub/binary>> = <<"xyz", Bin/binary>>,
    check(sub, Sub),
    <<_:3, Shifted:(byte_size(Bin))/binary, _:5>> = <<0:3, Bin/binary, 0:5>>,
    check(shifted, Shifted),
    check(small, <<"a|bb||ccc|">>),
    %% Separators in the last bytes, pieces ending in the last word.
    %% (iolist_to_binary/1: a binary appended to would be a writable one,
    %% whose referenced size BEAM reports as its allocated size.)
    [check({tail, N}, iolist_to_binary([binary:copy(<<"x">>, N), "|y"])) || N <- lists:seq(0, 20)],
    [check({end_sep, N}, iolist_to_binary([binary:copy(<<"x">>, N), "|"])) || N <- lists:seq(60, 70)],
    sets(),
    grow(),
    ok.

check(Name, Bin) ->
    Opts = [[], [global], [global, trim], [global, trim_all], [trim],
            [global, {scope, {3, byte_size(Bin) - 3}}]],
    [begin
         Parts = binary:split(Bin, <<"|">>, O),
         io:format("~p ~p ~p~n", [Name, O, summary(Parts)])
     end || O <- Opts, O =:= [] orelse byte_size(Bin) > 6],
    Many = binary:split(Bin, [<<"|">>, <<"a">>, <<"k">>], [global]),
    io:format("~p set ~p~n", [Name, summary(Many)]),
    Two = binary:split(Bin, [<<"|">>, <<"bb">>], [global]),
    io:format("~p ac ~p~n", [Name, summary(Two)]),
    Long = binary:split(Bin, <<"|cc">>, [global]),
    io:format("~p long ~p~n", [Name, summary(Long)]).

%% Each piece's size and referenced size, and a hash of the contents.
summary(Parts) ->
    {length(Parts), erlang:phash2(Parts),
     [{byte_size(P), binary:referenced_byte_size(P)} || P <- Parts, byte_size(P) > 60]}.

sets() ->
    Bin = list_to_binary([lists:seq(0, 255) || _ <- lists:seq(1, 40)]),
    [io:format("set ~p ~p~n", [S, summary(binary:split(Bin, S, [global]))])
     || S <- [[<<0>>], [<<0>>, <<255>>], [<<7>>, <<100>>, <<200>>], [<<16>>, <<17>>, <<18>>],
              [<<"\n">>, <<",">>, <<";">>]]].

%% Splits kept across collections while the heap grows.
grow() ->
    Line = <<"id=42;name=enigma;kind=vm,lang=rust\n">>,
    Bin = binary:copy(Line, 5000),
    Kept = grow(6, Bin, []),
    erlang:garbage_collect(),
    io:format("grow ~p~n", [[{length(L), erlang:phash2(L)} || L <- Kept]]).

grow(0, _, Acc) -> Acc;
grow(N, Bin, Acc) ->
    Lines = binary:split(Bin, <<"\n">>, [global, trim]),
    Fields = binary:split(Bin, [<<";">>, <<",">>, <<"\n">>], [global]),
    Junk = binary:bin_to_list(binary:copy(<<1>>, 20000 * N)),
    grow(N - 1, Bin, [Lines, Fields, [length(Junk)] | Acc]).
