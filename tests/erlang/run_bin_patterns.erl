%% binary:compile_pattern/1: BEAM's `{bm, Ref}` / `{ac, Ref}` with a magic
%% reference, accepted by match/matches/split/replace, reusable, surviving
%% a message copy and term_to_binary on this node, and refused when the
%% tag does not fit. The reference's numbers are never printed.
-module(run_bin_patterns).
-export([main/0]).

main() ->
    Subject = <<"the cat sat on the mat; the catalogue was scattered">>,
    Sources = [<<"cat">>, [<<"cat">>], [<<"cat">>, <<"catalogue">>, <<"at">>],
               [<<"the">>, <<"t">>], [<<"x">>, <<"y">>], [<<"a">>, <<"a">>]],
    lists:foreach(fun(S) -> check(Subject, S) end, Sources),
    Bm = binary:compile_pattern(<<"ab">>),
    Ac = binary:compile_pattern([<<"a">>, <<"b">>]),
    io:format("shape ~w ~w~n", [shape(Bm), shape(Ac)]),
    io:format("order ~w ~w ~w~n",
              [Bm =:= Bm, Bm == binary:compile_pattern(<<"ab">>), is_reference(element(2, Bm))]),
    io:format("refs print as refs ~w~n", [lists:prefix("#Ref<", erlang:ref_to_list(element(2, Bm)))]),
    io:format("swapped tags ~w ~w~n",
              [err(fun() -> binary:match(<<"ab">>, {ac, element(2, Bm)}) end),
               err(fun() -> binary:match(<<"ab">>, {bm, element(2, Ac)}) end)]),
    io:format("not compiled ~w ~w ~w~n",
              [err(fun() -> binary:match(<<"ab">>, {bm, make_ref()}) end),
               err(fun() -> binary:match(<<"ab">>, {bm, <<"a">>}) end),
               err(fun() -> binary:split(<<"ab">>, {bm, [<<"a">>]}) end)]),
    Copy = binary_to_term(term_to_binary(Ac)),
    io:format("round trip ~w ~w~n", [Copy =:= Ac, binary:matches(<<"xaby">>, Copy)]),
    Self = self(),
    spawn(fun() -> receive P -> Self ! {got, binary:split(<<"1ab2ab3">>, P, [global])} end end)
        ! Bm,
    receive {got, Parts} -> io:format("in another process ~p~n", [Parts]) end,
    Big = binary:copy(<<"0123456789">>, 100000),
    Needle = binary:compile_pattern([<<"89012">>, <<"9">>]),
    io:format("large ~w ~w~n",
              [length(binary:matches(Big, Needle)),
               binary:match(Big, Needle, [{scope, {999990, -500}}])]).

check(Subject, Source) ->
    P = binary:compile_pattern(Source),
    R = [binary:match(Subject, Source) =:= binary:match(Subject, P),
         binary:matches(Subject, Source) =:= binary:matches(Subject, P),
         binary:split(Subject, Source, [global]) =:= binary:split(Subject, P, [global]),
         binary:replace(Subject, Source, <<"#">>, [global]) =:=
             binary:replace(Subject, P, <<"#">>, [global])],
    io:format("~p ~w ~p ~p~n",
              [Source, R, binary:matches(Subject, P),
               binary:match(Subject, P, [{scope, {10, 30}}])]).

%% The error of a call, without its stack trace (which shows the reference).
err(F) ->
    try F() of V -> {ok, V} catch C:R -> {C, R} end.

shape({Tag, R}) when is_reference(R) -> Tag;
shape(_) -> other.
