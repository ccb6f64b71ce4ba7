%% erlang:display/1 of every kind of term (its C printer: floats as %e,
%% raw atoms and strings, large maps as their trie), display_string/1 and
%% display_nl/0 (standard error), each returning true.
-module(run_display_terms).
-export([main/0]).
main() ->
    [erlang:display(T) || T <- [1.0, 0.1, -0.0, 1.0e100, 123456789.125, 1 bsl 70, -(1 bsl 64), 'é', 'a b', 'αβ', "abc", [945], <<"bin">>, <<1:3>>, <<"αβ"/utf8>>,
                              #{a => 1, "k" => [1]}, {}, [], [1 | 2], {a, {b, [c]}}, fun lists:map/2, 'Cap', '', [$a, 200], "\n\t\"", <<0, 255>>,
                              maps:from_list([{I, I} || I <- lists:seq(1, 40)]), 3.0e-5, 1.0e15, 1.0e16, 12345.678e-20]],
    io:format("~p~n", [[erlang:display_string("plain\n"), erlang:display_nl()]]),
    ok.
