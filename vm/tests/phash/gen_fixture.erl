%% Generates vm/tests/phash/fixture.txt: terms with their erlang:phash2/1,
%% phash2/2 and phash/2 values on real BEAM (OTP 25), for vm/tests/phash.rs.
%%
%% Run from the repository root:
%%
%%   erlc -o /tmp vm/tests/phash/gen_fixture.erl &&
%%     erl -noshell -pa /tmp -s gen_fixture main -s init stop \
%%       > vm/tests/phash/fixture.txt
%%
%% Output lines:
%%   ranges2 R...        the ranges used for phash2/2, in column order
%%   ranges1 R...        the ranges used for phash/2, in column order
%%   term H2 H2R... H1R... DESC
%%   gen NAME N H2 H2R... H1R...
%% where H2 is phash2(T), H2R are phash2(T, R) and H1R are phash(T, R).
%% A `term` line describes its term in DESC, a compact prefix encoding
%% (no spaces) that the Rust test rebuilds on its own heap:
%%   i<int>;                integer
%%   f<16 hex digits>       float, its IEEE-754 bits
%%   a<utf8 hex>;           atom
%%   n                      []
%%   l<count>;E..E TAIL     list of count elements ending in TAIL
%%   t<arity>;E..E          tuple
%%   b<bits>:<hex>;         bitstring; last partial byte padded with zeros
%%   m<size>;K V..K V       map
%%   p<number>.<serial>;    local pid
%%   P<node hex>:<number>.<serial>.<creation>;   pid of another node
%%   o<number>;             local port
%%   O<node hex>:<number>.<creation>;            port of another node
%%   r<id0>.<id1>..;        local reference, ids in external-format order
%%   R<node hex>:<creation>:<id0>.<id1>..;       reference of another node
%%   e<module hex>:<function hex>:<arity>;       fun M:F/A
%%   c<module hex>:<old index>:<old uniq>:<index>:<uniq hex>:<arity>:<nfree>;E..E
%%                          closure with its captured values
%% A `gen` line names a large term that the Rust test builds by NAME from N
%% (too large to spell out): see gen/2 below.
%%
%% What the hashes of pids, ports and refs depend on: only the pid number,
%% the port number and the first id word of a reference; never the node,
%% the creation or the pid serial. Pids and refs made at run time (self(),
%% make_ref()) have run-dependent ids, so this script builds them from fixed
%% text with list_to_pid/list_to_ref and binary_to_term instead. A closure's
%% hash depends on its module's old index and old uniq, which change with the
%% compiled code of this file: they are recorded in DESC, so the fixture stays
%% self-consistent when it is regenerated.
-module(gen_fixture).
-export([main/0]).
-compile(nowarn_deprecated_function).

-define(RANGES2, [1, 2, 7, 1000, 1 bsl 27, (1 bsl 31) + 11, (1 bsl 32) - 1, 1 bsl 32]).
-define(RANGES1, [1, 7, 1000, (1 bsl 32) - 1, 1 bsl 32]).

main() ->
    line(["ranges2" | [[" ", integer_to_list(R)] || R <- ?RANGES2]]),
    line(["ranges1" | [[" ", integer_to_list(R)] || R <- ?RANGES1]]),
    [line(["term ", hashes(T), " ", enc(T)]) || T <- terms()],
    [line(["gen ", atom_to_list(Name), " ", integer_to_list(N), " ", hashes(gen(Name, N))])
     || {Name, N} <- gens()],
    ok.

line(IoData) -> io:put_chars([IoData, $\n]).

hashes(T) ->
    Vs = [erlang:phash2(T)]
        ++ [erlang:phash2(T, R) || R <- ?RANGES2]
        ++ [erlang:phash(T, R) || R <- ?RANGES1],
    lists:join(" ", [integer_to_list(V) || V <- Vs]).

%% ---------------------------------------------------------------------------
%% The terms.

terms() ->
    integers() ++ floats() ++ atoms() ++ lists() ++ tuples() ++ binaries()
        ++ maps() ++ funs() ++ ids() ++ mixed().

integers() ->
    Pow = [0, 7, 8, 15, 16, 26, 27, 28, 31, 32, 33, 58, 59, 60, 62, 63, 64, 65,
           95, 96, 127, 128, 129, 200],
    Edges = lists:usort(lists:append([[(1 bsl P) - 1, 1 bsl P, (1 bsl P) + 1] || P <- Pow])),
    [0, 42, 255, 256, 1000000, 16#DEADBEEF, 16#123456789ABCDEF0,
     12345678901234567890123, pow(3, 200), pow(7, 150) + 1]
        ++ Edges ++ [-X || X <- Edges, X =/= 0]
        ++ [-pow(3, 200), -12345678901234567890123].

pow(_, 0) -> 1;
pow(B, E) -> B * pow(B, E - 1).

floats() ->
    [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.141592653589793, 1.0e300, -1.0e-300,
     5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
     -1.7976931348623157e308, 134217728.0, 4294967296.0, 1.0e-10, 123456.789].

atoms() ->
    [a, b, z, '', ok, true, false, undefined, nil, 'hello world', 'Hello',
     'a_long_atom_name_with_many_characters_to_roll_the_hashpjw_state',
     list_to_atom(lists:duplicate(255, $z)),
     list_to_atom(lists:duplicate(255, 255)),
     list_to_atom([$a, 233, $b]),              % é: two UTF-8 bytes C3 A9
     list_to_atom([194, 160]),                 % Â and a no-break space
     list_to_atom([169, 255, 128, 191]),
     list_to_atom([256, $x]),                  % Ā: C4 80, not folded
     list_to_atom([16#65E5, 16#672C]),         % 日本
     list_to_atom([16#1F600]),                 % four UTF-8 bytes
     list_to_atom([937, 233, 16#10FFFF])].

lists() ->
    Str = "The quick brown fox jumps over the lazy dog",
    [[], [a], [[]], [[], []], "a", "ab", "abc", "abcd", "abcde", "abcdefgh",
     "abcdefghi", Str, [0], [255], [256], [-1], [0, 255, 256, -1],
     [1 | 2], [a | b], [$a, $b | c], [$a, $b, $c, $d | <<"e">>], [1, 2, 3 | []],
     [a, 1, b, 2], [1, 2, 3, a, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5 | 6.0],
     [[1], [2, [3]], [[[[]]]]], [[$a, $b], [$c]], [16#65E5, 16#672C, $!],
     [<<1, 2>>, <<>>], [{}], [#{}], [1.5, 2.5], [1 bsl 64, -(1 bsl 64)],
     lists:seq(0, 300), lists:seq(1, 1000), lists:seq(-500, 500, 7),
     lists:duplicate(100, a), [[X] || X <- lists:seq(1, 50)],
     lists:seq(250, 262)].

tuples() ->
    [{}, {a}, {1, 2}, {a, {b, {c}}}, {[], []}, {1.0, "x", <<>>}, {{}, {{}}},
     {1 bsl 70, -1, 0}, list_to_tuple(lists:seq(1, 300)),
     {ok, [1, 2, 3]}, {error, {badarg, [{m, f, 2}]}}].

binaries() ->
    Bytes = fun(N) -> list_to_binary([(I * 37 + 11) rem 256 || I <- lists:seq(1, N)]) end,
    [<<>>, <<0>>, <<255>>, <<1, 2, 3>>, <<"hello">>]
        ++ [Bytes(N) || N <- [4, 11, 12, 13, 23, 24, 25, 36, 63, 64, 65, 100, 1000, 4099]]
        ++ [<<1:1>>, <<0:1>>, <<5:3>>, <<0:7>>, <<127:7>>, <<255, 1:1>>,
            <<1, 2, 3, 4:4>>, <<(Bytes(13))/binary, 99:7>>,
            <<(Bytes(24))/binary, 3:2>>, <<(Bytes(100))/binary, 5:5>>,
            sub(Bytes(40), 3, 200), sub(Bytes(40), 5, 259)].

%% A bitstring of Len bits starting at bit Off of Bin (a sub-binary on BEAM).
sub(Bin, Off, Len) ->
    <<_:Off, B:Len/bits, _/bits>> = Bin,
    B.

maps() ->
    [#{}, #{a => 1}, #{1 => a, 1.0 => b}, #{a => #{b => []}}, #{[] => []},
     #{{1, 2} => [3], "k" => <<"v">>, 1 bsl 65 => -0.0},
     maps:from_list([{I, I * I} || I <- lists:seq(1, 32)]),
     maps:from_list([{I, I * I} || I <- lists:seq(1, 33)]),
     maps:from_list([{integer_to_list(I), {I}} || I <- lists:seq(1, 100)]),
     #{a => [#{b => {}}], c => [1 | 2]},
     #{#{a => 1} => #{b => 2}, c => #{}, [#{}] => {#{d => e}}},
     [#{a => 1}, #{a => 1}, {#{}, #{x => [#{}]}}]].

funs() ->
    funs(1 bsl 80, [a, "b", <<"c">>], #{k => v}).

%% The captured values arrive as arguments so that the compiler cannot fold
%% them into the funs' code as literals.
funs(X, Y, Z) ->
    F = fun(A) -> A + X end,
    [fun lists:map/2, fun erlang:'+'/2, fun gen_fixture:main/0, fun '':''/0,
     fun() -> ok end,
     F,
     fun(A, B) -> {A, B, X, Y, Z} end,
     fun Loop(0) -> done; Loop(N) -> Loop(N - 1) end,
     fun() -> [Z, Y] end,
     fun(_) -> {X, F} end].

ids() ->
    Node = 'other@host',
    [list_to_pid("<0.0.0>"), list_to_pid("<0.5.0>"), list_to_pid("<0.5.3>"),
     list_to_pid("<0.32767.0>"), list_to_pid("<0.12345.8191>"),
     ext_pid(Node, 5, 0, 1), ext_pid(Node, 5, 9, 77), ext_pid(Node, 268435461, 0, 1),
     ext_pid(Node, 16#FFFFFFFF, 16#FFFFFFFF, 16#FFFFFFFF),
     list_to_port("#Port<0.0>"), list_to_port("#Port<0.7>"),
     list_to_port("#Port<0.268435455>"),
     ext_port(Node, 7, 1), ext_port(Node, 16#FFFFFFFF, 3),
     ext_port(Node, (1 bsl 32) + 7, 1), ext_port(Node, 1 bsl 40, 1),
     list_to_ref("#Ref<0.1.2.3>"), list_to_ref("#Ref<0.9.2.3>"),
     list_to_ref("#Ref<0.0.0.0>"), list_to_ref("#Ref<0.4294967295.1.262143>"),
     list_to_ref("#Ref<0.3992119302.767557634.97280>"),
     ext_ref(Node, 1, [3, 2, 1]), ext_ref(Node, 7, [4, 2, 1]),
     ext_ref(Node, 1, [16#FFFFFFFF, 5, 6, 7, 8])].

mixed() ->
    [{a, <<1, 2, 3>>, #{k => [1.5]}, [x | y]},
     [{1, 2} | {3, 4}],
     {list_to_pid("<0.5.0>"), list_to_ref("#Ref<0.1.2.3>"), fun lists:map/2},
     [#{a => [b, #{c => d}]}, <<7:3>>, -0.0, 1 bsl 59, -(1 bsl 27)]].

ext_pid(Node, Id, Ser, Cr) ->
    binary_to_term(<<131, 88, (atom_ext(Node))/binary, Id:32, Ser:32, Cr:32>>).

ext_port(Node, Id, Cr) ->
    binary_to_term(<<131, 120, (atom_ext(Node))/binary, Id:64, Cr:32>>).

ext_ref(Node, Cr, Ids) ->
    binary_to_term(<<131, 90, (length(Ids)):16, (atom_ext(Node))/binary, Cr:32,
                     << <<I:32>> || I <- Ids >>/binary>>).

atom_ext(A) ->
    B = atom_to_binary(A, utf8),
    <<119, (byte_size(B)), B/binary>>.

%% ---------------------------------------------------------------------------
%% Large terms, built by name on both sides.

gens() ->
    [{seq_list, 10000000}, {byte_list, 1000000}, {deep_tuple, 1000000},
     {deep_list, 1000000}, {deep_map, 100000}, {big_binary, 1000000},
     {wide_tuple, 100000}, {big_integer, 100000}].

%% seq_list:    [1, 2, .., N]
%% byte_list:   [I rem 256 || I <- 1..N]
%% deep_tuple:  {{..{[]}..}} with N tuples
%% deep_list:   [[..[[]]..]] with N cons cells
%% deep_map:    #{k => #{k => .. #{} ..}} with N maps around #{}
%% big_binary:  <<(I * 7) rem 256 || I <- 1..N>>
%% wide_tuple:  {1, 2, .., N}
%% big_integer: 3^N
gen(seq_list, N) -> lists:seq(1, N);
gen(byte_list, N) -> [I rem 256 || I <- lists:seq(1, N)];
gen(deep_tuple, N) -> nest(N, [], fun(T) -> {T} end);
gen(deep_list, N) -> nest(N, [], fun(T) -> [T] end);
gen(deep_map, N) -> nest(N, #{}, fun(T) -> #{k => T} end);
gen(big_binary, N) -> << <<((I * 7) rem 256)>> || I <- lists:seq(1, N) >>;
gen(wide_tuple, N) -> list_to_tuple(lists:seq(1, N));
gen(big_integer, N) -> pow3(N).

nest(0, T, _) -> T;
nest(N, T, F) -> nest(N - 1, F(T), F).

pow3(N) -> pow3(N, 1).
pow3(0, Acc) -> Acc;
pow3(N, Acc) -> pow3(N - 1, Acc * 3).

%% ---------------------------------------------------------------------------
%% The encoding of a term (see the top of the file).

enc(I) when is_integer(I) -> ["i", integer_to_list(I), ";"];
enc(F) when is_float(F) ->
    <<B:64>> = <<F/float>>,
    ["f", string:right(integer_to_list(B, 16), 16, $0)];
enc(A) when is_atom(A) -> ["a", hex(atom_to_binary(A, utf8)), ";"];
enc([]) -> "n";
enc(L) when is_list(L) ->
    {Elems, Tail} = split_list(L, []),
    ["l", integer_to_list(length(Elems)), ";", [enc(E) || E <- Elems], enc(Tail)];
enc(T) when is_tuple(T) ->
    ["t", integer_to_list(tuple_size(T)), ";", [enc(E) || E <- tuple_to_list(T)]];
enc(B) when is_bitstring(B) ->
    Bits = bit_size(B),
    Pad = (8 - Bits rem 8) rem 8,
    ["b", integer_to_list(Bits), ":", hex(<<B/bits, 0:Pad>>), ";"];
enc(M) when is_map(M) ->
    ["m", integer_to_list(map_size(M)), ";", [[enc(K), enc(V)] || {K, V} <- maps:to_list(M)]];
enc(F) when is_function(F) ->
    case erlang:fun_info(F, type) of
        {type, external} ->
            {module, M} = erlang:fun_info(F, module),
            {name, Name} = erlang:fun_info(F, name),
            {arity, A} = erlang:fun_info(F, arity),
            ["e", hex(atom_to_binary(M, utf8)), ":", hex(atom_to_binary(Name, utf8)), ":",
             integer_to_list(A), ";"];
        {type, local} ->
            {module, M} = erlang:fun_info(F, module),
            {index, OldIndex} = erlang:fun_info(F, index),
            {uniq, OldUniq} = erlang:fun_info(F, uniq),
            {new_index, Index} = erlang:fun_info(F, new_index),
            {new_uniq, Uniq} = erlang:fun_info(F, new_uniq),
            {arity, A} = erlang:fun_info(F, arity),
            {env, Env} = erlang:fun_info(F, env),
            ["c", hex(atom_to_binary(M, utf8)), ":", integer_to_list(OldIndex), ":",
             integer_to_list(OldUniq), ":", integer_to_list(Index), ":", hex(Uniq), ":",
             integer_to_list(A), ":", integer_to_list(length(Env)), ";", [enc(E) || E <- Env]]
    end;
enc(P) when is_pid(P) ->
    <<131, 88, Rest/binary>> = term_to_binary(P),
    {Node, <<Id:32, Ser:32, Cr:32>>} = node_ext(Rest),
    case node(P) =:= node() of
        true -> ["p", integer_to_list(Id), ".", integer_to_list(Ser), ";"];
        false -> ["P", hex(Node), ":", integer_to_list(Id), ".", integer_to_list(Ser), ".",
                  integer_to_list(Cr), ";"]
    end;
enc(P) when is_port(P) ->
    {Node, Id, Cr} =
        case term_to_binary(P) of
            <<131, 120, Rest/binary>> -> {N, <<I:64, C:32>>} = node_ext(Rest), {N, I, C};
            <<131, 89, Rest/binary>> -> {N, <<I:32, C:32>>} = node_ext(Rest), {N, I, C}
        end,
    case node(P) =:= node() of
        true -> ["o", integer_to_list(Id), ";"];
        false -> ["O", hex(Node), ":", integer_to_list(Id), ".", integer_to_list(Cr), ";"]
    end;
enc(R) when is_reference(R) ->
    <<131, 90, Len:16, Rest/binary>> = term_to_binary(R),
    {Node, <<Cr:32, IdBin/binary>>} = node_ext(Rest),
    Len = byte_size(IdBin) div 4,
    Ids = lists:join(".", [integer_to_list(I) || <<I:32>> <= IdBin]),
    case node(R) =:= node() of
        true -> ["r", Ids, ";"];
        false -> ["R", hex(Node), ":", integer_to_list(Cr), ":", Ids, ";"]
    end.

split_list([H | T], Acc) -> split_list(T, [H | Acc]);
split_list(Tail, Acc) -> {lists:reverse(Acc), Tail}.

node_ext(<<119, Len, Name:Len/binary, Rest/binary>>) -> {Name, Rest};
node_ext(<<118, Len:16, Name:Len/binary, Rest/binary>>) -> {Name, Rest};
node_ext(<<100, Len:16, Name:Len/binary, Rest/binary>>) -> {Name, Rest}.

hex(Bin) -> [io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin].
