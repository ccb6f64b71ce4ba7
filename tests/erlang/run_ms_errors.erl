%% The errors of match specifications, as ets:test_ms/2 and
%% erlang:match_spec_test/3 list them: every error of the first clause
%% that has any (each unbound variable, unknown function, misused special
%% form), in erts' order (a call's operands, a tuple's elements and a
%% map's values last first; lists, andalso and guards before bodies first
%% first); malformed specifications, clauses, guard and body lists; the
%% trace dialect's forms out of place; n-ary and/or; an empty
%% specification.
-module(run_ms_errors).
-export([main/0]).

t(MS) -> io:format("~p~n", [ets:test_ms({1, 2}, MS)]).
tr(MS) -> io:format("~p~n", [erlang:match_spec_test([a], MS, trace)]).

main() ->
    H = {'$1', '_'},
    t([{H, [], [{{'$2', '$3'}}]}]),
    t([{H, [{'==', '$4', '$1'}], ['$5']}]),
    t([{H, [], [#{k => '$2', l => '$2'}]}]),
    t([{H, [], [['$2', '$3' | '$4']]}]),
    t([{H, [], [{'+', '$2', {'-', '$3', '$4'}}]}]),
    t([{H, [{is_integer, '$6'}, {is_atom, '$7'}], ['$2', '$3']}]),
    t([{H, [], [{'andalso', '$2', '$3', '$4'}]}]),
    t([{H, [], [{'orelse', '$2', '$3'}]}]),
    t([{H, [], ['$2']}, {H, [], ['$3']}]),
    t([{H, [], [#{'$2' => '$3', '$4' => a}]}]),
    t([{H, [], [#{k1 => '$2', k2 => '$3', k0 => '$4'}]}]),
    t([{H, [], [{{'$2', {{'$3', '$4'}}, '$5'}}]}]),
    t([{H, [], ['$2', {nosuchfun, '$3'}, '$4']}]),
    t([{H, [], ['$2', {{}}, '$4']}]),
    t([{H, [], ['$2']}, {{'$1'}, [], [{bad}]}, {{'$1'}, [], ['$9']}]),
    t([{H, [], [{const, '$2'}, '$3']}]),
    t([{H, [], [{{'$2', x, '$3'}}, '$_', '$$', '$4']}]),
    t([{H, [], [[{{'$2'}}, '$3']]}]),
    t([{H, ['$2', '$3'], ['$4']}]),
    t([{H, [], [{}, '$2']}]),
    t([{H, [], [{1, a}, '$2']}]),
    t([{H, [], [{'$1', a}, '$2']}]),
    t([{H, [], [{message, x}, '$2']}]),
    t([{H, [], [{get_tcw}, '$2']}]),
    t([{H, [], ['$1']}, {H, [], ['$2', '$3']}]),
    t([{#{'$1' => 1}, [], ['$2']}]),
    t([{#{'_' => 1}, [], ['$2']}]),
    t([{H, [], ['$2']}, bad]),
    t([bad, {H, [], ['$2']}]),
    t([{H, x, ['$2']}]),
    t([{H, ['$3'], x}]),
    t([{H, [{'orelse'}, {'andalso'}], ['$2']}]),
    t([{H, [], [{is_integer, '$2', '$3'}]}]),
    t([{H, [], [{foo, {bar, '$2'}}]}]),
    t([{H, [], [{{{foo, '$2'}, {bar}}}]}]),
    t([{H, [], [{self, '$2'}]}]),
    t([{H, [], [{'-', '$2'}, {'not', '$3'}]}]),
    t([{H, [], [{'andalso', {'+', '$2', '$3'}, '$4'}]}]),
    t([{H, [], []}]),
    t([{H, ['$2'], []}]),
    t([{H, [], [{'and', true, true, true}]}]),
    t([{H, [], [{'and', true}]}]),
    t([{H, [], [{'and'}, '$2']}]),
    t([{H, [], [{'or', false, false, true}]}]),
    t([{H, [], [{'or', '$2', '$3'}]}]),
    t([{H, [], [{'and', 1, true}]}]),
    t([{H, [{'and', true, false}], [x]}]),
    t([{H, [], [{const}, '$2']}]),
    t([{H, [], [{const, a, b}, '$2']}]),
    t([{H, [], [{self}, {self, a}, '$2']}]),
    t([{H, [], [[a | b], '$2' | '$3']}]),
    t([{H, ['$2' | '$3'], ['$4']}]),
    t([{H, [], ['$4', '$3' | x]}]),
    t(x),
    t([{H, [], ['$1']} | x]),
    t([]),
    io:format("~p~n", [catch ets:select(ets:new(t, []), [])]),
    io:format("~p~n", [element(1, catch ets:match_spec_compile([]))]),
    io:format("~p~n", [element(1, catch ets:match_spec_compile([{H, [], [{{'$2', '$3'}}]}]))]),
    tr([{['$1'], [], [{{'$2', '$3'}}]}]),
    tr([{['$1'], [{message, '$2'}], [{message, '$3', x}, '$4']}]),
    tr([{['$1'], [], [{return_trace, x}, {exception_trace}]}]),
    tr([{['$1'], [], [{display, x, y}]}]),
    tr(['_', {['$1'], [], []}]),
    tr([{'_', [], [x]}]),
    tr([{x, [], ['$2']}, {['$1'], [], []}]),
    tr([{a, [], ['$2']}]),
    tr([{['$1'], [], [{get_tcw, x}, {set_tcw}, {set_tcw, '$2'}]}]),
    tr([{['$1'], [{get_tcw}], [{set_tcw, 1}]}]),
    tr([{['$1'], [{self}], [{self}]}]),
    tr([{['$1'], [{is_seq_trace}], [true]}]),
    %% Each trace form with operands it does not take, and in a guard.
    [begin
         [tr([{['$1'], [], [list_to_tuple([F | lists:duplicate(N, x)])]}])
          || N <- [0, 1, 2, 3, 4], N < Min orelse N > Max],
         tr([{['$1'], [list_to_tuple([F | lists:duplicate(Min, x)])], [true]}])
     end || {F, Min, Max} <- [{message, 1, 1}, {is_seq_trace, 0, 0}, {set_seq_token, 2, 2},
                             {get_seq_token, 0, 0}, {return_trace, 0, 0},
                             {exception_trace, 0, 0}, {display, 1, 1}, {process_dump, 0, 0},
                             {enable_trace, 1, 2}, {disable_trace, 1, 2}, {trace, 2, 3},
                             {caller, 0, 0}, {silent, 1, 1}]],
    ok.
