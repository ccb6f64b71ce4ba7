-module(run_maps_atom_order).
-export([main/0]).

%% Maps of more than 32 keys iterate in the order of BEAM's internal hash,
%% which hashes an atom by its index in the atom table. Enigma's table
%% starts as erl's does after boot, and later atoms (this module's, made by
%% list_to_atom/1, binary_to_term/1, or by the modules loaded on demand)
%% take the indices erl gives them (docs/TERMS.md, "Atom indices"). Only
%% atoms erl's boot creates in a varying order (while loading modules in
%% parallel, e.g. `tuple`, `reference`) are left out: erl itself orders
%% them differently from one run to the next.
main() ->
    Lit = [apple, banana, cherry, date, elder, fig, grape, honeydew, kiwi, lemon,
           mango, nectarine, orange, papaya, quince, raspberry, strawberry,
           tangerine, ugli, vanilla, watermelon, xigua, yam, zucchini, almond,
           brazil, cashew, durian, endive, fennel, garlic, hazel, iceberg, jicama,
           kale, leek, mint, nutmeg, okra, parsley],
    show("literal atoms", Lit),
    Otp = [ok, error, undefined, true, false, badarg, normal, infinity, exit,
           throw, kill, killed, noproc, timeout, value, name, id, lists, erlang,
           io, file, code, node, self, pid, port, list, binary, atom, integer,
           float, map, function, module, line, all, nil, get, put, size, length,
           hd, tl, element],
    show("otp atoms", Otp),
    Made = [list_to_atom("made_" ++ integer_to_list(I)) || I <- lists:seq(1, 50)],
    show("list_to_atom", Made),
    Decoded = [binary_to_term(term_to_binary(list_to_atom("dec" ++ [C])))
               || C <- lists:seq($a, $z) ++ lists:seq($A, $Z)],
    show("binary_to_term", Decoded),
    show("mixed", Lit ++ Otp ++ Made ++ [1, 2.5, "str", <<"bin">>]),
    keys("tuple {I, x}", maps:from_list([{{I, x}, I} || I <- lists:seq(1, 40)])),
    keys("tuple {A, I}", maps:from_list([{{A, I}, I} || {A, I} <- enum(Lit)])),
    keys("list [A, I]", maps:from_list([{[A, I], I} || {A, I} <- enum(Made)])),
    keys("map key #{A => I}", maps:from_list([{#{A => I, kk_tag => A}, I} || {A, I} <- enum(Otp)])),
    Big = maps:from_list([{{A, B}, 1} || A <- Lit, B <- [x, y, ok, Made]]),
    io:format("big ~w ~w~n", [map_size(Big), erlang:phash2(maps:keys(Big))]),
    Large = maps:from_list([{{K, K}, K} || K <- Lit ++ Made]),
    io:format("map of maps ~w~n", [maps:keys(maps:from_list([{Large, 1}, {#{kk_tag => Large}, 2}]))]),
    io:format("sets ~w~n", [sets:to_list(sets:from_list(Lit ++ Made, [{version, 2}]))]),
    io:format("sets of tuples ~w~n",
              [sets:to_list(sets:from_list([{A, ok} || A <- Lit], [{version, 2}]))]),
    io:format("~p~n", [maps:from_list(enum(Lit))]),
    Later = [list_to_atom([C, D]) || C <- "pqrs", D <- "0123456789"],
    show("after the rest", Later).

enum(L) -> lists:zip(L, lists:seq(1, length(L))).

show(Label, Atoms) ->
    keys(Label, maps:from_list([{A, 1} || A <- Atoms])).

keys(Label, M) ->
    io:format("~s ~w~n", [Label, maps:keys(M)]).
