%% `erlang:memory(binary)` counts the off-heap binaries alive: 1 MB and
%% then 3 MB held by this process show; `code` counts loaded code. Only
%% bounds are printed (BEAM's numbers include its allocators' overhead;
%% when a dropped binary is freed differs, so that is not printed).
-module(run_memory_binary).
-export([main/0]).

main() ->
    B = binary:copy(<<"x">>, 1048576),
    Held = erlang:memory(binary),
    io:format("holds 1 MB: ~p~n", [Held >= 1048576]),
    io:format("size: ~p~n", [byte_size(B)]),
    Bs = [binary:copy(<<I>>, 262144) || I <- lists:seq(1, 8)],
    More = erlang:memory(binary),
    io:format("sizes: ~p~n", [lists:sum([byte_size(X) || X <- Bs])]),
    io:format("holds 3 MB: ~p~n", [More >= 3 * 1048576]),
    io:format("in memory/0: ~p~n",
              [proplists:get_value(binary, erlang:memory()) >= 3 * 1048576]),
    io:format("code: ~p~n", [erlang:memory(code) > 0]),
    io:format("system covers binary: ~p~n",
              [erlang:memory(system) >= erlang:memory(binary)]),
    %% Both still alive here: the checks above saw them.
    io:format("kept: ~p~n", [byte_size(B) + length(Bs)]).

