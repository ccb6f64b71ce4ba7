%% Generates corpus.txt: terms and their exact OTP 25 term_to_binary encodings.
%% Regenerate (from this directory) with:
%%   erlc gen_corpus.erl && erl -noshell -s gen_corpus main -s init stop && rm gen_corpus.beam
%%
%% Format, one term per line, tab-separated:
%%   Name  Plain  MV0  MV1  MV2  C  C1  C9  Check
%% Plain is hex of term_to_binary(T); the others are hex of term_to_binary(T, Opts)
%% with Opts = [{minor_version,0}], [{minor_version,1}], [{minor_version,2}],
%% [compressed], [{compressed,1}], [{compressed,9}]; "=" means the same bytes as
%% Plain. Check is "bytes" (re-encoding must give exactly these bytes) or
%% "decode" (the term holds a map of more than 32 keys, whose encoding follows
%% hash order: only decode-equality is checked).
-module(gen_corpus).
-export([main/0]).

opts() ->
    [[{minor_version, 0}], [{minor_version, 1}], [{minor_version, 2}],
     [compressed], [{compressed, 1}], [{compressed, 9}]].

main() ->
    {ok, F} = file:open("corpus.txt", [write]),
    lists:foreach(fun({Name, T}) -> entry(F, Name, T) end, terms()),
    ok = file:close(F).

entry(F, Name, T) ->
    Plain = term_to_binary(T),
    Plain = term_to_binary(binary_to_term(Plain)),
    Others = [case term_to_binary(T, O) of
                  Plain -> "=";
                  B -> hex(B)
              end || O <- opts()],
    Check = case has_big_map(T) of true -> "decode"; false -> "bytes" end,
    io:format(F, "~ts~n", [lists:join("\t", [Name, hex(Plain) | Others] ++ [Check])]).

hex(B) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= B].

has_big_map(M) when is_map(M) ->
    map_size(M) > 32 orelse lists:any(fun has_big_map/1, maps:keys(M) ++ maps:values(M));
has_big_map(T) when is_tuple(T) -> has_big_map(tuple_to_list(T));
has_big_map([H | T]) -> has_big_map(H) orelse has_big_map(T);
has_big_map(_) -> false.

named(Prefix, Terms) ->
    [{Prefix ++ "_" ++ integer_to_list(I), T} || {I, T} <- lists:zip(lists:seq(1, length(Terms)), Terms)].

node_atom(Name) -> [100, 0, length(Name) | Name].

ext(Bytes) -> binary_to_term(list_to_binary([131 | Bytes])).

terms() ->
    P = fun(N) -> 1 bsl N end,
    rand:seed(exsss, {1, 2, 3}),
    Random = fun(N) -> list_to_binary([rand:uniform(256) - 1 || _ <- lists:seq(1, N)]) end,
    Big = ext([110, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    Pid = spawn(fun() -> receive stop -> ok end end),
    AB = node_atom("a@b"),
    Nonode = node_atom("nonode@nohost"),
    Free = fun(A, B) -> fun(X) -> {A, B, X} end end,
    Nest = fun Nest(0, Acc) -> Acc; Nest(N, Acc) -> Nest(N - 1, {N, Acc}) end,
    NestL = fun NestL(0, Acc) -> Acc; NestL(N, Acc) -> NestL(N - 1, [Acc]) end,
    named("int", [0, 1, 255, 256, -1, -255, -256, P(27) - 1, P(27), -P(27), -P(27) - 1,
                  P(31) - 1, P(31), -P(31), -P(31) - 1, P(32) - 1, P(32), -P(32),
                  P(59) - 1, P(59), -P(59), -P(59) - 1, P(60), -P(60), P(63) - 1, P(63),
                  -P(63), P(64) - 1, P(64), -P(64), P(8 * 255) - 1, P(8 * 255),
                  -P(8 * 255), P(10000) + 12345, -P(10000) - 1, Big]) ++
    named("float", [0.0, -0.0, 1.5, -1.5, 0.1, 1.0e300, -1.0e-300, 5.0e-324,
                    2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
                    3.141592653589793, 123456789.0, 1.0e22, 1.0e23, 0.5, 2.5e-5, 100.0,
                    9007199254740993.0, 0.3]) ++
    named("atom", ['', a, abc, 'hé', 'h€', 'Ωmega', 'a b', true, 'nonode@nohost',
                   list_to_atom(lists:duplicate(255, $a)),
                   list_to_atom(lists:duplicate(255, 233)),
                   list_to_atom(lists:duplicate(255, 8364)),
                   list_to_atom(lists:duplicate(100, 8364)),
                   list_to_atom(lists:duplicate(64, 128512))]) ++
    named("tuple", [{}, {1}, {a, b}, list_to_tuple(lists:seq(1, 255)),
                    list_to_tuple(lists:seq(1, 256)), {{}, {{}}}]) ++
    named("list", [[], [1, 2, 3], "hello", [1000], [a | b], [1, 2 | 3], [1 | <<>>],
                   [-1], [256], [$a, 256], [[]], [[1], [2, [3]]], lists:seq(1, 300),
                   lists:duplicate(65535, $a), lists:duplicate(65536, $a),
                   lists:duplicate(65535, $a) ++ [a], "abc" ++ def, [1.5, 2.5],
                   [a | {}], lists:seq(1, 1000)]) ++
    named("bin", [<<>>, <<1, 2, 3>>, <<0:64/unit:8>>, <<0:65/unit:8>>,
                  list_to_binary(lists:seq(0, 255)), <<1:1>>, <<1:7>>, <<255, 1:3>>,
                  <<0:9>>, binary:part(list_to_binary(lists:duplicate(100, 7)), 10, 80),
                  element(2, split_binary(<<1, 2, 3, 4, 5>>, 1)), Random(1000)]) ++
    named("map", [#{}, #{a => 1}, #{1 => a, 1.0 => b}, #{b => 2, a => 1, 3 => c, "s" => [],
                  {t} => t, <<"b">> => bin, [] => nil, 2.5 => f},
                  maps:from_list([{I, I * I} || I <- lists:seq(1, 32)]),
                  maps:from_list([{I, I * I} || I <- lists:seq(1, 33)]),
                  maps:from_list([{integer_to_list(I), I} || I <- lists:seq(1, 100)]),
                  #{k => maps:from_list([{I, x} || I <- lists:seq(1, 40)])},
                  #{#{a => 1} => #{}, [1] => {#{}}}]) ++
    named("pid", [self(), Pid, c:pid(0, 32767, 8191),
                  ext([88 | AB] ++ [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 5]),
                  ext([88 | AB] ++ [255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]),
                  ext([103 | AB] ++ [0, 0, 0, 1, 0, 0, 0, 2, 3]),
                  ext([88 | Nonode] ++ [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 5])]) ++
    named("port", [hd(erlang:ports()), ext([89 | Nonode] ++ [15, 255, 255, 255, 0, 0, 0, 0]),
                   ext([89 | AB] ++ [0, 0, 0, 5, 0, 0, 0, 7]),
                   ext([89 | AB] ++ [16, 0, 0, 0, 0, 0, 0, 7]),
                   ext([120 | AB] ++ [255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 1]),
                   ext([102 | AB] ++ [0, 0, 0, 5, 2])]) ++
    named("ref", [make_ref(), make_ref(),
                  ext([101 | AB] ++ [0, 0, 0, 1, 1]),
                  ext([101 | Nonode] ++ [0, 0, 0, 1, 0]),
                  ext([114, 0, 3 | Nonode] ++ [0, 0, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]),
                  ext([90, 0, 2 | Nonode] ++ [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2]),
                  ext([90, 0, 1 | AB] ++ [0, 0, 0, 9, 255, 255, 255, 255]),
                  ext([90, 0, 5 | AB] ++ [0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                          13, 14, 15, 16, 17, 18, 19, 20])]) ++
    named("fun", [fun lists:map/2, fun erlang:'+'/2, fun gen_corpus:main/0,
                  fun(X) -> X + 1 end, fun() -> ok end, Free(1, foo), Free([a, b], Pid),
                  Free(Free(1, 2), <<"bin">>), ext([113 | node_atom("m")] ++ node_atom("f") ++ [97, 255])]) ++
    named("mixed", [{[a, #{k => [1.5, <<"x">>]}], "str", {self(), make_ref()}},
                    [{ok, I, integer_to_list(I)} || I <- lists:seq(1, 200)],
                    {<<1:3>>, [-P(70) | 'tail'], #{[] => {}}}]) ++
    named("deep", [Nest(500, leaf), NestL(500, []), lists:seq(1, 20000),
                   [[I] || I <- lists:seq(1, 3000)]]) ++
    named("squeeze", [lists:duplicate(N, a) || N <- lists:seq(1, 40)] ++
                     [Random(N) || N <- [1, 10, 50, 60, 70, 200]] ++
                     [binary:copy(<<"ab">>, N) || N <- lists:seq(1, 20)] ++
                     [lists:seq(1, N) || N <- [5, 10, 20, 40, 80, 160]]).
