%% The stack trace of an error raised by an `erlang` function that BEAM 25
%% runs as Erlang code (erlang.erl) and Enigma natively: called last, the
%% caller's frame is gone (BEAM's tail call left none), as opposed to a
%% BIF called last (atom_to_list/1), whose caller stays; called not last,
%% the caller shows with its line either way.
%% Called by a local fun, directly, or by a fun through a remote call.
-module(run_tail_bif_frames).
-export([main/0, tail_b2a/1, tail_spawn/1, tail_a2l/1, tail_a2b/1, tail_gc/1, tail_halt/1]).


tail_b2a(X) -> binary_to_atom(X).
body_b2a(X) -> R = binary_to_atom(X), {R}.
tail_b2ea(X) -> binary_to_existing_atom(X).
tail_a2b(X) -> atom_to_binary(X).
body_a2b(X) -> R = atom_to_binary(X), {R}.
tail_spawn(X) -> spawn(X).
body_spawn(X) -> R = spawn(X), {R}.
tail_a2l(X) -> atom_to_list(X).
body_a2l(X) -> R = atom_to_list(X), {R}.
tail_gc(X) -> erlang:garbage_collect(X).
tail_gc2(X) -> erlang:garbage_collect(X, []).
tail_gl(X) -> group_leader(X, X).
tail_ctu(X) -> erlang:convert_time_unit(X, second, millisecond).
tail_mem(X) -> erlang:memory(X).
tail_l2u(X) -> erlang:localtime_to_universaltime(X).
tail_pm(X) -> erlang:purge_module(X).
tail_pd(X) -> erlang:process_display(X, backtrace).
tail_cpc(X) -> erlang:check_process_code(X, m).
tail_lm(X) -> erlang:load_module(X, <<>>).
tail_halt(X) -> halt(X).
tail_susp(X) -> erlang:suspend_process(X).
tail_pc(X) -> erlang:port_close(X).
tail_pi(X) -> erlang:port_info(X).
tail_l2a(X) -> list_to_atom(X).

t(Name, F, X) ->
    try F(X) of
        V -> io:format("~s: ~p~n", [Name, V])
    catch C:R:S ->
        Mine = [Fr || Fr <- S, lists:member(element(1, Fr), [?MODULE, erlang])],
        io:format("~s: ~p ~p~n~p~n", [Name, C, R, Mine])
    end.

%% A fun of no arguments, its call not last in a try without `of`.
t0(Name, F) ->
    try F() catch C:R:S ->
        Mine = [Fr || Fr <- S, lists:member(element(1, Fr), [?MODULE, erlang])],
        io:format("~s: ~p ~p~n~p~n", [Name, C, R, Mine])
    end.

main() ->
    t(tail_b2a, fun tail_b2a/1, 1),
    t(tail_b2a_bad, fun tail_b2a/1, <<255>>),
    t(body_b2a, fun body_b2a/1, 1),
    t(tail_b2ea, fun tail_b2ea/1, <<"surely_not_an_existing_atom_xyz">>),
    t(tail_a2b, fun tail_a2b/1, 1),
    t(body_a2b, fun body_a2b/1, 1),
    t(tail_spawn, fun tail_spawn/1, 1),
    t(body_spawn, fun body_spawn/1, 1),
    t(tail_a2l, fun tail_a2l/1, 1),
    t(body_a2l, fun body_a2l/1, 1),
    t(tail_gc, fun tail_gc/1, 1),
    t(tail_gc2, fun tail_gc2/1, 1),
    t(tail_gl, fun tail_gl/1, 1),
    t(tail_ctu, fun tail_ctu/1, a),
    t(tail_mem, fun tail_mem/1, a),
    t(tail_l2u, fun tail_l2u/1, a),
    t(tail_pm, fun tail_pm/1, 1),
    t(tail_pd, fun tail_pd/1, 1),
    t(tail_cpc, fun tail_cpc/1, 1),
    t(tail_lm, fun tail_lm/1, 1),
    t(tail_halt, fun tail_halt/1, {bad}),
    t(tail_susp, fun tail_susp/1, 1),
    t(tail_pc, fun tail_pc/1, 1),
    t(tail_pi, fun tail_pi/1, 1),
    t(tail_l2a, fun tail_l2a/1, 1),
    %% Through a fun calling the function remotely, last.
    t(remote_b2a, fun(Y) -> ?MODULE:tail_b2a(Y) end, 1),
    t(remote_spawn, fun(Y) -> ?MODULE:tail_spawn(Y) end, 1),
    t(remote_a2l, fun(Y) -> ?MODULE:tail_a2l(Y) end, 1),
    t(remote_a2b, fun(Y) -> ?MODULE:tail_a2b(Y) end, 1),
    t(remote_gc, fun(Y) -> ?MODULE:tail_gc(Y) end, 1),
    t(remote_halt, fun(Y) -> ?MODULE:tail_halt(Y) end, {bad}),
    [t(Name, fun(Y) -> apply(?MODULE, Name, [Y]) end, 1) || Name <- [tail_b2a, tail_spawn, tail_a2l]],
    t0(t0_b2a, fun() -> ?MODULE:tail_b2a(1) end),
    t0(t0_spawn, fun() -> ?MODULE:tail_spawn(1) end),
    t0(t0_a2l, fun() -> ?MODULE:tail_a2l(1) end),
    t0(t0_a2b, fun() -> ?MODULE:tail_a2b(1) end),
    t0(t0_gc, fun() -> ?MODULE:tail_gc(1) end),
    ok.
