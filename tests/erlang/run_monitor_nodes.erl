%% process_flag(monitor_nodes, _) and its {monitor_nodes, Options} form
%% (what net_kernel:monitor_nodes/1,2 set) on a node that is not
%% distributed: counted per kind of options, bad options badarg; so pg's
%% scopes start and work locally.
-module(run_monitor_nodes).
-export([main/0]).

-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).

main() ->
    io:format("~p~n", [[process_flag(monitor_nodes, true), process_flag(monitor_nodes, true), process_flag(monitor_nodes, false),
                        process_flag(monitor_nodes, false), ?T(process_flag(monitor_nodes, x)),
                        ?T(process_flag({monitor_nodes, [nodedown_reason]}, true))]]),
    io:format("~p~n", [[process_flag({monitor_nodes, #{}}, true), process_flag({monitor_nodes, #{}}, true), process_flag(monitor_nodes, true),
                        process_flag({monitor_nodes, #{nodedown_reason => true}}, true), process_flag({monitor_nodes, #{list => true}}, true),
                        process_flag({monitor_nodes, #{list => true}}, true), ?T(process_flag({monitor_nodes, #{bogus => 1}}, true)),
                        process_flag({monitor_nodes, #{node_type => all}}, true), ?T(process_flag({monitor_nodes, #{node_type => bad}}, true)),
                        process_flag({monitor_nodes, #{node_type => visible}}, true), process_flag(monitor_nodes, false),
                        process_flag({monitor_nodes, #{}}, false), process_flag({monitor_nodes, #{list => true}}, false),
                        process_flag({monitor_nodes, #{nodedown_reason => false}}, true), ?T(process_flag({monitor_nodes, #{list => 1}}, true)),
                        ?T(process_flag({monitor_nodes, x}, true)), ?T(process_flag({monitor_nodes, #{}}, maybe)),
                        ?T(process_flag({monitor_nodes, #{}, x}, true)), ?T(process_flag({other, #{}}, true)),
                        process_info(self(), monitors)]]),
    io:format("~p~n", [[net_kernel:monitor_nodes(true), net_kernel:monitor_nodes(true, [nodedown_reason]),
                        net_kernel:monitor_nodes(true, #{node_type => hidden, connection_id => true}), net_kernel:monitor_nodes(false),
                        net_kernel:monitor_nodes(true, [bogus]), ?T(net_kernel:monitor_nodes(x))]]),
    {ok, _Pg} = pg:start_link(),
    Self = self(),
    Other = spawn_link(fun() -> receive stop -> ok end end),
    ok = pg:join(grp, Self),
    ok = pg:join(grp, [Other, Self]),
    ok = pg:join(other_grp, Other),
    io:format("~p~n", [[lists:sort(pg:get_members(grp)) =:= lists:sort([Self, Self, Other]), lists:sort(pg:which_groups()),
                        length(pg:get_local_members(grp)), pg:get_members(none)]]),
    io:format("~p~n", [[pg:leave(grp, Self), length(pg:get_members(grp)), pg:leave(none, Self)]]),
    Ref = monitor(process, Other),
    Other ! stop,
    receive {'DOWN', Ref, process, Other, normal} -> ok end,
    %% pg forgets a dead member once it has seen its own 'DOWN', which is
    %% not ordered with this process's: wait for it.
    ok = until(fun() -> pg:get_members(grp) =:= [Self] end),
    io:format("~p~n", [[pg:get_members(grp) =:= [Self], pg:which_groups()]]),
    {ok, Scope} = pg:start(my_scope),
    ok = pg:join(my_scope, g, Self),
    io:format("~p~n", [[pg:get_members(my_scope, g) =:= [Self], pg:which_groups(my_scope), is_pid(Scope)]]),
    ok.

until(Done) -> until(Done, 5000).

until(_, 0) -> timeout;
until(Done, N) ->
    case Done() of
        true -> ok;
        false -> receive after 1 -> until(Done, N - 1) end
    end.
