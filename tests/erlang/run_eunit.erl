%% EUnit as a user runs it: plain tests, generators, assertions of each
%% kind, setup/foreach fixtures, timeouts, spawn, inorder/inparallel
%% groups, captured output, and the report of failed tests (stack traces
%% with file and line, the assertion's terms).
-module(run_eunit).
-export([main/0]).
-include_lib("eunit/include/eunit.hrl").

add_test() -> ?assertEqual(4, 2 + 2).
list_test_() -> [?_assert(lists:member(1, [1, 2])), ?_assertMatch({ok, _}, {ok, 3}),
                 ?_assertError(badarith, 1 / zero()), ?_assertThrow(x, throw(x)),
                 ?_assertExit(bye, exit(bye))].
zero() -> 0.
fail_test() -> ?assertEqual([1, 2], lists:reverse([1, 2])).
crash_test() -> erlang:error(boom).
setup_test_() ->
    {setup, fun() -> ets:new(t, [named_table, public]) end, fun(_) -> ets:delete(t) end,
     fun(_) -> [?_assert(ets:insert(t, {a, 1})), ?_assertEqual([{a, 1}], ets:lookup(t, a))] end}.
foreach_test_() ->
    {foreach, fun() -> put(k, 1) end, fun(_) -> erase(k) end,
     [fun() -> ?assertEqual(1, get(k)) end, fun() -> ?assertNotEqual(2, get(k)) end]}.
timeout_test_() -> {timeout, 5, fun() -> receive after 10 -> ok end end}.
spawn_test_() -> {spawn, ?_assertEqual(self(), self())}.
gen_test_() -> [{integer_to_list(N), ?_assertEqual(N * 2, N + N)} || N <- lists:seq(1, 20)].
inorder_test_() -> {inorder, [?_assert(true), ?_assert(true)]}.
inparallel_test_() -> {inparallel, [?_assert(true) || _ <- lists:seq(1, 10)]}.
output_test() -> io:format("captured~n"), ok.

main() ->
    logger:set_primary_config(level, none),
    R = eunit:test(?MODULE, []),
    io:format("result: ~p~n", [R]),
    io:format("result2: ~p~n", [eunit:test([{generator, fun list_test_/0}])]).
