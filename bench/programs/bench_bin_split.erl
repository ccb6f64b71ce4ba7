%% `binary:split/2,3` on a large binary: splitting into lines (many
%% occurrences, global), on several separators, and once at a separator
%% near the end.
-module(bench_bin_split).
-export([main/1]).

main([Arg]) ->
    Size = list_to_integer(Arg),
    Line = <<"id=42;name=enigma;kind=vm,lang=rust\n">>,
    Bin = <<(binary:copy(Line, max(1, Size div byte_size(Line))))/binary, "END|tail">>,
    {Micros, Result} = timer:tc(fun() -> loop(5, Bin, []) end),
    io:format("~w ~w~n", [Micros, Result]).

loop(0, _, Acc) -> Acc;
loop(N, Bin, _) ->
    Lines = binary:split(Bin, <<"\n">>, [global, trim]),
    Fields = binary:split(Bin, [<<";">>, <<",">>, <<"\n">>], [global]),
    [_, Tail] = binary:split(Bin, <<"END|">>),
    loop(N - 1, Bin, {length(Lines), length(Fields), Tail}).
