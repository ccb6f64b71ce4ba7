%% erlang:system_info/1 items read by monitoring code: ets_count follows
%% the tables created and deleted, the OS clock sources' descriptions,
%% the alloc_util allocators.
-module(run_system_info_more).
-export([main/0]).

main() ->
    N0 = erlang:system_info(ets_count),
    io:format("~p~n", [N0 =:= length(ets:all())]),
    Ts = [ets:new(t, [Kind]) || Kind <- [set, ordered_set, bag]],
    io:format("~p~n", [erlang:system_info(ets_count) - N0]),
    Owner = spawn(fun() -> ets:new(owned, [public]), receive stop -> ok end end),
    ok = wait_count(N0 + 4),
    io:format("~p~n", [erlang:system_info(ets_count) - N0]),
    Ref = monitor(process, Owner),
    Owner ! stop,
    receive {'DOWN', Ref, process, Owner, _} -> ok end,
    [ets:delete(T) || T <- Ts],
    io:format("~p~n", [erlang:system_info(ets_count) - N0]),
    [io:format("~p~n", [[K || {K, _} <- erlang:system_info(I)]]) || I <- [os_monotonic_time_source, os_system_time_source]],
    [io:format("~p~n", [[V || {K, V} <- erlang:system_info(I), K =/= time]]) || I <- [os_monotonic_time_source, os_system_time_source]],
    {time, Mono} = lists:keyfind(time, 1, erlang:system_info(os_monotonic_time_source)),
    {time, Mono2} = lists:keyfind(time, 1, erlang:system_info(os_monotonic_time_source)),
    {time, Sys} = lists:keyfind(time, 1, erlang:system_info(os_system_time_source)),
    io:format("~p~n", [[is_integer(Mono), Mono2 >= Mono, abs(Sys - os:system_time(nanosecond)) < 60 * 1000000000]]),
    io:format("~p~n", [erlang:system_info(alloc_util_allocators)]),
    ok.

%% Waits until there are N tables (the other process makes its own).
wait_count(N) ->
    case erlang:system_info(ets_count) of
        N -> ok;
        _ -> receive after 1 -> wait_count(N) end
    end.
