%% Loops whose arithmetic the JIT does in place (the result in its first
%% operand's register) and whose overflow exits must undo it, and loops
%% testing one bit (`N band 2^k`), whose exits and side traces know the
%% bit's value: every exit is taken on purpose.
-module(run_jit_inplace).
-export([main/0]).

-define(MAX, 576460752303423487). % the largest small integer, 2^59 - 1
-define(MIN, -576460752303423488).

main() ->
    %% collatz steps (compiled by now) counted from near the top of the
    %% small range: S + 1 overflows into a bignum halfway (in place,
    %% undone at the exit).
    io:format("~p~n", [lists:sum([steps(N, 0) || N <- lists:seq(1, 400)])]),
    io:format("~p~n", [[steps(N, ?MAX - 40) || N <- [1, 7, 27, 97, 871]]]),
    io:format("~p~n", [lists:sum([steps(N, ?MAX - 60) - ?MAX || N <- lists:seq(1, 400)])]),
    io:format("~p~n", [[steps(N, 0) || N <- [6, 27, 255, 1 bsl 40]]]),
    %% An odd start reaching past the small range (3 * N + 1 overflows).
    io:format("~p~n", [steps(?MAX div 3 + 3, 0)]),
    %% A register operand and a constant beyond 32 bits, undone.
    io:format("~p~n", [sub_loop(1000, ?MIN + 20000, 37)]),
    io:format("~p~n", [sub_loop(100, 0, 37)]),
    io:format("~p~n", [big_add(1000, ?MAX - (500 bsl 32), 0)]),
    io:format("~p~n", [big_add(100, 0, 0)]),
    %% Bit 2 set or clear, each way, with a float turning up at the end.
    io:format("~p~n", [bits(2000, 0, 0)]),
    io:format("~p~n", [bits(2000, 0, ?MAX - 900)]),
    io:format("~p~n", [bits(2000, 0, 1.5)]),
    io:format("~p~n", [try bits(20, 0, foo) catch error:R -> R end]),
    io:format("~p~n", [clear_bit(3000, 0)]),
    io:format("~p~n", [mask(3000, 0, 0)]).

steps(1, S) -> S;
steps(N, S) when N band 1 =:= 0 -> steps(N bsr 1, S + 1);
steps(N, S) -> steps(3 * N + 1, S + 1).

sub_loop(0, Acc, _) -> Acc;
sub_loop(N, Acc, K) -> sub_loop(N - 1, Acc - K, K).

big_add(0, Acc, Steps) -> {Acc, Steps};
big_add(N, Acc, Steps) -> big_add(N - 1, Acc + (1 bsl 32), Steps + 1).

%% N band 4 =/= 0: the other clause adds the bit itself.
bits(0, Acc, X) -> {Acc, X};
bits(N, Acc, X) when N band 4 =/= 0 -> bits(N - 1, Acc + (N band 4), X + 1);
bits(N, Acc, X) -> bits(N - 1, Acc - 1, X).

clear_bit(0, Acc) -> Acc;
clear_bit(N, Acc) when N band 8 =:= 0 -> clear_bit(N - 1, Acc * 2 rem 1000003 + (N band 8));
clear_bit(N, Acc) -> clear_bit(N - 1, Acc + (N band 8)).

%% Not a power of two: decides nothing.
mask(0, Acc, Odd) -> {Acc, Odd};
mask(N, Acc, Odd) when N band 6 =:= 0 -> mask(N - 1, Acc + 1, Odd);
mask(N, Acc, Odd) -> mask(N - 1, Acc, Odd + (N band 6)).
