%% The unit of an appended binary is checked on every construction path:
%% alone (`<<X/binary-unit:16>>`), followed by whole-byte integers and
%% strings (the append fast path), by other segments (the general path),
%% in a loop that appends in place, and for bases of partial bytes.
-module(run_bits_append_unit).
-export([main/0]).

main() ->
    Bins = [<<>>, <<1>>, <<1, 2>>, <<1, 2, 3>>, <<1, 2, 3, 4>>, <<1:12>>, <<1:4>>,
            binary:copy(<<7>>, 70), binary:copy(<<7>>, 71)],
    [begin
         report(alone16, fun() -> <<(id(B))/binary-unit:16>> end),
         report(alone3, fun() -> <<(id(B))/binary-unit:3>> end),
         report(alone4, fun() -> <<(id(B))/binary-unit:4>> end),
         report(int16, fun() -> <<(id(B))/binary-unit:16, 1:8>> end),
         report(int32, fun() -> <<(id(B))/binary-unit:32, 1:16/little, "s">> end),
         report(str3, fun() -> <<(id(B))/binary-unit:3, "ab">> end),
         report(general16, fun() -> <<(id(B))/binary-unit:16, 1:3>> end),
         report(float16, fun() -> <<(id(B))/binary-unit:16, 1.0/float>> end),
         report(utf16, fun() -> <<(id(B))/binary-unit:16, 300/utf8>> end),
         report(unit4, fun() -> <<(id(B))/binary-unit:4, 1:8>> end),
         report(unit12, fun() -> <<(id(B))/binary-unit:12, 1:4>> end)
     end || B <- Bins],
    report(loop16, fun() -> loop(5, <<>>) end),
    report(loop_odd, fun() -> loop(5, <<9>>) end),
    ok.

%% Appends in place through the fast path, each step checking the unit.
loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, <<Acc/binary-unit:16, N:16>>).

id(X) -> X.

report(Label, F) ->
    try F() of
        V -> io:format("~p: ~w~n", [Label, V])
    catch
        C:R:St ->
            {_, _, _, Info} = hd(St),
            io:format("~p: ~p ~p ~p~n", [Label, C, R, proplists:get_value(error_info, Info)])
    end.
