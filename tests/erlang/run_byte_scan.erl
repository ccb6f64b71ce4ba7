%% One-clause byte loops and their variants (`Instr::ByteLoop` whose head
%% is a `bs_start_match` and a byte read, not a byte test): summing,
%% counting, a counter and an accumulator, a guard in the body, a
%% two-clause head with a guard, skipping bytes. Each on short binaries,
%% sub-binaries, bitstrings with trailing bits, contexts at a bit offset,
%% sums that leave the small integers, bad arguments, and loops long
%% enough to yield many times, alone and side by side.
-module(run_byte_scan).
-export([main/0]).

main() ->
    Line = <<"the quick brown fox jumps over the lazy dog 0123456789\n">>,
    Big = binary:copy(Line, 3000),
    Inputs = [{empty, <<>>}, {one, <<"a">>}, {nl, <<"\n">>}, {digit, <<"7">>},
              {heap, <<"ab\ncd 12\n\nx 9">>}, {big, Big}, {part, binary:part(Big, 7, 5000)},
              {from_list, list_to_binary(lists:duplicate(700, $q))},
              {offset, offset(Big, 3)}, {offset_part, binary:part(offset(Big, 1), 10, 800)},
              {bytes_255, binary:copy(<<255, 0, 10, 32, 128, $5>>, 1000)},
              {trail3, <<Big/binary, 5:3>>}, {trail7, <<"abc\nde 4", 127:7>>},
              {trail1, <<(binary:copy(<<"z">>, 100))/binary, 1:1>>}, {bits_only, <<3:5>>},
              {not_binary, an_atom}, {list, "abc"}],
    Funs = [{sum, fun(B) -> sum(B, 0) end},
            {acc, fun(B) -> acc(B, 0) end},
            {len, fun(B) -> len(B, 0) end},
            {both, fun(B) -> both(B, 0, 0) end},
            {lines, fun(B) -> lines(B, 0) end},
            {spaces, fun(B) -> spaces(B, 0) end},
            {digits, fun(B) -> digits(B, 0) end},
            {moved, fun(B) -> moved(B, 0, 1) end},
            {bits, fun(B) -> bits(B, 0) end},
            {hash, fun(B) -> hash(B, 5381) end}],
    [io:format("~p ~p ~p~n", [F, Name, safe(fun() -> Fun(B) end)])
     || {F, Fun} <- Funs, {Name, B} <- Inputs],
    [io:format("grow ~p ~p~n", [Start, acc(Big, Start)])
     || Start <- [0, (1 bsl 59) - 50000, -(1 bsl 59) + 100, 1 bsl 80, 2.5]],
    io:format("count big ~p~n", [both(Big, (1 bsl 59) - 3000, 0)]),
    io:format("acc atom ~p~n", [safe(fun() -> acc(Big, a) end)]),
    Long = binary:copy(Line, 40000),
    io:format("long ~p~n", [[sum(Long, 0), len(Long, 0), lines(Long, 0), both(Long, 0, 0)]]),
    Self = self(),
    Pids = [spawn(fun() ->
                      B = binary:copy(<<N, "\n", (N + 1), " ">>, 100000),
                      Self ! {self(), [sum(B, 0), lines(B, 0), both(B, 0, 0)]}
                  end)
            || N <- [1, 40, 200, $0]],
    io:format("side by side ~p~n", [[receive {P, R} -> R end || P <- Pids]]),
    ok.

safe(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R:St -> {C, R, frames(St)}
    end.

%% The top frame: function, arguments (their sizes for bitstrings) and line.
frames(St) ->
    [{M, F, args(A), proplists:get_value(line, Loc)} || {M, F, A, Loc} <- lists:sublist(St, 1)].

args(A) when is_list(A) -> [arg(X) || X <- A];
args(A) -> A.

arg(B) when is_bitstring(B) -> {bits, bit_size(B)};
arg(X) -> X.

%% A context over `B` from bit `N`: its bytes at no byte boundary.
offset(B, N) ->
    <<_:N, R/bitstring>> = <<0:N, B/binary>>,
    R.

%% The benchmark's loop.
sum(<<B:8, Rest/binary>>, S) -> sum(Rest, (S + B) band 16#FFFFFF);
sum(<<>>, S) -> S.

%% Summing bytes, no mask.
acc(<<B:8, Rest/binary>>, Acc) -> acc(Rest, Acc + B);
acc(<<>>, Acc) -> Acc.

%% Counting bytes.
len(<<_:8, Rest/binary>>, N) -> len(Rest, N + 1);
len(<<>>, N) -> N.

%% A counter and an accumulator.
both(<<B:8, Rest/binary>>, N, Acc) -> both(Rest, N + 1, Acc + B);
both(<<>>, N, Acc) -> {N, Acc}.

%% Counting one byte, the guard in the body.
lines(<<B:8, Rest/binary>>, N) ->
    case B of
        $\n -> lines(Rest, N + 1);
        _ -> lines(Rest, N)
    end;
lines(<<>>, N) -> N.

%% Counting one byte with an `if`.
spaces(<<B:8, Rest/binary>>, N) ->
    if B =:= $\s -> spaces(Rest, N + 1);
       true -> spaces(Rest, N)
    end;
spaces(<<>>, N) -> N.

%% Two clauses, a guard on the byte.
digits(<<B:8, Rest/binary>>, N) when B >= $0, B =< $9 -> digits(Rest, N + 1);
digits(<<_:8, Rest/binary>>, N) -> digits(Rest, N);
digits(<<>>, N) -> N.

%% Registers moved around at every byte.
moved(<<B:8, Rest/binary>>, A, C) -> moved(Rest, C, (A + B) band 16#FFFF);
moved(<<>>, A, C) -> {A, C}.

%% A bitstring tail: the loop ends with fewer than 8 bits left.
bits(<<B:8, Rest/bitstring>>, S) -> bits(Rest, S + B);
bits(<<T:3>>, S) -> {three, T, S};
bits(Rest, S) -> {bit_size(Rest), S}.

%% A hash: a multiply in the body, which the loop leaves to the
%% instruction loop at every byte.
hash(<<B:8, Rest/binary>>, H) -> hash(Rest, (H * 33 + B) band 16#FFFFFFFF);
hash(<<>>, H) -> H.
