%% Generates corpus.txt: terms and their exact OTP 25 term_to_binary encodings,
%% and errors.txt: malformed inputs that OTP 25's binary_to_term/1 rejects.
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
    ok = file:close(F),
    {ok, E} = file:open("errors.txt", [write]),
    lists:foreach(fun({Name, B}) -> bad_entry(E, Name, B) end, bad()),
    ok = file:close(E).

%% errors.txt: Name, hex of an input that binary_to_term/1 must reject.
bad_entry(F, Name, Bytes) ->
    B = iolist_to_binary(Bytes),
    try binary_to_term(B) of
        T -> error({accepted, Name, T})
    catch
        error:badarg -> io:format(F, "~ts\t~s~n", [Name, hex(B)])
    end.

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

bad() ->
    Nonode = node_atom("nonode@nohost"),
    AB = node_atom("a@b"),
    Z = fun(Size, Data) -> [131, 80, <<Size:32>>, Data] end,
    Zt = zlib:compress(<<97, 1>>),
    Float = fun(S) -> [131, 99, S, lists:duplicate(31 - length(S), 0)] end,
    [{"empty", []}, {"version_only", [131]}, {"bad_version", [130, 97, 1]},
     {"unknown_tag", [131, 200]}, {"old_fun", [131, 117, 0, 0, 0, 0, 100, 0, 1, 97, 100, 0, 1, 98, 97, 1]},
     {"atom_cache_ref", [131, 82, 0]}, {"dist_header", [131, 68, 0]},
     {"local_ext", [131, 121, 0, 0, 0, 0]},
     {"small_int_short", [131, 97]},
     {"integer_short", [131, 98, 0, 0, 1]},
     {"list_lying_len", [131, 108, 255, 255, 255, 255, 97, 1, 106]},
     {"list_no_tail", [131, 108, 0, 0, 0, 1, 97, 1]},
     {"tuple_lying_arity", [131, 105, 255, 255, 255, 255, 106]},
     {"small_tuple_short", [131, 104, 3, 97, 1, 97, 2]},
     {"binary_lying_len", [131, 109, 0, 0, 0, 100, 1, 2, 3]},
     {"string_lying_len", [131, 107, 0, 10, 1, 2]},
     {"map_lying_arity", [131, 116, 255, 255, 255, 255, 97, 1, 97, 2]},
     {"map_missing_value", [131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 3]},
     {"map_duplicate_keys", [131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3]},
     {"large_big_lying_len", [131, 111, 255, 255, 255, 255, 0, 1]},
     {"small_big_short", [131, 110, 5, 0, 1, 2]},
     {"atom_lying_len", [131, 100, 1, 0, 97]},
     {"atom_256_chars", [131, 100, 1, 0, lists:duplicate(256, $a)]},
     {"utf8_atom_256_chars", [131, 118, 1, 0, lists:duplicate(256, $a)]},
     {"utf8_atom_bad_utf8", [131, 119, 2, 195, 40]},
     {"utf8_atom_surrogate", [131, 118, 0, 3, 237, 160, 128]},
     {"utf8_atom_overlong", [131, 119, 2, 192, 128]},
     {"utf8_atom_truncated_char", [131, 119, 1, 226]},
     {"bitstring_zero_bits", [131, 77, 0, 0, 0, 1, 0, 255]},
     {"bitstring_nine_bits", [131, 77, 0, 0, 0, 1, 9, 255]},
     {"bitstring_empty_with_bits", [131, 77, 0, 0, 0, 0, 3]},
     {"new_float_inf", [131, 70, 127, 240, 0, 0, 0, 0, 0, 0]},
     {"new_float_nan", [131, 70, 127, 248, 0, 0, 0, 0, 0, 0]},
     {"float_no_point", Float("1")}, {"float_leading_space", Float(" 1.5")},
     {"float_trailing_junk", Float("1.5x")}, {"float_overflow", Float("1.0e400")},
     {"float_hex", Float("0x10")}, {"float_no_int_digits", Float(".5")},
     {"float_short", [131, 99, "1.5"]},
     {"local_pid_number", [131, 88, Nonode, <<32768:32, 0:32, 0:32>>]},
     {"local_pid_serial", [131, 88, Nonode, <<0:32, 8192:32, 0:32>>]},
     {"pid_tiny_creation", [131, 103, AB, <<1:32, 2:32, 4>>]},
     {"pid_node_not_atom", [131, 88, 97, 1, <<1:32, 2:32, 0:32>>]},
     {"local_port_number", [131, 89, Nonode, <<(1 bsl 28):32, 0:32>>]},
     {"local_v4_port_number", [131, 120, Nonode, <<(1 bsl 32):64, 0:32>>]},
     {"port_tiny_creation", [131, 102, AB, <<1:32, 4>>]},
     {"old_ref_big_id", [131, 101, AB, <<(1 bsl 18):32, 1>>]},
     {"new_ref_big_first_id", [131, 114, 0, 3, AB, 1, <<(1 bsl 18):32, 1:32, 2:32>>]},
     {"new_ref_tiny_creation", [131, 114, 0, 1, AB, 4, <<1:32>>]},
     {"newer_ref_no_ids", [131, 90, 0, 0, Nonode, <<0:32>>]},
     {"newer_ref_six_ids", [131, 90, 0, 6, AB, <<1:32, 1:32, 2:32, 3:32, 4:32, 5:32, 6:32>>]},
     {"newer_ref_local_four_ids", [131, 90, 0, 4, Nonode, <<0:32, 1:32, 2:32, 3:32, 4:32>>]},
     {"newer_ref_local_big_first_id", [131, 90, 0, 3, Nonode, <<0:32, (1 bsl 18):32, 2:32, 3:32>>]},
     {"export_module_not_atom", [131, 113, 97, 1, 100, 0, 1, 98, 97, 1]},
     {"new_fun_lying_size", [131, 112, 255, 255, 255, 255, 0]},
     {"new_fun_truncated_free_vars",
      [131, 112, <<44:32>>, 0, lists:duplicate(16, 0), <<0:32, 1:32>>, 100, 0, 1, $m, 97, 0, 97, 0, 97, 1]},
     {"new_fun_index_not_int",
      [131, 112, <<44:32>>, 0, lists:duplicate(16, 0), <<0:32, 0:32>>, 100, 0, 1, $m, 106, 97, 0,
       88, Nonode, <<1:32, 0:32, 0:32>>]},
     {"compressed_size_zero", Z(0, Zt)}, {"compressed_size_short", Z(1, Zt)},
     {"compressed_size_long", Z(3, Zt)}, {"compressed_size_huge", Z(16#ffffffff, Zt)},
     {"compressed_truncated", Z(2, binary:part(Zt, 0, byte_size(Zt) - 3))},
     {"compressed_corrupt", Z(2, <<120, 156, 255, 255, 255, 255, 0>>)},
     {"compressed_bad_checksum", Z(2, <<(binary:part(Zt, 0, byte_size(Zt) - 1))/binary, 0>>)},
     {"compressed_nested", Z(6, zlib:compress(<<80, 0, 0, 0, 2, 97, 1>>))},
     {"compressed_in_tuple", [131, 104, 1, 80, 0, 0, 0, 1, 97]},
     {"compressed_no_size", [131, 80, 0, 0]},
     {"compressed_inner_truncated", Z(1, zlib:compress(<<97>>))},
     {"deep_truncated", [131, lists:duplicate(1000, [104, 1]), 97]}].
