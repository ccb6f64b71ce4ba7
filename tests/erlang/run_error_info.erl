%% erlang:error/3's error_info option, and the unicode functions that
%% are Erlang code on BEAM (their errors carry unicode.erl's location).
-module(run_error_info).
-export([main/0]).

f(O) -> erlang:error(foo, [1], O).
g(O) -> erlang:error(foo, none, O), ok.

%% Only this module's and unicode's frames: the rest of the stack
%% differs between erl's boot and enigma run.
own({'EXIT', {R, S}}) ->
    {R, [F || F <- S, element(1, F) =:= ?MODULE orelse element(1, F) =:= unicode]};
own(X) -> X.

main() ->
    Options = [[{error_info, #{a => 1}}, {error_info, #{b => 2}}],
               [{error_info, #{}} | x], [{error_info, 1}], x, [],
               [{error_info, #{}, 1}, {error_info, #{c => 1}}],
               [{other, 1}, {error_info, #{c => 1}}],
               [{error_info, #{c => 1}}, {other}],
               [{error_info, #{a => 1}}, {error_info, 1}],
               [{error_info, #{a => 1}}, 5]],
    [io:format("~p~n~p~n", [own(catch f(O)), own(catch g(O))]) || O <- Options],
    Bad3 = [{[1, 2, bad], utf8, latin1}, {<<"abc">>, foo, utf8}, {"a", utf8, bad},
            {[a], latin1, latin1}, {<<1:7>>, latin1, utf8}],
    [io:format("~p~n", [own(catch unicode:characters_to_binary(X, I, O))]) || {X, I, O} <- Bad3],
    [io:format("~p~n", [own(catch F(X))])
     || F <- [fun unicode:characters_to_binary/1, fun unicode:characters_to_list/1],
        X <- [[a], <<255>>, [-1], "ok", [<<"a">>, [98 | <<"c">>]], [1 bsl 40]]],
    Good3 = [{[256], unicode, latin1}, {<<255>>, utf8, utf16}, {[-1], utf8, utf8},
             {"abc", latin1, latin1}, {<<"abc">>, latin1, utf8}, {<<"abc">>, latin1, latin1},
             {[1024, <<"x">>], utf8, {utf16, little}}, {<<0, 65, 0>>, utf16, utf8},
             {<<0, 0, 0, 65>>, utf32, latin1}, {[<<"é"/utf8>>], utf8, latin1}],
    io:format("~p~n", [[unicode:characters_to_binary(X, I, O) || {X, I, O} <- Good3]]),
    ok.
