%% process_flag(save_calls, N) and process_info(P, last_calls): which
%% calls BEAM saves (calls through export entries, to Erlang functions,
%% BIFs and external funs; `send`, `receive` and `timeout`), in what
%% order, and how the buffer is cut and reset.
-module(run_save_calls).
-export([main/0, loc/1, ext/0, ext2/2, loop/1]).

loc(X) -> X + 1.
ext() -> ok.
ext2(A, B) -> {A, B}.
f(X) -> X.
loop(0) -> done;
loop(N) -> ?MODULE:loop(N - 1).
nloop(0) -> done;
nloop(N) -> nloop(N - 1).

%% Runs Body with a fresh buffer of N entries, then reads the buffer.
calls(N, Body) ->
    process_flag(save_calls, N),
    Body(),
    L = process_info(self(), last_calls),
    process_flag(save_calls, 0),
    L.

show(Name, N, Body) ->
    io:format("~s: ~p~n", [Name, calls(N, Body)]).

main() ->
    io:format("off: ~p~n", [process_info(self(), last_calls)]),
    show("nothing", 10, fun() -> ok end),
    show("local", 10, fun() -> f(1), f(2) end),
    show("remote", 10, fun() -> ?MODULE:loc(1), ?MODULE:ext() end),
    show("remote tail", 10, fun() -> ?MODULE:ext() end),
    show("guard bifs", 10, fun() -> X = [1, 2], _ = hd(X), _ = length(X), _ = element(1, {a}), _ = self() end),
    show("bifs", 10, fun() -> _ = atom_to_list(a), _ = erlang:list_to_atom("b"), _ = lists:reverse([1, 2]) end),
    show("lists bif", 10, fun() -> _ = lists:reverse([1, 2], []), _ = lists:member(a, [a]) end),
    show("send", 10, fun() -> self() ! hi, receive hi -> ok end end),
    show("erlang:send", 10, fun() -> erlang:send(self(), hi), receive hi -> ok end end),
    show("send/3", 10, fun() -> erlang:send(self(), hi, []), receive hi -> ok end end),
    show("timeout", 10, fun() -> receive after 1 -> ok end end),
    show("timeout 0", 10, fun() -> receive nothing -> ok after 0 -> ok end end),
    show("selective", 10, fun() -> self() ! a, self() ! b, receive b -> ok end, receive a -> ok end end),
    show("apply", 10, fun() -> M = ?MODULE, F = ext2, apply(M, F, [1, 2]) end),
    show("erlang:apply/3", 10, fun() -> A = [1, 2], erlang:apply(?MODULE, ext2, A) end),
    show("apply fun", 10, fun() -> G = fun ?MODULE:ext/0, A = [], erlang:apply(G, A) end),
    show("external fun", 10, fun() -> G = fun ?MODULE:loc/1, G(1) end),
    show("local fun", 10, fun() -> G = fun(Y) -> Y end, G(1) end),
    show("bif fun", 10, fun() -> G = fun erlang:atom_to_list/1, G(a) end),
    show("loop 5", 10, fun() -> loop(5) end),
    show("remote loop 3", 3, fun() -> ?MODULE:loop(5) end),
    show("local loop", 10, fun() -> nloop(100) end),
    show("wrap", 4, fun() -> [?MODULE:loc(I) || I <- lists:seq(1, 10)] end),
    show("one", 1, fun() -> ?MODULE:ext() end),
    show("catch", 10, fun() -> catch error(x), catch throw(y), catch exit(z) end),
    show("badarg", 10, fun() -> catch list_to_atom(1) end),
    show("spawn", 10, fun() -> P = spawn(fun() -> ok end), is_pid(P) end),
    show("make_ref put get", 10, fun() -> R = make_ref(), put(k, R), get(k), erase(k) end),
    show("process_info", 10, fun() -> process_info(self(), reductions) end),
    %% Setting a size resets the buffer and returns the old size.
    io:format("old ~p~n", [process_flag(save_calls, 7)]),
    io:format("old ~p~n", [process_flag(save_calls, 3)]),
    ?MODULE:ext(),
    io:format("reset ~p~n", [process_info(self(), last_calls)]),
    io:format("old ~p~n", [process_flag(save_calls, 0)]),
    io:format("list ~p~n", [process_info(self(), [last_calls, status])]),
    [io:format("~p~n", [try process_flag(save_calls, V) catch C:E -> {C, E} end]) || V <- [10001, -1, a, 1.0]],
    io:format("~p~n", [try process_flag(self(), save_calls, x) catch C1:E1 -> {C1, E1} end]),
    io:format("~p~n", [process_flag(self(), save_calls, 2)]),
    io:format("~p~n", [process_flag(self(), save_calls, 0)]),
    io:format("~p~n", [process_flag(save_calls, 10000)]),
    io:format("~p~n", [process_flag(save_calls, 0)]),
    %% Another process's buffer, read by process_info/2.
    Self = self(),
    P = spawn(fun() ->
                      process_flag(save_calls, 5),
                      ?MODULE:ext(),
                      Self ! ready,
                      receive stop -> ok end
              end),
    receive ready -> ok end,
    io:format("other ~p~n", [process_info(P, last_calls)]),
    io:format("set other ~p~n", [process_flag(P, save_calls, 2)]),
    io:format("other ~p~n", [process_info(P, last_calls)]),
    P ! stop,
    Q = spawn(fun() -> receive go -> ?MODULE:ext(), ?MODULE:loc(1), Self ! done end, receive stop -> ok end end),
    io:format("set waiting ~p~n", [process_flag(Q, save_calls, 3)]),
    Q ! go,
    receive done -> ok end,
    io:format("waiting ~p~n", [process_info(Q, last_calls)]),
    Q ! stop,
    io:format("dead ~p~n", [try process_flag(list_to_pid("<0.999.0>"), save_calls, 2) catch C2:E2 -> {C2, E2} end]),
    ok.
