%% Generates fixture.txt.gz for otp/tests/bif_proc.rs: deterministic calls of
%% the bif-proc BIFs and what OTP 25 returned.
%%
%% Run from this directory:
%%   erlc gen_fixture.erl && erl -noshell -s gen_fixture main -s init stop | gzip -9 > fixture.txt.gz
%%
%% Line format (space separated, terms in hex of term_to_binary/1):
%%   call Module Function ArgsHex Class ResultHex
%%     Class is ok (ResultHex is the value) or error/exit/throw (the reason);
%%   pdict OpsHex ok GetHex
%%     OpsHex is a list of {put, K, V} | {erase, K} applied in order to an
%%     empty process dictionary, GetHex is get() afterwards.
-module(gen_fixture).
-export([main/0]).

hex(T) -> binary:encode_hex(term_to_binary(T)).

call(M, F, Args) ->
    {Class, R} = try {ok, apply(M, F, Args)} catch C:E -> {C, E} end,
    io:format("call ~s ~s ~s ~s ~s~n", [M, F, hex(Args), Class, hex(R)]).

encodings() ->
    [latin1, unicode, utf8, utf16, {utf16, big}, {utf16, little},
     utf32, {utf32, big}, {utf32, little}].

enc(latin1, Cs) -> list_to_binary([C || C <- Cs, C =< 255]);
enc(E, Cs) when E =:= unicode; E =:= utf8 -> unicode:characters_to_binary(Cs);
enc(E, Cs) -> unicode:characters_to_binary(Cs, unicode, E).

%% Splits a binary into a deep list of pieces at every Nth byte.
chunks(B, N) when byte_size(B) =< N -> [B];
chunks(B, N) -> <<H:N/binary, T/binary>> = B, [H, [chunks(T, N)]].

samples() ->
    ["", "abc", [255, 0, 127, 128], [16#100, 16#7FF, 16#800, 16#FFFF],
     [16#10000, 16#10FFFF, $a], "h\x{e9}llo w\x{f6}rld \x{20ac}\x{1F600}"].

unicode_data(E) ->
    Bins = [enc(E, S) || S <- samples()],
    Big = enc(E, lists:seq(32, 126) ++ lists:seq(160, 400)),
    Split = lists:append([[chunks(B, N) || N <- [1, 2, 3]] || B <- Bins]),
    Truncated = [binary:part(B, 0, L) || B <- Bins, L <- lists:seq(1, min(byte_size(B), 9)) ],
    Bad = [<<16#C0, 16#80>>, <<16#E0, 16#80, 16#80>>, <<16#ED, 16#A0, 16#80>>,
           <<16#ED, 16#A0>>, <<16#F4, 16#90, 16#80, 16#80>>, <<16#F4, 16#90>>,
           <<16#F8>>, <<16#FF>>, <<16#80>>, <<"ab", 16#C3>>, <<"ab", 16#C3, "x">>,
           <<"ab", 16#E2, 16#82>>, [<<"ab", 16#E2, 16#82>>, <<16#AC>>],
           [<<"ab", 16#E2>>, "x"], [<<"a">>, [<<16#E2, 16#82>>, <<"c">>], $d],
           [<<16#E2>>, <<"x">>], [<<16#E2>>, [], <<16#82>>, [[<<16#AC>>]]],
           [<<16#E2>>, 16#AC], [<<16#E2>> | <<16#82, 16#AC>>], [$a | <<16#E2>>],
           <<0, 65, 0>>, <<0, 65, 216, 0>>, <<0, 65, 216, 0, 0, 66>>,
           <<0, 65, 216, 0, 220, 0>>, [<<0, 65, 216>>, <<0, 220, 0>>], <<220, 0>>,
           <<65, 0, 0, 0, 66>>, <<0, 0, 0, 65, 0, 0, 216, 0>>, <<0, 17, 0, 0>>,
           <<255, 254, 0, 0>>, <<0, 0>>, <<0>>, [<<0>>, 65],
           <<(binary:copy(<<"ab">>, 5000))/binary, 255, "x">>,
           [$a, <<(binary:copy(<<"ab">>, 5000))/binary, 16#E2>>, [<<16#82>>]],
           <<(binary:copy(<<"ab">>, 4095))/binary, 16#E2, 16#82, 16#AC, 0, 216>>,
           [<<(binary:copy(<<"ab">>, 4095))/binary, 0>> | <<216, 0, 220, 0>>]],
    Ints = ["abc", [$a, 16#D800, $b], [$a, -1], [$a, 16#110000], [$a, 16#10FFFF],
            [$a, 256], [$a, 255], [1, 2, [3, [4, [<<5>>, 6]]], 7], [$a | <<"b">>],
            [[], <<>>, [[]]], [$a, 1 bsl 70], [$a, -(1 bsl 70)], [[[[[$x]]]], $y],
            [$a, foo], foo, 12, 1.0, [$a | foo], <<1:3>>, [<<1:3>>], [$a, 1.5],
            [$a, [16#DFFF | <<"z">>]]],
    Bins ++ [Big, [Big, Big]] ++ Split ++ Truncated ++ Bad ++ Ints.

data_encoding(E) ->
    case lists:member(E, encodings()) of
        true -> E;
        false -> utf8
    end.

unicode_cases() ->
    Es = encodings() ++ [bad, {utf16, middle}],
    [begin
         call(unicode, characters_to_binary, [D, E]),
         call(unicode, characters_to_list, [D, E]),
         [call(unicode, characters_to_binary, [D, E, O]) || O <- Es]
     end || E <- Es, D <- unicode_data(data_encoding(E))],
    [begin
         call(unicode, characters_to_binary, [D]),
         call(unicode, characters_to_list, [D]),
         call(unicode, bin_is_7bit, [D])
     end || D <- unicode_data(utf8)].

time_cases() ->
    Units = [second, millisecond, microsecond, nanosecond, native, perf_counter,
             seconds, milli_seconds, micro_seconds, nano_seconds, 1, 3, 7, 1000,
             1 bsl 70, 0, -1, foo, 1.0, "s"],
    Times = [0, 1, -1, 7, -7, 1499, -1500, 1500, 1 bsl 62, -(1 bsl 62), 1.0, x],
    [call(erlang, convert_time_unit, [T, F, U]) || T <- Times, F <- Units, U <- Units],
    [call(erlang, F, [U]) || F <- [monotonic_time, system_time, time_offset],
                             U <- [foo, 0, -1, 1.0, "s", {second}]],
    [call(erlang, unique_integer, [O]) || O <- [foo, [foo], [positive | x], {positive}]],
    Dates = [{{2020,1,1},{0,0,0}}, {{2020,2,29},{23,59,59}}, {{2021,2,29},{0,0,0}},
             {{2020,2,30},{0,0,0}}, {{2020,13,1},{0,0,0}}, {{2020,1,1},{24,0,0}},
             {{2020,1,1},{0,60,0}}, {{2020,1,1},{0,0,60}}, {{1902,1,1},{0,0,0}},
             {{1901,12,31},{23,59,59}}, {{1969,12,31},{23,59,59}},
             {{2147483646,12,31},{23,59,59}}, {{2147483647,1,1},{0,0,0}},
             {{2020,1,1.0},{0,0,0}}, {{2020,1,1},{0,0,0},x}, {2020,1,1}, x,
             {{1 bsl 60,1,1},{0,0,0}}, {{2000,1,1},{-1,0,0}}],
    [call(erlang, universaltime_to_localtime, [D]) || D <- Dates],
    [call(erlang, localtime_to_universaltime, [D, Dst]) || D <- Dates,
                                                           Dst <- [true, false, undefined, x]],
    [call(erlang, localtime_to_universaltime, [D]) || D <- Dates].

misc_cases() ->
    Data = ["abc", <<"abc">>, [<<"ab">>, "cd", [[<<1>>] | <<2>>]], [], <<>>,
            [<<>>, <<>>], <<1:3>>, [256], a, [-1], lists:seq(0, 255),
            binary:copy(<<"0123456789">>, 1000), [$a | b]],
    [call(erlang, md5, [D]) || D <- Data],
    [call(erlang, crc32, [D]) || D <- Data],
    [call(erlang, adler32, [D]) || D <- Data],
    [call(erlang, crc32, [I, D]) || I <- [0, 5, 16#FFFFFFFF, 1 bsl 32, -1, a], D <- Data],
    [call(erlang, adler32, [I, D]) || I <- [0, 1, 5, 16#FFFFFFFF, 1 bsl 32, -1, a], D <- Data],
    [call(erlang, iolist_to_iovec, [D]) || D <- Data],
    call(erlang, md5_update, [<<1, 2>>, "abc"]),
    call(erlang, md5_final, [<<1, 2>>]),
    call(erlang, md5_final, [foo]),
    Terms = [1, 1.0, 2, a, "a", <<"a">>, {a}, [], #{}, -0.0, 0.0, 1 bsl 70],
    [call(erts_internal, cmp_term, [A, B]) || A <- Terms, B <- Terms],
    [call(erlang, node, [T]) || T <- [foo, 1, "x"]],
    [call(erlang, nif_error, [R]) || R <- [undef, foo, {a, b}]],
    call(erlang, nif_error, [foo, [1, 2]]),
    [call(erlang, system_info, [K]) || K <- [otp_release, version, wordsize,
        {wordsize, internal}, {wordsize, external}, {wordsize, x}, smp_support,
        machine, atom_limit, foo, "x", endian, time_warp_mode, compat_rel,
        context_reductions, threads, creation, start_time, heap_type,
        hipe_architecture, dist_ctrl, nif_version, driver_version, kernel_poll,
        os_type, sequential_tracer, modified_timing_level, trace_control_word,
        multi_scheduling, scheduler_bind_type, port_parallelism, eager_check_io,
        dirty_io_schedulers, min_heap_size, min_bin_vheap_size, fullsweep_after,
        async_threads, otp_correction_package, emu_type, build_type, debug_compiled,
        process_limit, port_limit, ets_limit, thread_pool_size]],
    [call(erlang, statistics, [K]) || K <- [foo, "x", {runtime}]],
    [call(erlang, display_string, [S]) || S <- [abc, <<"x">>, ["ab"], [$a | b], [-1]]],
    [call(os, getenv, [V]) || V <- [home, <<"HOME">>, "A=B", [$H, $O | x],
                                    "NO_SUCH_VAR_XYZ", "", [1000], "HOME\0"]],
    call(os, getenv, [x, 1]),
    call(os, getenv, ["NO_SUCH_VAR_XYZ", default]),
    call(io, printable_range, []),
    call(file, native_name_encoding, []).

pdict_cases() ->
    %% Atom keys are left out: they hash by atom index, which varies from
    %% run to run on BEAM.
    Keys = [a_key, 1, -1, 1 bsl 40, "s", <<"b">>, {1, 2.5}, [1, 2], 1.5, 2.0],
    Ops1 = [{put, K, V} || {K, V} <- lists:zip(lists:seq(1, 100), lists:seq(101, 200))],
    Ops2 = Ops1 ++ [{erase, K} || K <- lists:seq(1, 100, 3)],
    Ops3 = Ops2 ++ [{put, K, x} || K <- lists:seq(2, 60, 5)],
    Ops4 = [{put, K, K} || K <- tl(Keys)] ++ [{erase, 1.5}, {put, "s", new}],
    Ops5 = [{put, {K}, K} || K <- lists:seq(1, 40)] ++ [{erase, {K}} || K <- lists:seq(1, 35)],
    [pdict(Ops) || Ops <- [Ops1, Ops2, Ops3, Ops4, Ops5]].

pdict(Ops) ->
    Self = self(),
    spawn(fun() ->
                  [case Op of
                       {put, K, V} -> put(K, V);
                       {erase, K} -> erase(K)
                   end || Op <- Ops],
                  Self ! {got, get()}
          end),
    receive {got, G} -> io:format("pdict ~s ok ~s~n", [hex(Ops), hex(G)]) end.

main() ->
    unicode_cases(),
    time_cases(),
    misc_cases(),
    pdict_cases().
