%% erts_debug:flat_size/1 (the words a copy of a term takes) for terms
%% laid out as on BEAM (immediates, lists, tuples, floats, bignums, small
%% binaries), shared subterms counted at each occurrence; erts_debug:same/2
%% tells one object from an equal copy.
-module(run_erts_debug).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    L = lists:seq(1, 10),
    Terms = [1, -5, atom, self(), 1.5, 1 bsl 70, -(1 bsl 200), 1 bsl 64 - 1,
             "abc", [], {a, b, c}, {1, {2, {3}}}, L, {L, L}, [L | L],
             <<"short">>, <<>>, list_to_binary(lists:seq(1, 64)),
             {1.0, [2.0]}, [{x, 1.5} || _ <- lists:seq(1, 5)]],
    [io:format("~p~n", [erts_debug:flat_size(T)]) || T <- Terms],
    M = ?MODULE:id(L),
    io:format("~p~n", [[erts_debug:same(L, M), erts_debug:same(L, lists:seq(1, 10)),
                        erts_debug:same(1, 1), erts_debug:same(a, b),
                        erts_debug:same(hd(Terms), 1)]]).
