%% Messages share off-heap binaries with the sender, as on BEAM: a
%% sub-binary keeps referencing its whole buffer in the receiver, and
%% every kind of term arrives equal to what was sent.
-module(run_msg_share).
-export([main/0]).

ref_size(B) when is_bitstring(B) -> binary:referenced_byte_size(B);
ref_size(_) -> none.

echo() ->
    receive
        {From, T} ->
            From ! {self(), T, ref_size(element(1, T))},
            echo()
    end.

main() ->
    P = spawn(fun echo/0),
    Big = binary:copy(<<"abcdefgh">>, 1000),
    <<_:10/binary, Sub:100/binary, _/binary>> = Big,
    Bits = <<Big/binary, 5:3>>,
    <<_:3, Odd:5000/bitstring, _/bitstring>> = Big,
    F = fun(X) -> {X, Sub} end,
    P ! {self(), {F}},
    receive {P, {F2}, _} -> io:format("~p~n", [F2(1) =:= F(1)]) end,
    Terms = [{Big}, {Sub}, {<<"small">>}, {Bits}, {Odd},
             {Sub, [Sub, Big], #{k => Sub}},
             {Big, F, 1.5, -(1 bsl 100), make_ref(), self(), "str", [a | b]},
             {<<>>, maps:from_list([{I, <<I>>} || I <- lists:seq(1, 100)])}],
    [begin
         P ! {self(), T},
         receive
             {P, T2, R} ->
                 io:format("~p ~p~n", [T2 =:= T, R])
         end
     end || T <- Terms],
    %% A long list and a deep tuple (kept small: GC stress copies them at
    %% every safe point; vm::term::copy tests a million).
    Long = lists:seq(1, 5000),
    Deep = lists:foldl(fun(_, A) -> {A} end, [], lists:seq(1, 5000)),
    P ! {self(), {Long, Deep}},
    receive {P, {L2, D2}, _} -> io:format("~p ~p~n", [L2 =:= Long, D2 =:= Deep]) end,
    ok.
