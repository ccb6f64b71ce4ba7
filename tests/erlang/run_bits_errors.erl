-module(run_bits_errors).
-export([main/0]).

%% Binary construction errors: BEAM's error_info cause and message per
%% segment type.
main() ->
    Errors = [fun() -> X = id(-1), <<1:X>> end,
              fun() -> X = id(a), <<1:X>> end,
              fun() -> X = id(1.0), <<X:8>> end,
              fun() -> X = id(a), <<X/float>> end,
              fun() -> X = id(24), <<1.0:X/float>> end,
              fun() -> X = id(1 bsl 1100), <<X:64/float>> end,
              fun() -> X = id(16#D800), <<X/utf8>> end,
              fun() -> X = id(16#110000), <<X/utf16>> end,
              fun() -> X = id(-1), <<X/utf32>> end,
              fun() -> X = id(a), <<X/utf32>> end,
              fun() -> X = id(<<1:3>>), <<X/binary>> end,
              fun() -> X = id(<<1, 2>>), <<X:3/binary>> end,
              fun() -> X = id(foo), <<X/binary>> end,
              fun() -> X = id(1 bsl 64), <<1:X>> end,
              fun() -> X = id(1 bsl 64), <<1:X/float>> end,
              fun() -> X = id(1 bsl 64), <<<<1>>:X/binary>> end,
              fun() -> X = id(<<1:3>>), <<X/binary, 1>> end,
              fun() -> X = id(<<1:3>>), <<1, X/binary>> end,
              fun() -> X = id(foo), <<X/binary, 1>> end,
              fun() -> X = id(foo), <<X/bits, 1>> end,
              fun() -> X = id(-2), <<X:8, 1/utf8, X/binary>> end,
              fun() -> X = id(a), <<1:4, X:4>> end,
              fun() -> X = id(a), S = id(b), <<X:S>> end,
              fun() -> X = id(<<1,2,3>>), S = id(-1), <<X:S/binary>> end,
              fun() -> X = id(<<1,2,3>>), S = id(a), <<X:S/binary>> end,
              fun() -> X = id(1.5), S = id(a), <<X:S/float>> end],
    [report(E) || E <- Errors],
    ok.
id(X) -> X.

%% Class, reason, the first stack frame (with BEAM's error_info) and the
%% message erl_erts_errors makes of it.
report(E) ->
    try E() of
        V -> io:format("no error: ~p~n", [V])
    catch
        C:R:St ->
            io:format("~p ~p~n~p~n~p~n", [C, R, hd(St), erl_erts_errors:format_bs_fail(R, St)])
    end.
