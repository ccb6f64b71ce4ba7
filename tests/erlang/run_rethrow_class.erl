-module(run_rethrow_class).
-export([main/0]).

%% An exception that no catch clause matches, or that passes through
%% `after`, keeps its class (throw, exit, error) when the compiler's
%% `raise/2` re-raises it.
main() ->
    Raisers = [fun() -> throw(t) end, fun() -> exit(x) end, fun() -> error(e) end,
               fun() -> erlang:raise(throw, rt, []) end,
               fun() -> erlang:raise(exit, rx, [{m, f, 1, []}]) end,
               fun() -> 1 = id(2) end],
    Cases = [partial, 'after', catch_after, nested, guard, of_clause, stack, after_catch,
             receive_after],
    [out(Case, run(Case, R)) || R <- Raisers, Case <- Cases],
    %% Uncaught in a process: a throw's reason becomes {nocatch, Value}.
    %% BEAM's logger prints crash reports of these processes on standard
    %% output, at a moment of its choosing (before halt or not): silence
    %% it (Enigma has no logger; the call fails there and is caught).
    _ = (catch logger:set_primary_config(level, none)),
    [begin
         {Pid, Ref} = spawn_monitor(fun() -> try R() after ok end end),
         receive {'DOWN', Ref, process, Pid, Why} -> out(down, reason(Why)) end
     end || R <- Raisers],
    out(rethrow_of_rethrow, try rethrow(fun() -> rethrow(fun() -> throw(deep) end) end)
                            catch C:E -> {C, E} end).

run(partial, R) -> try try R() catch nomatch:_ -> no end catch C:E -> {C, E} end;
run('after', R) -> try try R() after put(k, v) end catch C:E -> {C, E} end;
run(catch_after, R) -> catch (try R() after ok end);
run(nested, R) ->
    try try try R() after ok end catch other:_ -> no end catch C:E -> {C, E} end;
run(guard, R) ->
    try try R() catch C0:E0 when E0 =:= zz -> {C0, E0} end catch C:E -> {C, E} end;
run(of_clause, R) ->
    try try R() of _ -> ok catch nomatch:_ -> no end catch C:E -> {C, E} end;
run(stack, R) ->
    try try R() after ok end
    catch C:E:S -> {C, E, [{M, F, A} || {M, F, A, _} <- lists:sublist(S, 1)]}
    end;
run(after_catch, R) ->
    try try R() after (catch throw(inner)) end catch C:E -> {C, E} end;
run(receive_after, R) ->
    try try R() after receive after 0 -> ok end end catch C:E -> {C, E} end.

rethrow(F) -> try F() catch error:_ -> no end.

reason({R, [_ | _]}) -> R;
reason(R) -> R.

out(Tag, V) -> io:format("~p: ~p~n", [Tag, strip(V)]).

strip({'EXIT', {R, [_ | _]}}) -> {'EXIT', R};
strip(V) -> V.

id(X) -> X.
