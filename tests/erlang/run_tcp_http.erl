-module(run_tcp_http).
-export([main/0]).

%% inets over gen_tcp: an httpd bound to 127.0.0.1 on port 0 serving a
%% directory, and httpc asking it (GET, HEAD, a missing file, a request
%% with a query, several requests at once from other processes).
%% Each request's result is printed whole.

p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    ok = inets:start(),
    Dir = "/tmp/enigma_tcp_http_" ++ os:getpid(),
    ok = filelib:ensure_dir(Dir ++ "/"),
    ok = file:write_file(Dir ++ "/index.html", <<"<p>hi</p>">>),
    ok = file:write_file(Dir ++ "/big.txt", binary:copy(<<"0123456789abcdef">>, 20000)),
    {ok, Pid} = inets:start(httpd, [{port, 0}, {server_name, "test"}, {server_root, "/tmp"},
                                    {document_root, Dir}, {bind_address, {127,0,0,1}}]),
    [{port, Port}] = httpd:info(Pid, [port]),
    Url = fun(Path) -> "http://127.0.0.1:" ++ integer_to_list(Port) ++ Path end,
    Get = fun(Path) ->
              case httpc:request(get, {Url(Path), []}, [], [{body_format, binary}]) of
                  {ok, {{_, Code, Phrase}, Headers, Body}} ->
                      {Code, Phrase, proplists:get_value("content-length", Headers),
                       byte_size(Body), binary:part(Body, 0, min(12, byte_size(Body)))};
                  E -> E
              end
          end,
    p(get, Get("/index.html")),
    p(missing, element(1, Get("/nope.html"))),
    p(query, element(1, Get("/index.html?a=1&b=2"))),
    p(big, Get("/big.txt")),
    Main = self(),
    [spawn(fun() -> Main ! {got, I, Get("/index.html")} end) || I <- [1, 2, 3, 4]],
    p(parallel, [receive {got, I, R} -> {I, R} after 10000 -> timeout end
                 || I <- [1, 2, 3, 4]]),
    %% last: httpd closes the connection after a HEAD without saying so,
    %% and a request that reused it could find it closed
    p(head, case httpc:request(head, {Url("/index.html"), []}, [], []) of
                {ok, {{_, C, _}, H, B}} -> {C, proplists:get_value("content-length", H), B};
                E -> E
            end),
    file:delete(Dir ++ "/index.html"),
    file:delete(Dir ++ "/big.txt"),
    file:del_dir(Dir),
    ok.
