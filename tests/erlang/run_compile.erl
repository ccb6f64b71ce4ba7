-module(run_compile).
-export([main/0]).

%% OTP's own compiler running on the VM: scan, parse, lint, optimise and
%% assemble modules from source text; the .beam bytes must be BEAM's.
main() ->
    Sources =
        [["-module(m1).", "-export([f/1]).",
          "f(X) when X > 1 -> {ok, X * 2, [Y || Y <- lists:seq(1, X)]};"
          " f(_) -> error."],
         ["-module(m2).", "-export([g/2, h/1]).", "-record(r, {a = 1, b :: atom()}).",
          "g(#r{a = A} = R, M) -> {R#r{b = x}, maps:get(k, M, A)}.",
          "h(<<N:16, Rest/binary>>) -> {N, byte_size(Rest)};"
          " h(B) when is_binary(B) -> try binary_to_term(B) catch error:badarg -> bad end."],
         ["-module(m3).", "-export([loop/1, fold/1]).",
          "loop(S) -> receive {add, N} -> loop(S + N); {get, P} -> P ! S, loop(S) after 100 -> S end.",
          "fold(L) -> lists:foldl(fun({K, V}, Acc) -> Acc#{K => V} end, #{}, L)."],
         ["-module(m6).", "-export([all/2]).",
          "-record(acc, {n = 0 :: integer(), seen = #{} :: map(), log = [] :: list()}).",
          "all(L, Bin) -> F = fun(X, #acc{n = N, seen = S} = A) -> A#acc{n = N + 1, seen = S#{X => N}} end,"
          " A = lists:foldl(F, #acc{}, L),"
          " Bytes = << <<(B bxor 16#5A)>> || <<B>> <= Bin >>,"
          " Sum = try lists:sum([V || {_, V} <- maps:to_list(A#acc.seen)]) after ok end,"
          " Tag = case Sum rem 3 of 0 -> zero; 1 -> one; _ -> two end,"
          " {A#acc.n, Sum, Tag, byte_size(Bytes)}."],
         ["-module(m4).", "-export([bad/0]).", "bad() -> X."],
         ["-module(m5).", "-export([w/1]).", "w(X) -> Y = 1, X."]],
    lists:foreach(fun compile_one/1, Sources),
    load(hd(Sources), lists:nth(2, Sources)).

%% The compiled binaries loaded and called: code:load_binary/3 (twice,
%% replacing the first version) and erlang:load_module/2, and their
%% errors for arguments of the wrong type.
load(M1, M2) ->
    {ok, m1, B1} = compile:forms([form(L) || L <- M1], [binary]),
    {ok, m2, B2} = compile:forms([form(L) || L <- M2], [binary]),
    T = fun(F) -> try F() catch C:R -> {C, R} end end,
    io:format("~p~n", [[code:load_binary(m1, "m1.erl", B1), m1:f(3),
                        code:load_binary(m1, m1, B1), m1:f(2),
                        erlang:load_module(m2, B2), m2:h(<<1, 2, 3>>),
                        T(fun() -> code:load_binary(1, "m1.erl", B1) end),
                        T(fun() -> code:load_binary(m1, 1, B1) end),
                        T(fun() -> code:load_binary(m1, "m1.erl", "bytes") end),
                        T(fun() -> erlang:load_module("m2", B2) end),
                        T(fun() -> erlang:load_module(m2, [B2]) end)]]).

compile_one(Lines) ->
    Forms = [form(L) || L <- Lines],
    case compile:forms(Forms, [binary, return]) of
        {ok, Mod, Bin, Warnings} ->
            io:format("~p ok ~p ~p~n", [Mod, erlang:md5(Bin), Warnings]);
        {error, Errors, Warnings} ->
            io:format("error ~p ~p~n", [Errors, Warnings])
    end.

form(Line) ->
    {ok, Toks, _} = erl_scan:string(Line),
    {ok, Form} = erl_parse:parse_form(Toks),
    Form.
