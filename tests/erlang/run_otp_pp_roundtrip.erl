%% OTP's own sources (stdlib's) scanned, parsed and printed again by
%% erl_scan, erl_parse and erl_pp, and the printed text scanned again: the
%% counts and a hash of the text as erl gives them.
-module(run_otp_pp_roundtrip).
-export([main/0]).
main() ->
    Dir = filename:join(code:lib_dir(stdlib), "src"),
    [begin
         {ok, Bin, _} = erl_prim_loader:get_file(filename:join(Dir, F)),
         {ok, Toks, End} = erl_scan:string(binary_to_list(Bin), 1, [text]),
         Forms = split(Toks, [], []),
         Parsed = [erl_parse:parse_form(Fm) || Fm <- Forms],
         Ok = [P || {ok, P} <- Parsed],
         Text = lists:flatten([erl_pp:form(P) || P <- Ok]),
         {ok, Toks2, _} = erl_scan:string(Text),
         io:format("~s: ~p tokens, end ~p, ~p forms, ~p parsed, pp ~p chars, hash ~p, rescan ~p~n",
                   [F, length(Toks), End, length(Forms), length(Ok), length(Text), erlang:phash2(Text), length(Toks2)])
     end || F <- ["lists.erl", "string.erl", "io_lib_format.erl", "maps.erl", "erl_scan.erl", "calendar.erl", "base64.erl"]],
    ok.
split([{dot, _} = D | T], Cur, Acc) -> split(T, [], [lists:reverse([D | Cur]) | Acc]);
split([Tok | T], Cur, Acc) -> split(T, [Tok | Cur], Acc);
split([], _, Acc) -> lists:reverse(Acc).
