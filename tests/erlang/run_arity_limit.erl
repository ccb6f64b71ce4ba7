%% A function of more than 255 arguments (here the function a fun with 260
%% free variables is lifted to) is refused by the loader, as by BEAM's:
%% {error, badfile}; one of 255 loads.
-module(run_arity_limit).
-export([main/0]).

main() ->
    [begin
         Mod = list_to_atom("run_arity_limit_" ++ integer_to_list(N)),
         {ok, Mod, Bin} = compile:forms(forms(Mod, N), [binary, return_errors]),
         R = code:load_binary(Mod, "nofile", Bin),
         io:format("~p ~p~n", [N, R]),
         case R of
             {module, _} -> io:format("~p~n", [(Mod:f())()]);
             _ -> ok
         end
     end || N <- [3, 255, 256, 260]],
    ok.

%% -module(Mod). -export([f/0]).
%% f() -> V1 = 1, ..., VN = N, fun() -> V1 + ... + VN end.
forms(Mod, N) ->
    Vars = [{var, 1, list_to_atom("V" ++ integer_to_list(I))} || I <- lists:seq(1, N)],
    Binds = [{match, 1, V, {integer, 1, I}} || {V, I} <- lists:zip(Vars, lists:seq(1, N))],
    Sum = lists:foldl(fun(V, Acc) -> {op, 1, '+', V, Acc} end, {integer, 1, 0}, Vars),
    Fun = {'fun', 1, {clauses, [{clause, 1, [], [], [Sum]}]}},
    [{attribute, 1, module, Mod},
     {attribute, 1, export, [{f, 0}]},
     {function, 1, f, 0, [{clause, 1, [], [], Binds ++ [Fun]}]}].
