-module(run_zlib_stream).
-export([main/0]).
-compile(nowarn_deprecated_function).

%% zlib's streaming API (OTP's zlib.erl over its NIFs): every deflate
%% parameter, flush mode, chunked inflating, dictionaries, gzip and raw
%% windows, checksums, the stream's owner, and errors. Outputs are shown
%% as sizes and MD5s; errors as {Class, Reason}.
main() ->
    logger:set_primary_config(level, none),
    Text = text(),
    Noise = noise(200000),
    params(Text),
    flushes(Text),
    large(Text, Noise),
    chunked(Text, Noise),
    dictionaries(Text),
    resets(Text),
    checksums(Text),
    ends(Text),
    errors(Text),
    owner(Text),
    ok.

%% Compressible text: numbers and words, about 190 KB.
text() ->
    iolist_to_binary([[integer_to_list(I), " zlib stream ", integer_to_list(I * I rem 977), $\n]
                      || I <- lists:seq(1, 8000)]).

%% Incompressible bytes: an MD5 chain.
noise(N) -> noise(N, <<"seed">>, []).
noise(N, _, Acc) when N =< 0 -> iolist_to_binary(Acc);
noise(N, Prev, Acc) ->
    H = erlang:md5(Prev),
    noise(N - 16, H, [H | Acc]).

sum(IoData) ->
    B = iolist_to_binary(IoData),
    <<H:32, _/binary>> = erlang:md5(B),
    {byte_size(B), H}.

try_(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.

p(Label, V) -> io:format("~w: ~w~n", [Label, V]).

%% Deflate with every level, window, memory level and strategy; inflate
%% the result back.
params(Text) ->
    Data = binary:part(Text, 0, 40000),
    [begin
         Out = deflate_with(Data, Args),
         p({deflate, Args}, case Out of
                                {ok, C} -> {sum(C), inflate_back(C, back_bits(element(3, Args))) =:= Data};
                                E -> E
                            end)
     end
     || Args <- [{L, deflated, 15, 8, default}
                 || L <- [none, best_speed, best_compression, default | lists:seq(0, 9)]]
            ++ [{default, deflated, W, 8, default}
                || W <- [9, 10, 12, 14, 15, -9, -12, -15, 25, 27, 31]]
            ++ [{default, deflated, 15, M, default} || M <- lists:seq(1, 9)]
            ++ [{L, deflated, 15, 8, S}
                || L <- [1, 6, 9], S <- [default, filtered, huffman_only, rle]]
            ++ [{default, deflated, W, 8, default} || W <- [8, -8, 24, 47, 48, -16, 7]]
            ++ [{11, deflated, 15, 8, default}, {default, stored, 15, 8, default},
                {default, deflated, 15, 0, default}, {default, deflated, 15, 10, default},
                {default, deflated, 15, 8, fast}, {-1, deflated, 15, 8, default}]].

deflate_with(Data, {L, M, W, Mem, S}) ->
    Z = zlib:open(),
    R = try_(fun() ->
                     ok = zlib:deflateInit(Z, L, M, W, Mem, S),
                     C = zlib:deflate(Z, Data, finish),
                     ok = zlib:deflateEnd(Z),
                     C
             end),
    zlib:close(Z),
    R.

%% The window to inflate with: zlib writes window 8 as 9.
back_bits(W) when W < 0 -> -15;
back_bits(W) when W > 16 -> 31;
back_bits(_) -> 15.

inflate_back(C, W) ->
    Z = zlib:open(),
    ok = zlib:inflateInit(Z, W),
    Out = iolist_to_binary(zlib:inflate(Z, C)),
    ok = zlib:inflateEnd(Z),
    ok = zlib:close(Z),
    Out.

%% Each flush mode, piece by piece, and the whole inflated back.
flushes(Text) ->
    [A, B, C, D] = [binary:part(Text, I * 5000, 5000) || I <- [0, 1, 2, 3]],
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    Pieces = [zlib:deflate(Z, A, none), zlib:deflate(Z, B, sync),
              zlib:deflate(Z, C, full), zlib:deflate(Z, D, none),
              zlib:deflate(Z, [], sync), zlib:deflate(Z, <<>>, finish)],
    p(flush_pieces, [sum(P) || P <- Pieces]),
    p(flush_after_finish, try_(fun() -> sum(zlib:deflate(Z, <<"more">>, finish)) end)),
    p(flush_bad_mode, try_(fun() -> zlib:deflate(Z, <<"x">>, partial) end)),
    p(flush_end_with_input, try_(fun() -> zlib:deflateEnd(Z) end)),
    zlib:close(Z),
    p(flush_round_trip, zlib:uncompress(Pieces) =:= iolist_to_binary([A, B, C, D])).

%% Large and incompressible data, one-shot and streamed; iodata input.
large(Text, Noise) ->
    Big = binary:copy(Text, 6),
    [begin
         C = zlib:Pack(Data),
         p({Pack, byte_size(Data)}, {sum(C), zlib:Unpack(C) =:= Data})
     end || {Pack, Unpack} <- [{compress, uncompress}, {zip, unzip}, {gzip, gunzip}],
            Data <- [Big, Noise, <<>>, <<"x">>]],
    Deep = [<<"head">>, [$a, $b, [<<"c">> | <<"tail">>]], lists:duplicate(3000, <<"xyz">>), 255],
    p(deep_iodata, sum(zlib:compress(Deep))),
    p(gzip_concat, zlib:gunzip([zlib:gzip(<<"one ">>), zlib:gzip(<<"two">>)])),
    p(compress_level_9, sum(term_to_binary(Big, [{compressed, 9}]))),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, best_speed),
    Body = [zlib:deflate(Z, Piece) || Piece <- split(Noise, 7001)],
    Streamed = [Body, zlib:deflate(Z, [], finish)],
    ok = zlib:deflateEnd(Z),
    zlib:close(Z),
    p(streamed_noise, {sum(Streamed), zlib:uncompress(Streamed) =:= Noise}).

split(B, N) when byte_size(B) =< N -> [B];
split(B, N) ->
    <<H:N/binary, T/binary>> = B,
    [H | split(T, N)].

%% Inflating in pieces: safeInflate, inflateChunk (deprecated), small
%% input chunks.
chunked(Text, Noise) ->
    C = zlib:compress(Text),
    Z = zlib:open(),
    ok = zlib:inflateInit(Z),
    Parts = safe_loop(Z, zlib:safeInflate(Z, C), []),
    p(safe_inflate, {length(Parts), iolist_to_binary(Parts) =:= Text}),
    ok = zlib:inflateEnd(Z),
    p(buf_size_default, zlib:getBufSize(Z)),
    ok = zlib:setBufSize(Z, 30000),
    p(buf_size_set, zlib:getBufSize(Z)),
    p(buf_size_bad, [try_(fun() -> zlib:setBufSize(Z, S) end) || S <- [16, 1 bsl 24, foo]]),
    ok = zlib:inflateInit(Z),
    Chunks = chunk_loop(Z, zlib:inflateChunk(Z, C), []),
    p(inflate_chunk, {[byte_size(iolist_to_binary(X)) || X <- Chunks],
                      iolist_to_binary(Chunks) =:= Text}),
    ok = zlib:inflateReset(Z),
    NC = zlib:compress(Noise),
    Small = [zlib:inflate(Z, Piece) || Piece <- split(NC, 333)],
    p(small_pieces, iolist_to_binary(Small) =:= Noise),
    ok = zlib:inflateEnd(Z),
    zlib:close(Z).

safe_loop(Z, {continue, Out}, Acc) -> safe_loop(Z, zlib:safeInflate(Z, []), [Out | Acc]);
safe_loop(_, {finished, Out}, Acc) -> lists:reverse([Out | Acc]).

chunk_loop(Z, {more, Out}, Acc) -> chunk_loop(Z, zlib:inflateChunk(Z), [Out | Acc]);
chunk_loop(_, Out, Acc) -> lists:reverse([Out | Acc]).

%% Preset dictionaries, zlib and raw.
dictionaries(Text) ->
    Dict = binary:part(Text, 0, 2000),
    Data = binary:part(Text, 100, 3000),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    Adler = zlib:deflateSetDictionary(Z, Dict),
    p(dict_adler, {Adler, Adler =:= erlang:adler32(Dict)}),
    C = iolist_to_binary(zlib:deflate(Z, Data, finish)),
    ok = zlib:deflateEnd(Z),
    p(dict_deflated, sum(C)),
    ok = zlib:inflateInit(Z),
    p(need_dict_exception, try_(fun() -> zlib:inflate(Z, C) end)),
    ok = zlib:inflateSetDictionary(Z, Dict),
    p(after_exception, iolist_to_binary(zlib:inflate(Z, [])) =:= Data),
    ok = zlib:inflateReset(Z),
    {need_dictionary, A2, Out} = zlib:inflate(Z, C, [{exception_on_need_dict, false}]),
    p(need_dict_tuple, {A2, Out}),
    p(wrong_dict, try_(fun() -> zlib:inflateSetDictionary(Z, <<"wrong">>) end)),
    ok = zlib:inflateSetDictionary(Z, [Dict]),
    Rest = iolist_to_binary(zlib:inflate(Z, [])),
    p(dict_round_trip, Rest =:= Data),
    p(get_dictionary, sum(zlib:inflateGetDictionary(Z))),
    ok = zlib:inflateEnd(Z),
    ok = zlib:deflateInit(Z, default, deflated, -15, 8, default),
    p(raw_dict_adler, zlib:deflateSetDictionary(Z, Dict)),
    RC = zlib:deflate(Z, Data, finish),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z, -15),
    ok = zlib:inflateSetDictionary(Z, Dict),
    p(raw_dict_round_trip, iolist_to_binary(zlib:inflate(Z, RC)) =:= Data),
    p(raw_get_dictionary, sum(zlib:inflateGetDictionary(Z))),
    ok = zlib:inflateEnd(Z),
    p(set_dict_not_init, try_(fun() -> zlib:deflateSetDictionary(Z, Dict) end)),
    p(set_dict_bad, try_(fun() -> zlib:deflateSetDictionary(Z, foo) end)),
    zlib:close(Z).

%% deflateReset, deflateParams mid-stream, inflateReset.
resets(Text) ->
    Data = binary:part(Text, 0, 30000),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, best_compression),
    _ = zlib:deflate(Z, <<"dropped">>),
    ok = zlib:deflateReset(Z),
    A = zlib:deflate(Z, binary:part(Data, 0, 10000)),
    ok = zlib:deflateParams(Z, best_speed, filtered),
    B = zlib:deflate(Z, binary:part(Data, 10000, 10000)),
    ok = zlib:deflateParams(Z, none, default),
    D = zlib:deflate(Z, binary:part(Data, 20000, 10000), finish),
    p(params_pieces, [sum(X) || X <- [A, B, D]]),
    p(params_round_trip, zlib:uncompress([A, B, D]) =:= Data),
    p(params_bad, [try_(fun() -> zlib:deflateParams(Z, L, S) end)
                   || {L, S} <- [{10, default}, {default, fast}]]),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z),
    _ = zlib:inflate(Z, binary:part(zlib:compress(<<"partial stream">>), 0, 6)),
    ok = zlib:inflateReset(Z),
    p(inflate_after_reset, zlib:inflate(Z, zlib:compress(<<"whole">>))),
    ok = zlib:inflateEnd(Z),
    zlib:close(Z).

%% zlib:crc32/1 (raw streams only), and the deprecated checksum wrappers.
checksums(Text) ->
    Data = binary:part(Text, 0, 5000),
    Z = zlib:open(),
    p(crc_not_init, try_(fun() -> zlib:crc32(Z) end)),
    ok = zlib:deflateInit(Z, default, deflated, -15, 8, default),
    C = zlib:deflate(Z, Data, finish),
    p(crc_raw_deflate, {zlib:crc32(Z), erlang:crc32(Data)}),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z, -15),
    _ = zlib:inflate(Z, C),
    p(crc_raw_inflate, zlib:crc32(Z)),
    ok = zlib:inflateEnd(Z),
    ok = zlib:deflateInit(Z),
    _ = zlib:deflate(Z, Data, finish),
    p(crc_zlib_deflate, zlib:crc32(Z)),
    ok = zlib:deflateEnd(Z),
    p(wrappers, [zlib:crc32(Z, Data), zlib:crc32(Z, 12345, Data), zlib:adler32(Z, Data),
                 zlib:adler32(Z, 7, Data), zlib:crc32_combine(Z, 1, 2, 3),
                 zlib:adler32_combine(Z, 1, 2, 3)]),
    p(wrapper_badarg, [try_(fun() -> zlib:crc32(foo, Data) end),
                       try_(fun() -> zlib:adler32(foo, 1, Data) end)]),
    zlib:close(Z).

%% End of stream: trailing data with cut, reset and error; ends before it.
ends(Text) ->
    One = zlib:compress(<<"first">>),
    Two = zlib:compress(<<"second">>),
    [begin
         Z = zlib:open(),
         ok = zlib:inflateInit(Z, 15, Eos),
         R = try_(fun() -> iolist_to_binary(zlib:inflate(Z, [One, Two])) end),
         E = try_(fun() -> zlib:inflateEnd(Z) end),
         zlib:close(Z),
         p({eos, Eos}, {R, E})
     end || Eos <- [cut, reset, error]],
    p(eos_bad, try_(fun() -> zlib:inflateInit(zlib:open(), 15, other) end)),
    Z = zlib:open(),
    ok = zlib:inflateInit(Z),
    _ = zlib:inflate(Z, binary:part(zlib:compress(Text), 0, 100)),
    p(inflate_end_early, try_(fun() -> zlib:inflateEnd(Z) end)),
    ok = zlib:deflateInit(Z),
    _ = zlib:deflate(Z, Text),
    p(deflate_end_early, try_(fun() -> zlib:deflateEnd(Z) end)),
    ok = zlib:inflateInit(Z, 31),
    p(gzip_stream, iolist_to_binary(zlib:inflate(Z, zlib:gzip(<<"gz">>)))),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z, 47),
    p(auto_detect, iolist_to_binary(zlib:inflate(Z, [zlib:compress(<<"auto">>)]))),
    ok = zlib:inflateEnd(Z),
    zlib:close(Z).

%% Misuse and corrupt input.
errors(Text) ->
    C = zlib:compress(Text),
    Corrupt = <<(binary:part(C, 0, 50))/binary, 0, 1, 2, 3, 4, 5,
                (binary:part(C, 56, 200))/binary>>,
    Z = zlib:open(),
    p(deflate_uninit, try_(fun() -> zlib:deflate(Z, <<"x">>) end)),
    p(inflate_uninit, try_(fun() -> zlib:inflate(Z, <<"x">>) end)),
    p(end_uninit, [try_(fun() -> zlib:deflateEnd(Z) end), try_(fun() -> zlib:inflateEnd(Z) end)]),
    p(reset_uninit, [try_(fun() -> zlib:deflateReset(Z) end), try_(fun() -> zlib:inflateReset(Z) end)]),
    ok = zlib:inflateInit(Z),
    p(init_twice, [try_(fun() -> zlib:inflateInit(Z) end), try_(fun() -> zlib:deflateInit(Z) end)]),
    p(deflate_on_inflate, try_(fun() -> zlib:deflate(Z, <<"x">>) end)),
    p(corrupt, try_(fun() -> zlib:inflate(Z, Corrupt) end)),
    p(bad_header, try_(fun() -> zlib:uncompress(<<"not a zlib stream">>) end)),
    p(truncated, try_(fun() -> zlib:uncompress(binary:part(C, 0, 1000)) end)),
    p(short, try_(fun() -> zlib:uncompress(<<1, 2, 3>>) end)),
    p(not_iodata, [try_(fun() -> zlib:F(foo) end)
                   || F <- [compress, uncompress, zip, unzip, gzip, gunzip]]),
    p(bad_gzip, try_(fun() -> zlib:gunzip(<<31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3>>) end)),
    p(bad_unzip, try_(fun() -> zlib:unzip(<<255, 255, 255>>) end)),
    p(get_dict_uninit, try_(fun() -> zlib:inflateGetDictionary(zlib:open()) end)),
    ok = zlib:close(Z),
    p(after_close, [try_(fun() -> zlib:F(Z) end)
                    || F <- [close, deflateInit, inflateInit, deflateEnd, inflateReset,
                             crc32, getBufSize]]),
    p(deflate_after_close, try_(fun() -> zlib:deflate(Z, <<"x">>) end)),
    p(not_a_stream, [try_(fun() -> zlib:F(A) end)
                     || {F, A} <- [{close, make_ref()}, {deflateInit, foo},
                                   {inflateEnd, self()}, {getBufSize, make_ref()}]]),
    p(inflate_bad_data, try_(fun() -> Z2 = zlib:open(), ok = zlib:inflateInit(Z2),
                                      zlib:inflate(Z2, [foo]) end)),
    p(is_reference, is_reference(zlib:open())).

%% Only the controlling process may use a stream; ownership moves.
owner(Text) ->
    Self = self(),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    {Other, Ref} = spawn_monitor(fun() ->
                                          R1 = try_(fun() -> zlib:deflate(Z, <<"x">>) end),
                                          R2 = try_(fun() -> zlib:close(Z) end),
                                          R3 = try_(fun() -> zlib:set_controlling_process(Z, self()) end),
                                          Self ! {other, self(), [R1, R2, R3]},
                                          receive
                                              {go, Self} ->
                                                  Out = zlib:deflate(Z, Text, finish),
                                                  Self ! {done, self(), zlib:uncompress(Out) =:= Text,
                                                          try_(fun() -> zlib:set_controlling_process(Z, Self) end)}
                                          end
                                  end),
    receive {other, Other, Rs} -> p(other_process, Rs) end,
    p(set_bad, try_(fun() -> zlib:set_controlling_process(Z, foo) end)),
    ok = zlib:set_controlling_process(Z, Other),
    p(old_owner, try_(fun() -> zlib:deflate(Z, <<"y">>) end)),
    Other ! {go, Self},
    receive {done, Other, RoundTrip, Back} -> p(new_owner, {RoundTrip, Back}) end,
    receive {'DOWN', Ref, process, Other, Why} -> p(other_down, Why) end,
    p(back_to_first, try_(fun() -> zlib:deflateEnd(Z) end)),
    p(close, zlib:close(Z)).
