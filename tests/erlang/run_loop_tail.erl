%% The loader's fused loop tail (AddBandLoop: `+`/`-` of two registers,
%% `band` of its result with an integer, a register move and the back
%% edge): small sums, sums that overflow into bignums, bignum and float
%% accumulators, negative masks, `-`, a mask that keeps bignums (the
%% general path allocates at every step, so collections happen inside
%% the loop), and operands that are no numbers (the error and its stack
%% trace come from the add or the band).
-module(run_loop_tail).
-export([main/0]).

main() ->
    Bytes = binary:copy(<<"the quick brown fox\n", 0, 255>>, 300),
    io:format("sum ~p~n", [sum(Bytes, 0, 0)]),
    io:format("big start ~p~n", [sum(Bytes, 0, 1 bsl 70)]),
    io:format("near max ~p~n", [over(Bytes, (1 bsl 59) - 3)]),
    io:format("neg mask ~p~n", [neg(Bytes, 5)]),
    io:format("sub ~p~n", [sub(Bytes, 0)]),
    io:format("sub neg ~p~n", [sub(Bytes, -(1 bsl 59))]),
    io:format("keep ~p~n", [keep(Bytes, (1 bsl 58) + 7)]),
    io:format("keep neg ~p~n", [keep(Bytes, -(1 bsl 61))]),
    io:format("small mask ~p~n", [small_mask(Bytes, 0)]),
    io:format("tail bits ~p~n", [safe(fun() -> over(<<1, 2, 3:4>>, 0) end)]),
    [io:format("~p ~p~n", [Name, safe(F)])
     || {Name, F} <- [{float_acc, fun() -> over(Bytes, 1.5) end},
                      {atom_acc, fun() -> over(Bytes, a) end},
                      {float_sub, fun() -> sub(Bytes, 2.5) end},
                      {big_float, fun() -> keep(Bytes, 1.0e30) end},
                      {list_acc, fun() -> small_mask(<<1>>, [1]) end}]],
    ok.

safe(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R:St -> {C, R, frames(St)}
    end.

%% The top frames' functions and lines (arguments and error_info aside).
frames(St) ->
    [{M, F, arity(A), proplists:get_value(line, Loc)}
     || {M, F, A, Loc} <- lists:sublist(St, 2)].

arity(A) when is_list(A) -> length(A);
arity(A) -> A.

%% The benchmark's loop: a byte at a time, a masked sum.
sum(<<$\n, Rest/binary>>, Lines, Sum) -> sum(Rest, Lines + 1, Sum);
sum(<<B, Rest/binary>>, Lines, Sum) -> sum(Rest, Lines, (Sum + B) band 16#FFFFFF);
sum(<<>>, Lines, Sum) -> {Lines, Sum}.

%% Sums near the largest small integer: the add overflows, the band
%% brings it back.
over(<<B, Rest/binary>>, Acc) -> over(Rest, (Acc + B) band 16#7FFFFFF);
over(<<>>, Acc) -> Acc.

neg(<<B, Rest/binary>>, Acc) -> neg(Rest, (Acc + B) band -16);
neg(<<>>, Acc) -> Acc.

sub(<<B, Rest/binary>>, Acc) -> sub(Rest, (Acc - B) band 16#FFFF);
sub(<<>>, Acc) -> Acc.

%% A mask of -1 keeps every bit: sums past the small integers stay
%% bignums.
keep(<<B, Rest/binary>>, Acc) -> keep(Rest, (Acc + B) band -1);
keep(<<>>, Acc) -> Acc.

small_mask(<<B, Rest/binary>>, Acc) -> small_mask(Rest, (B + Acc) band 7);
small_mask(<<>>, Acc) -> Acc.
