-module(run_audit_parsetools).

%% leex and yecc at run time: a lexer and a parser generated into a
%% directory of their own, compiled, loaded and run (the generated
%% sources compared by their MD5).
-export([main/0]).
main() ->
    Dir = "/tmp/enigma_audit_parsetools_" ++ os:getpid(),
    os:cmd("rm -rf " ++ Dir), ok = file:make_dir(Dir),
    Xrl = Dir ++ "/calc_lexer.xrl",
    ok = file:write_file(Xrl, <<"Definitions.\nD = [0-9]\nRules.\n{D}+ : {token, {int, TokenLine, list_to_integer(TokenChars)}}.\n[+*()-] : {token, {list_to_atom(TokenChars), TokenLine}}.\n[\\s\\t\\n]+ : skip_token.\nErlang code.\n">>),
    Yrl = Dir ++ "/calc_parser.yrl",
    ok = file:write_file(Yrl, <<"Nonterminals expr.\nTerminals int '+' '*' '(' ')' '-'.\nRootsymbol expr.\nLeft 100 '+' '-'.\nLeft 200 '*'.\nexpr -> expr '+' expr : '$1' + '$3'.\nexpr -> expr '-' expr : '$1' - '$3'.\nexpr -> expr '*' expr : '$1' * '$3'.\nexpr -> '(' expr ')' : '$2'.\nexpr -> int : element(3, '$1').\n">>),
    io:format("~p~n", [element(1, leex:file(Xrl, [{report, false}]))]),
    io:format("~p~n", [element(1, yecc:file(Yrl, [{report, false}]))]),
    [io:format("~p~n", [compile:file(F, [{outdir, Dir}, report_errors])]) || F <- [Dir ++ "/calc_lexer.erl", Dir ++ "/calc_parser.erl"]],
    code:add_patha(Dir),
    {ok, Toks, _} = calc_lexer:string("2 + 3 * (4 - 1)\n"),
    io:format("~p~n~p~n", [Toks, calc_parser:parse(Toks)]),
    io:format("~p~n", [calc_parser:parse([{int, 1, 1}, {'+', 1}])]),
    io:format("~p~n", [calc_lexer:string("2 $ 3")]),
    {ok, B1} = file:read_file(Dir ++ "/calc_lexer.erl"), {ok, B2} = file:read_file(Dir ++ "/calc_parser.erl"),
    Unplaced = fun(B) -> erlang:md5(binary:replace(B, list_to_binary(Dir), <<"DIR">>, [global])) end,
    io:format("~p~n", [{Unplaced(B1), Unplaced(B2)}]),
    os:cmd("rm -rf " ++ Dir).
