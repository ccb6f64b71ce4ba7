%% Appending to bitstrings whose size is not a whole number of bytes:
%% in place when the buffer allows, and never visible to another term
%% that shares the prefix (branching appends, sent copies, sub-binaries).
-module(run_bits_append).
-export([main/0]).

bits(0, Acc) -> Acc;
bits(N, Acc) -> bits(N - 1, <<Acc/bitstring, (N band 1):1>>).

mixed(0, Acc) -> Acc;
mixed(N, Acc) when N rem 3 =:= 0 -> mixed(N - 1, <<Acc/bitstring, N:13/little>>);
mixed(N, Acc) when N rem 3 =:= 1 -> mixed(N - 1, <<Acc/bitstring, (N band 255):8, "xy">>);
mixed(N, Acc) -> mixed(N - 1, <<Acc/bitstring, <<N:5>>/bitstring, 1.5:32/float>>).

id(X) -> X.

%% The error and its top frame (erl's boot adds frames below main/0).
err(F) ->
    try F() catch error:R:S -> {R, hd(S)} end.

show(B) -> {bit_size(B), erlang:phash2(B), binary:part(<<B/bitstring, 0:(8 - bit_size(B) rem 8 rem 8)>>, 0, 4)}.

echo() -> receive {From, B} -> From ! {self(), <<B/bitstring, 3:2>>}, echo() end.

main() ->
    A = bits(100000, <<>>),
    io:format("~p~n", [show(A)]),
    M = mixed(30000, <<1:3>>),
    io:format("~p~n", [show(M)]),
    %% Two appends to one base: each sees its own bits.
    Base = bits(1001, <<>>),
    X = <<Base/bitstring, 0:3>>,
    Y = <<Base/bitstring, 7:3>>,
    Z = <<Base/bitstring, 5:7>>,
    X2 = <<X/bitstring, 1:1>>,
    io:format("~p~n", [[show(T) || T <- [Base, X, Y, Z, X2]]]),
    io:format("~p~n", [[X =:= <<Base/bitstring, 0:3>>, Y =:= <<Base/bitstring, 7:3>>,
                        binary:part(<<X2/bitstring, 0:3>>, 0, 126) =:= binary:part(<<X/bitstring, 0:4>>, 0, 126)]]),
    %% A bitstring sent to another process: both go on appending.
    P = spawn(fun echo/0),
    Sent = bits(2003, <<>>),
    P ! {self(), Sent},
    Mine = <<Sent/bitstring, 0:2>>,
    receive {P, Theirs} -> io:format("~p~n", [[show(Mine), show(Theirs), show(Sent)]]) end,
    Again = <<Sent/bitstring, 1:2>>,
    io:format("~p~n", [show(Again)]),
    %% A sub-binary that does not start at bit 0, and one that does.
    Big = bits(4000, <<>>),
    <<_:5, Mid:3000/bitstring, _/bitstring>> = Big,
    <<Head:2001/bitstring, _/bitstring>> = Big,
    io:format("~p~n", [[show(<<Mid/bitstring, 1:1>>), show(<<Head/bitstring, 2:2>>), show(Big)]]),
    %% Appending bytes to a bitstring, and bits to bytes.
    B8 = binary:copy(<<"abc">>, 100),
    io:format("~p~n", [[show(<<B8/binary, 1:1>>), show(<<Head/bitstring, B8/binary>>),
                        show(<<(<<Head/bitstring, B8/binary>>)/bitstring, "z">>)]]),
    %% Errors keep BEAM's reasons.
    Short = <<Head:7/bitstring>>,
    io:format("~p~n", [[err(fun() -> <<Short/binary, 1>> end),
                        err(fun() -> <<Short/bitstring, (id(foo)):3>> end)]]),
    ok.
