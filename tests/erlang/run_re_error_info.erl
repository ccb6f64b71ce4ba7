%% error_info of the re BIFs (erl_stdlib_errors, cause badopt, none for a
%% bad capture specification) and the
%% text erl_error:format_exception makes of it; re:replace/split (Erlang
%% code calling the BIFs) for comparison.
-module(run_re_error_info).
-export([main/0]).

ei(F) ->
    try F() of
        V -> {ok, V}
    catch
        error:R:S ->
            [{M, Fn, A, I} | _] = S,
            {R, M, Fn, length(A), proplists:get_value(error_info, I),
             lists:flatten(erl_error:format_exception(error, R, [hd(S)]))}
    end.

main() ->
    Cases = [fun() -> re:run("a", "(") end,
             fun() -> re:run("a", 1) end,
             fun() -> re:run("a", "(", []) end,
             fun() -> re:run("a", "a", [bad]) end,
             fun() -> re:run("a", "a", bad) end,
             fun() -> re:run("a", "a", [bad | x]) end,
             fun() -> re:run(1, "a", [bad]) end,
             fun() -> re:run("a", "(", [bad]) end,
             fun() -> re:run(1, "a") end,
             fun() -> re:compile(<<"a">>, [bad]) end,
             fun() -> re:compile("a", bad) end,
             fun() -> re:compile("(") end,
             fun() -> re:compile(1) end,
             fun() -> re:inspect(x, namelist) end,
             fun() -> re:split("a", "(") end,
             fun() -> re:replace("a", "(", "b") end,
             fun() -> re:replace("a", "a", "b", [bad]) end,
             fun() -> re:split("a", "a", [bad]) end,
             %% A bad capture specification: badarg without a cause
             %% (erts reads it after the other options); a bad option
             %% anywhere is still badopt.
             fun() -> re:run("abc", "a", [{capture, foo}]) end,
             fun() -> re:run("abc", "a", [{capture, all, foo}]) end,
             fun() -> re:run("abc", "a", [{capture, foo, list}]) end,
             fun() -> re:run("abc", "a", [{capture, [1.0]}]) end,
             fun() -> re:run("abc", "a", [report_errors, {capture, first, x}]) end,
             fun() -> re:run("abc", "a", [{capture, foo}, bogus]) end,
             fun() -> re:run("abc", "a", [bogus, {capture, foo}]) end,
             fun() -> re:run("abc", "a", [{capture}]) end,
             fun() -> re:run("abc", "a", [{capture, all, list, x}]) end,
             fun() -> re:run("abc", "a", [{capture, [a, <<"b">>, "c", 2]}]) end],
    [io:format("~p~n", [ei(F)]) || F <- Cases].
