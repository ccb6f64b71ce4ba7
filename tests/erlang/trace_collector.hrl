%% A trace collector for the call tracing programs: collector/1 keeps the
%% trace messages it gets; events/1 hands them back, normalised by the
%% including module's norm/1, once trace_delivered/1 says all arrived.

collector(Acc) ->
    receive
        {get, From} -> From ! {events, lists:reverse(Acc)}, collector([]);
        T -> collector([T | Acc])
    end.

events(C) ->
    Ref = erlang:trace_delivered(self()),
    receive {trace_delivered, _, Ref} -> ok end,
    C ! {get, self()},
    receive {events, Es} -> [norm(E) || E <- Es] end.
