%% Large maps (more than 32 keys, a hash trie) whose keys hold maps iterate
%% in BEAM's order: keys that are small maps, large maps, nested maps, and
%% maps inside tuples and lists. (No atoms inside the keys: an atom hashes
%% by its index in the atom table, which differs from BEAM's.)
-module(run_maps_map_keys).
-export([main/0]).

main() ->
    N = lists:seq(1, 40),
    Shapes =
        [{small, fun(I) -> #{I => 1} end},
         {two, fun(I) -> #{I => I, -I => 2} end},
         {empty_and_float, fun(I) -> #{float(I) => <<I>>, [] => #{}} end},
         {large, fun(I) -> maps:from_list([{J, I} || J <- lists:seq(1, 33 + I rem 3)]) end},
         {large_keys, fun(I) -> maps:from_list([{{J, I}, J} || J <- lists:seq(1, 40)]) end},
         {nested, fun(I) -> #{I => #{I + 1 => #{I + 2 => []}}} end},
         {map_key_in_key, fun(I) -> #{#{I => I} => I} end},
         {in_tuple, fun(I) -> {I, #{I => "s"}} end},
         {in_list, fun(I) -> [#{I => 1.5}, I] end},
         {in_string_list, fun(I) -> [1, 2, 3, #{<<I:12>> => I}] end}],
    [begin
         M = maps:from_list([{F(I), I} || I <- N]),
         io:format("~p ~w~n", [Label, [V || {_, V} <- maps:to_list(M)]])
     end || {Label, F} <- Shapes],
    Big = maps:from_list([{#{I => I}, I} || I <- lists:seq(1, 1000)]),
    io:format("big ~w~n", [lists:sublist(maps:values(Big), 60)]),
    Keys = maps:keys(maps:from_list([{#{I => I}, I} || I <- lists:seq(1, 33)])),
    io:format("keys ~w~n", [Keys]),
    ok.
