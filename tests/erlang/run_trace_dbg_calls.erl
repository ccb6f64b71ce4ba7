%% dbg's call tracing as a user types it in a shell: dbg:tracer with a
%% handler fun (deterministic output: the handler collects, the test
%% prints), dbg:p/2 with `c`, dbg:tp and dbg:tpl with a fun2ms spec
%% asking for return values, dbg:ctp, and the events of local and
%% external calls, returns and exceptions.
-module(run_trace_dbg_calls).
-export([main/0, double/1, fact/1, boom/1]).
-include_lib("stdlib/include/ms_transform.hrl").

double(X) -> 2 * X.
fact(0) -> 1;
fact(N) -> N * fact(N - 1).
boom(X) -> error({boom, X}).

collect() ->
    Self = self(),
    fun(Msg, N) -> Self ! {event, N, strip(Msg)}, N + 1 end.

strip({trace, _Pid, Kind, What}) -> {Kind, What};
strip({trace, _Pid, Kind, What, Extra}) -> {Kind, What, Extra};
strip(Other) -> Other.

%% The next `N` events the handler passed on, in its order (numbered by
%% its state), waiting for each.
events(N) ->
    [receive {event, _, E} -> E after 5000 -> timeout end || _ <- lists:seq(1, N)].

caught(F) ->
    try F() catch error:R -> {error, R} end.

main() ->
    {ok, _} = dbg:tracer(process, {collect(), 0}),
    {ok, _} = dbg:p(self(), [c]),
    io:format("tp: ~p~n", [dbg:tp(?MODULE, double, 1, [])]),
    io:format("tpl: ~p~n", [dbg:tpl(?MODULE, fact, dbg:fun2ms(fun(_) -> return_trace() end))]),
    io:format("calls: ~p~n", [[?MODULE:double(21), fact(3)]]),
    io:format("events: ~p~n", [events(9)]),
    io:format("ctp: ~p~n", [dbg:ctp(?MODULE, fact, 1)]),
    io:format("tp x: ~p~n", [dbg:tp(?MODULE, boom, 1, dbg:fun2ms(fun([X]) when X > 1 -> exception_trace() end))]),
    io:format("calls: ~p~n", [[fact(2), caught(fun() -> ?MODULE:boom(1) end),
                               caught(fun() -> ?MODULE:boom(2) end)]]),
    io:format("events: ~p~n", [events(2)]),
    %% Nothing more comes (the test waits 100 ms).
    io:format("after: ~p~n", [receive {event, _, E} -> E after 100 -> none end]),
    dbg:stop(),
    ok.
