%% A new process reports BEAM's first heap size (233 words) before any collection.
-module(run_new_heap_size).
-export([main/0]).
main() ->
    P = spawn(fun() -> receive stop -> ok end end),
    io:format("~p~n", [erlang:process_info(P, [heap_size, total_heap_size])]),
    {heap_size, H} = process_info(self(), heap_size),
    io:format("~p~n", [H >= 233]),
    P ! stop.
