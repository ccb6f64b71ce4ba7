%% BIFs whose work grows with their input charge reductions in proportion
%% (BEAM's `BUMP_REDS`), so a process looping on them is switched out
%% after each call: with every scheduler busy with such loops, a timer's
%% message and a reply from another process still arrive. Counts are
%% printed only as "more than the calls alone" (BEAM also charges garbage
%% collections, so exact counts differ). Too big for the GC-stress run.
-module(run_bif_reductions).
-export([main/0]).

-define(CALLS, 10).

main() ->
    B = binary:copy(<<"abc\n">>, 25000),
    L = lists:seq(1, 10000),
    KL = [{I, I} || I <- lists:seq(1, 50000)],
    Str = lists:duplicate(100000, $a),
    T = term_to_binary(L),
    Cases = [{binary_to_list, fun() -> binary_to_list(B) end},
             {list_to_binary, fun() -> list_to_binary(Str) end},
             {iolist_to_binary, fun() -> iolist_to_binary([B, Str]) end},
             {matches, fun() -> binary:matches(B, <<"\n">>) end},
             {match, fun() -> binary:match(B, <<"zz">>) end},
             {split, fun() -> binary:split(B, <<"\n">>, [global]) end},
             {split_ac, fun() -> binary:split(B, [<<"x">>, <<"yz">>]) end},
             {reverse, fun() -> lists:reverse(L) end},
             {length, fun() -> length(L) end},
             {member, fun() -> lists:member(x, L) end},
             {keyfind, fun() -> lists:keyfind(x, 1, KL) end},
             {term_to_binary, fun() -> term_to_binary(L) end},
             {binary_to_term, fun() -> binary_to_term(T) end},
             {characters_to_list, fun() -> unicode:characters_to_list(B) end}],
    [io:format("~p charged: ~p~n", [N, spent(F) > 1000]) || {N, F} <- Cases],
    preempted(binary:copy(B, 10), lists:seq(1, 100000)).

spent(F) ->
    erlang:garbage_collect(),
    {reductions, R0} = process_info(self(), reductions),
    [F() || _ <- lists:seq(1, ?CALLS)],
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.

%% One looping process per scheduler, each on a long BIF; this process
%% still gets its timer message and an echo's reply, several times.
preempted(B, L) ->
    Loops = [fun() -> binary:matches(B, <<"\n">>) end,
             fun() -> binary_to_list(B) end,
             fun() -> lists:reverse(L) end],
    N = erlang:system_info(schedulers),
    Busy = [spawn(fun() -> loop(lists:nth(I rem 3 + 1, Loops)) end) || I <- lists:seq(1, N)],
    Echo = spawn(fun echo/0),
    Rounds = [round(Echo, I) || I <- lists:seq(1, 5)],
    [exit(P, kill) || P <- [Echo | Busy]],
    io:format("rounds: ~p~n", [Rounds]).

round(Echo, I) ->
    erlang:send_after(10, self(), {tick, I}),
    Echo ! {self(), I},
    A = receive {tick, I} -> tick end,
    E = receive {echo, I} -> echo end,
    {A, E}.

loop(F) ->
    F(),
    loop(F).

echo() ->
    receive {From, X} -> From ! {echo, X} end,
    echo().
