-module(run_bin_append_size).
-export([main/0]).

%% binary:referenced_byte_size/1 of binaries built by appending: BEAM's
%% writable binary (docs/TERMS.md, "Binaries built by appending"). An
%% append to a binary that is not writable makes one of twice the bytes,
%% at least 256; one that does not fit grows it to twice the bytes then
%% needed; a comprehension's buffer is the size bs_init_writable asked
%% for. A match starting on it, or a send to another process, cuts it to
%% the bytes used (if that frees 8 or more); a collection cuts a binary
%% not appended to since the previous one.
r(B) -> binary:referenced_byte_size(B).

app(B, 0) -> B;
app(B, N) -> app(<<B/binary, (N band 255)>>, N - 1).

app10(B, 0) -> B;
app10(B, N) -> app10(<<B/binary, N:80>>, N - 1).

bits(B, 0) -> B;
bits(B, N) -> bits(<<B/bitstring, 1:1>>, N - 1).

p(L, B) -> io:format("~s ~w ~w~n", [L, byte_size(B), r(B)]).

%% A fresh 100-byte appended binary, after F has been applied to it.
t(L, F) ->
    B = app(<<1, 2, 3>>, 97),
    F(B),
    p(L, B).

main() ->
    [p("app" ++ integer_to_list(N), app(<<1, 2, 3>>, N))
     || N <- [0, 1, 10, 61, 62, 100, 253, 254, 1000]],
    p("app10", app10(<<>>, 10000)),
    p("heap base", <<(list_to_binary(lists:seq(1, 10)))/binary, 7>>),
    Big = list_to_binary(lists:duplicate(200, 1)),
    p("refc base", <<Big/binary, 7>>),
    p("nothing appended", <<Big/binary, <<>>/binary>>),
    [p("comp" ++ integer_to_list(N), << <<X>> || X <- lists:seq(1, N) >>)
     || N <- [0, 10, 300, 3000]],
    [p("comp2_" ++ integer_to_list(N), << <<X, X>> || X <- lists:seq(1, N) >>)
     || N <- [10, 300]],
    p("comp filter", << <<X>> || X <- lists:seq(1, 300), X rem 3 =:= 0 >>),
    p("comp of binaries", << <<B/binary>> || B <- [<<"ab">>, <<"cde">>] >>),
    p("bits", bits(<<>>, 1003)),
    B6 = app(<<1, 2, 3>>, 300),
    {P1, _} = split_binary(B6, 100),
    p("split piece", P1),
    p("part", binary:part(B6, 10, 100)),
    p("binary_part", binary_part(B6, 10, 100)),
    p("iolist", iolist_to_binary([app(<<>>, 100)])),
    p("t2b", binary_to_term(term_to_binary(app(<<>>, 100)))),
    B7 = app(<<1, 2, 3>>, 5),
    p("twice a", <<B7/binary, 1>>),
    p("twice b", <<B7/binary, 2>>),
    t("untouched", fun(_) -> ok end),
    t("term_to_binary", fun(B) -> term_to_binary(B) end),
    t("binary_to_list", fun(B) -> binary_to_list(B) end),
    t("binary:copy", fun(B) -> binary:copy(B) end),
    t("binary:match", fun(B) -> binary:match(B, <<5>>) end),
    t("md5", fun(B) -> erlang:md5(B) end),
    t("list_to_binary", fun(B) -> list_to_binary([B, B]) end),
    t("equality", fun(B) -> B =:= <<>> end),
    t("match one", fun(B) -> <<X, _/binary>> = B, X end),
    t("match all", fun(B) -> <<_:100/binary>> = B end),
    t("send", fun(B) -> P = spawn(fun() -> receive _ -> ok end end), P ! B end),
    B2 = app(<<1, 2, 3>>, 97),
    self() ! B2,
    receive B2r -> ok end,
    p("sent to self", B2),
    p("received", B2r),
    [begin
         B3 = app(<<1, 2, 3>>, N),
         <<_, _/binary>> = B3,
         p("match " ++ integer_to_list(N + 3), B3)
     end || N <- [244, 245, 250]],
    B5 = app(<<1, 2, 3>>, 97),
    B8 = <<B5/binary, 1>>,
    <<_, _/binary>> = B5,
    p("match older", B5),
    p("newer", B8),
    p("append after match", <<B5/binary, 1>>),
    B9 = app(<<1, 2, 3>>, 300),
    erlang:garbage_collect(),
    p("one collection", B9),
    erlang:garbage_collect(),
    p("two collections", B9),
    B10 = app(<<1, 2, 3>>, 20),
    erlang:garbage_collect(),
    erlang:garbage_collect(),
    p("two collections, 23 bytes", B10),
    ok.
