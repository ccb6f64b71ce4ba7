%% Exceptions: classes, reasons and top stack frames; the exit status
%% carries a checksum.
-module(run_exceptions).
-export([main/0]).

main() ->
    Cases = [fun() -> throw(t) end,
             fun() -> error(e) end,
             fun() -> exit(x) end,
             fun() -> clause(b) end,
             fun() -> 1 = two() end,
             fun() -> case two() of 1 -> ok end end,
             fun() -> if_clause(two()) end,
             fun() -> try two() of 1 -> ok after ok end end,
             fun() -> (fun(A) -> A end)(1, 2) end,
             fun() -> (two())(1) end,
             fun() -> no_such_module:f(1) end,
             fun() -> ?MODULE:no_such_function() end,
             fun() -> erlang:raise(throw, r, []) end,
             fun() -> error(e2, [1, 2]) end,
             fun() -> nested() end],
    Scores = [score(F) || F <- Cases],
    Catch = [case catch throw(a) of a -> 2 end, catch_exit(), catch_error()],
    halt(sum(Scores, 0) + sum(Catch, 0)).

two() -> 2.
clause(a) -> ok.
if_clause(X) -> if X =:= 1 -> ok end.
nested() ->
    try throw(inner)
    catch throw:inner -> error(outer)
    end.

catch_exit() -> case catch exit(bye) of {'EXIT', bye} -> 3; _ -> 0 end.
catch_error() ->
    case catch clause(z) of
        {'EXIT', {function_clause, [{?MODULE, clause, [z], [{file, _}, {line, 14}]} | _]}} -> 5;
        _ -> 0
    end.

score(F) ->
    try F() of _ -> 1
    catch
        throw:t -> 2;
        error:e:S -> frame(S, 7);
        exit:x -> 11;
        error:function_clause:S -> frame(S, 13);
        error:{badmatch, 2} -> 17;
        error:{case_clause, 2} -> 19;
        error:if_clause:S -> frame(S, 23);
        error:{try_clause, 2} -> 29;
        error:{badarity, {_, [1, 2]}} -> 31;
        error:{badfun, 2} -> 37;
        error:undef:S -> undef_frame(S);
        throw:r:S -> empty(S);
        error:e2:S -> args_frame(S);
        error:outer:S -> frame(S, 59);
        _:_ -> 1000
    end.

frame([{?MODULE, F, A, [{file, _}, {line, L}]} | _], N)
  when is_atom(F) ->
    N + L + arity(A);
frame(_, _) -> 2000.

undef_frame([{no_such_module, f, [1], []} | _]) -> 41;
undef_frame([{?MODULE, no_such_function, [], []} | _]) -> 43;
undef_frame(_) -> 3000.
empty([]) -> 47;
empty(_) -> 4000.
args_frame([{?MODULE, _, [1, 2], [{file, _}, {line, L}]} | _]) -> 53 + L;
args_frame(_) -> 5000.

arity(A) when is_integer(A) -> A;
arity(L) -> len(L, 100).
len([], N) -> N; len([_ | T], N) -> len(T, N + 1).

sum([], A) -> A rem 256;
sum([H | T], A) -> sum(T, A + H).
