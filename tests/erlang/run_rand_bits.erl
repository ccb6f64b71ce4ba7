-module(run_rand_bits).
-export([main/0]).

%% Randomized differential test of the bit syntax. Random segment lists
%% (integers of 0-130 bits in any unit, sign and endianness; floats of
%% 16/32/64 bits; binaries and bitstrings with sizes and `all`; UTF-8/16/32;
%% literal strings; a length byte and the binary it sizes) become source
%% text: for each list a builder with literal sizes, one with sizes passed
%% as arguments, and matchers of both kinds (function heads with several
%% clauses, skipped segments, string tests, tails of any alignment). The
%% modules are compiled at run time (OTP's compiler, on the VM under test)
%% and loaded with code:load_binary/3, then run on random values (some of
%% them wrong: out of range, wrong type, invalid code points, floats that
%% do not fit, bad sizes) and on damaged binaries. Every result or
%% exception (class and reason) is printed.

%% Other seeds and sizes (to search): erlc -DSEED=N -DMODULES=M.
-ifndef(SEED).
-define(SEED, 9).
-endif.
-ifndef(MODULES).
-define(MODULES, 6).
-endif.

main() ->
    rand:seed(exsss, {7, 8, ?SEED}),
    lists:foreach(fun modul/1, lists:seq(1, ?MODULES)).

%% One module of 12 segment lists.
modul(M) ->
    Name = list_to_atom("rand_bits_" ++ integer_to_list(M)),
    Cases = [{I, gen_segs()} || I <- lists:seq(1, 12)],
    Src = ["-module(", atom_to_list(Name), ").\n",
           "-compile([export_all, nowarn_export_all]).\n"
           | [funs(I, Segs) || {I, Segs} <- Cases]],
    Forms = forms(lists:flatten(Src)),
    {ok, Name, Beam} = compile:forms(Forms, [binary, report_errors]),
    {module, Name} = code:load_binary(Name, "rand_bits.erl", Beam),
    lists:foreach(fun({I, Segs}) -> run_case(Name, M, I, Segs) end, Cases).

forms(Text) ->
    {ok, Toks, _} = erl_scan:string(Text),
    split(Toks, []).

split([], []) -> [];
split([{dot, _} = D | T], Acc) ->
    {ok, F} = erl_parse:parse_form(lists:reverse([D | Acc])),
    [F | split(T, [])];
split([Tok | T], Acc) -> split(T, [Tok | Acc]).

%% ---------------------------------------------------------------- segments

%% A segment: {int, Size, Unit, Sign, Endian} | {float, Size, Endian}
%% | {bin, Size | all, Unit} | {utf, 8 | 16 | 32, Endian} | {str, String}
%% | {lenbin} (a length byte, then that many bytes).
gen_segs() ->
    N = rand:uniform(5),
    Segs = [gen_seg() || _ <- lists:seq(1, N)],
    %% A binary without size may only end a pattern.
    [case S of {bin, all, U} when K < N -> {bin, rand:uniform(6) - 1, U}; _ -> S end
     || {K, S} <- lists:zip(lists:seq(1, N), Segs)].

gen_seg() ->
    case rand:uniform(20) of
        R when R =< 8 ->
            Unit = pick([1, 1, 1, 1, 1, 2, 3, 4, 7, 8, 16]),
            Size = case rand:uniform(3) of
                       1 -> pick([0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 59,
                                  60, 63, 64, 65, 127, 128, 129, 130]) div Unit;
                       _ -> (rand:uniform(131) - 1) div Unit
                   end,
            {int, Size, Unit, pick([unsigned, signed]), endian()};
        R when R =< 11 -> {float, pick([16, 32, 64]), endian()};
        R when R =< 14 ->
            case rand:uniform(4) of
                1 -> {bin, all, pick([1, 8])};
                2 -> {bin, rand:uniform(20) - 1, 1};
                3 -> {bin, rand:uniform(4), pick([2, 4, 5])};
                _ -> {bin, rand:uniform(6) - 1, 8}
            end;
        R when R =< 17 -> {utf, pick([8, 16, 32]), endian()};
        18 -> {str, pick(["a", "ab", "xyz", "\x{ff}q"])};
        _ -> {lenbin}
    end.

endian() -> pick([big, big, little, native]).

pick(L) -> lists:nth(rand:uniform(length(L)), L).

%% ---------------------------------------------------------------- source

%% For case I: bl_I/1 and bv_I/2 build (values; values and sizes), ba_I/2
%% appends one segment at a time to a bitstring, bc_I/1 is a comprehension,
%% ml_I/1 and mv_I/2 match (binary in function heads; sizes and binary in a
%% case: a head's size cannot come from another argument).
funs(I, Segs) ->
    N = length(Segs),
    Ks = lists:seq(1, N),
    KS = lists:zip(Ks, Segs),
    Vals = args("V", Ks), Sizes = args("S", Ks),
    Tail = case lists:last(Segs) of
               {bin, all, _} -> none;
               _ -> pick([none, bits, binary])
           end,
    Skip = [K < N andalso rand:uniform(3) =:= 1 || K <- Ks],
    Pat = fun(Lit) ->
                  join([pat_seg(K, S, Lit, Sk) || {{K, S}, Sk} <- lists:zip(KS, Skip)]
                       ++ tail_seg(Tail))
          end,
    Bound = ["[", join([bound(K, S, Sk) || {{K, S}, Sk} <- lists:zip(KS, Skip)]
                       ++ [["T" || Tail =/= none]]), "]"],
    {P2, B2} = pick([{"<<F:8, _/bits>>", "{first, F}"}, {"<<F:3/bits, _:5>>", "{three, F}"},
                     {"<<>>", "empty"}]),
    Steps = [f("A~p = <<A~p/bits, ~s>>", [K, K - 1, con_seg(K, S, lit)]) || {K, S} <- KS],
    f("bl~p([~s]) -> <<~s>>.\n", [I, Vals, join([con_seg(K, S, lit) || {K, S} <- KS])]) ++
    f("ba~p([~s], A0) -> ~s, A~p.\n", [I, Vals, join(Steps), N]) ++
    f("bv~p([~s], [~s]) -> <<~s>>.\n",
      [I, Vals, Sizes, join([con_seg(K, S, var) || {K, S} <- KS])]) ++
    f("ml~p(<<~s>>) -> ~s;\nml~p(~s) -> ~s;\nml~p(_) -> nomatch.\n",
      [I, Pat(lit), Bound, I, P2, B2, I]) ++
    f("mv~p([~s], B) ->\n case B of <<~s>> -> ~s; ~s -> other; _ -> nomatch end.\n",
      [I, Sizes, Pat(var), Bound, P2]) ++
    comprehension(I, KS, Skip).

%% bc_I/1: the pattern as a bitstring generator (of a list comprehension,
%% and of a binary comprehension building the segments again when none is
%% skipped); only for patterns that cannot match zero bits and do not end
%% in a binary without size.
comprehension(I, KS, Skip) ->
    Segs = [S || {_, S} <- KS],
    case lists:any(fun wide/1, Segs) andalso not is_all(lists:last(Segs)) of
        false -> f("bc~p(_) -> skip.\n", [I]);
        true ->
            Pat = join([pat_seg(K, S, lit, Sk) || {{K, S}, Sk} <- lists:zip(KS, Skip)]),
            Bound = join([bound(K, S, Sk) || {{K, S}, Sk} <- lists:zip(KS, Skip)]),
            Again = case lists:member(true, Skip) of
                        true -> "skipped";
                        false -> f("<< <<~s>> || <<~s>> <= B >>",
                                   [join([con_seg(K, S, lit) || {K, S} <- KS]), Pat])
                    end,
            f("bc~p(B) -> {[[~s] || <<~s>> <= B], ~s}.\n", [I, Bound, Pat, Again])
    end.

wide({int, Size, Unit, _, _}) -> Size * Unit > 0;
wide({bin, all, _}) -> false;
wide({bin, Size, Unit}) -> Size * Unit > 0;
wide(_) -> true.

is_all({bin, all, _}) -> true;
is_all(_) -> false.

f(Fmt, Args) -> lists:flatten(io_lib:format(Fmt, Args)).

join([]) -> "";
join(L) -> lists:join(", ", [X || X <- L, X =/= []]).

args(P, Ks) -> join([P ++ integer_to_list(K) || K <- Ks]).

var(P, K) -> P ++ integer_to_list(K).

%% The size of a segment: a literal or the argument SK.
size(_, N, lit) -> integer_to_list(N);
size(K, _, var) -> var("S", K).

con_seg(K, Seg, How) -> seg(var("V", K), K, Seg, How).

%% Segment Seg of value (or pattern variable) X.
seg(X, K, {int, Size, Unit, Sign, End}, How) ->
    f("~s:~s/integer-~p-~p-unit:~p", [X, size(K, Size, How), Sign, End, Unit]);
seg(X, K, {float, Size, End}, How) ->
    f("~s:~s/float-~p", [X, size(K, Size, How), End]);
seg(X, _, {bin, all, 8}, _) -> f("~s/binary", [X]);
seg(X, _, {bin, all, 1}, _) -> f("~s/bits", [X]);
seg(X, K, {bin, Size, Unit}, How) ->
    f("~s:~s/binary-unit:~p", [X, size(K, Size, How), Unit]);
seg(X, _, {utf, W, End}, _) -> f("~s/utf~p-~p", [X, W, End]);
seg(_, _, {str, S}, _) -> f("~p", [S]);
seg(X, _, {lenbin}, _) -> f("(byte_size(~s)):8, ~s/binary", [X, X]).

%% A pattern segment: its variable, or `_` when skipped.
pat_seg(K, {lenbin}, _, Skip) ->
    f("L~p:8, ~s:L~p/binary", [K, pvar(K, Skip), K]);
pat_seg(K, Seg, How, Skip) -> seg(pvar(K, Skip), K, Seg, How).

pvar(_, true) -> "_";
pvar(K, false) -> var("V", K).

bound(_, {str, _}, _) -> [];
bound(_, _, true) -> "skipped";
bound(K, _, false) -> var("V", K).

tail_seg(none) -> [];
tail_seg(bits) -> ["T/bits"];
tail_seg(binary) -> ["T/binary"].

%% ---------------------------------------------------------------- values

val({int, Size, Unit, Sign, _}) -> int(Size * Unit, Sign);
val({float, _, _}) -> float_val();
val({bin, all, 8}) ->
    case rand:uniform(5) of
        1 -> bits(8 * (60 + rand:uniform(200)));
        _ -> bits(8 * rand:uniform(6) - 8 + pick([0, 0, 0, 0, 3]))
    end;
val({bin, all, 1}) -> bits(rand:uniform(30) - 1);
val({bin, Size, Unit}) -> bits(max(0, Size * Unit + pick([0, 0, 0, 0, 0, -1, 2, 8])));
val({utf, _, _}) -> code_point();
val({str, _}) -> none;
val({lenbin}) -> bits(8 * (rand:uniform(5) - 1)).

int(Bits, Sign) ->
    case rand:uniform(20) of
        R when R =< 8 ->
            X = rbits(Bits),
            case Sign of
                signed when Bits > 0 -> X - (1 bsl (Bits - 1));
                _ -> X
            end;
        R when R =< 12 ->
            pick([0, -1, (1 bsl Bits) - 1, 1 bsl Bits, -(1 bsl max(0, Bits - 1)),
                  (1 bsl max(0, Bits - 1)) - 1]);
        R when R =< 16 -> (rbits(Bits + rand:uniform(70)) - (1 bsl (Bits + 20))) * pick([1, -1]);
        R when R =< 19 -> rand:uniform(201) - 101;
        _ -> pick([a, 1.5, [], <<1>>])
    end.

rbits(0) -> 0;
rbits(N) when N =< 56 -> rand:uniform(1 bsl N) - 1;
rbits(N) -> (rbits(N - 56) bsl 56) bor rbits(56).

float_val() ->
    case rand:uniform(10) of
        R when R =< 4 ->
            (rand:uniform() - 0.5) * math:pow(10, rand:uniform(80) - 40);
        R when R =< 8 ->
            pick([0.0, -0.0, 1.0, -2.5, 65504.0, 65519.0, 65520.0, -65536.0, 1.0e-5,
                  6.0e-8, 1.0e-8, 3.4028234e38, 3.5e38, -1.0e39, 1.0e-45, 1.0e-46,
                  1.7976931348623157e308, 4.9e-324, 1.0e300]);
        9 -> pick([0, 3, -7, 1 bsl 70, 1 bsl 1100, 70000]);
        _ -> pick([a, <<>>, "1.0"])
    end.

code_point() ->
    case rand:uniform(12) of
        R when R =< 3 -> rand:uniform(128) - 1;
        R when R =< 5 -> 128 + rand:uniform(16#800 - 128) - 1;
        R when R =< 7 -> 16#800 + rand:uniform(16#D800 - 16#800) - 1;
        8 -> 16#E000 + rand:uniform(16#2000) - 1;
        R when R =< 10 -> 16#10000 + rand:uniform(16#100000) - 1;
        _ -> pick([16#D800, 16#DFFF, 16#110000, -1, 16#FFFE, 16#10FFFF, a, 1.0])
    end.

bits(N) ->
    Bytes = << <<(rand:uniform(256) - 1)>> || _ <- lists:seq(1, (N + 7) div 8) >>,
    <<B:N/bits, _/bits>> = Bytes,
    B.

%% ---------------------------------------------------------------- running

t(F) -> try F() catch C:R -> {C, R} end.

sizes(Segs) -> [seg_size(S) || S <- Segs].

seg_size({int, S, _, _, _}) -> S;
seg_size({float, S, _}) -> S;
seg_size({bin, S, _}) -> S;
seg_size(_) -> 0.

%% A size made wrong for one segment (a variable size may be anything).
bad_sizes(Sizes) ->
    K = rand:uniform(length(Sizes)),
    Bad = pick([-1, a, 1.0, 24, 0]),
    [case J of K -> Bad; _ -> S end || {J, S} <- lists:zip(lists:seq(1, length(Sizes)), Sizes)].

run_case(Mod, M, I, Segs) ->
    A = fun(P) -> list_to_atom(P ++ integer_to_list(I)) end,
    Sizes = sizes(Segs),
    Rs = [one(Mod, A, Segs, Sizes) || _ <- lists:seq(1, 4)],
    Bad = bad_sizes(Sizes),
    Vals = [val(S) || S <- Segs],
    BadR = {t(fun() -> Mod:(A("bv"))(Vals, Bad) end),
            t(fun() -> Mod:(A("mv"))(Bad, bits(rand:uniform(80))) end)},
    io:format("~p.~p ~w~n  ~w~n  ~w~n", [M, I, Segs, Rs, BadR]).

one(Mod, A, Segs, Sizes) ->
    Vals = [val(S) || S <- Segs],
    L = t(fun() -> Mod:(A("bl"))(Vals) end),
    V = t(fun() -> Mod:(A("bv"))(Vals, Sizes) end),
    Match = fun(B) -> {t(fun() -> Mod:(A("ml"))(B) end),
                       t(fun() -> Mod:(A("mv"))(Sizes, B) end)} end,
    Ms = case L of
             B when is_bitstring(B) ->
                 [Match(X) || X <- [B | damaged(B)]];
             _ -> [Match(bits(rand:uniform(100)))]
         end,
    Pre = bits(pick([0, 0, 3, 8, 13, 600])),
    Ap = t(fun() -> Mod:(A("ba"))(Vals, Pre) end),
    Same = case {L, Ap} of
               {<<_/bits>>, <<_/bits>>} -> Ap =:= <<Pre/bits, L/bits>>;
               _ -> Ap
           end,
    Bc = case L of
             <<_/bits>> -> t(fun() -> Mod:(A("bc"))(<<L/bits, L/bits, (bits(rand:uniform(20)))/bits>>) end);
             _ -> t(fun() -> Mod:(A("bc"))(bits(rand:uniform(100))) end)
         end,
    {Vals, L, L =:= V, Same, Ms, Bc}.

%% The binary shortened, lengthened, with one bit flipped, and as a
%% sub-binary at an odd bit offset of a larger one.
damaged(B) ->
    N = bit_size(B),
    Flip = case N of
               0 -> <<1:1>>;
               _ ->
                   P = rand:uniform(N) - 1,
                   <<H:P/bits, X:1, R/bits>> = B,
                   <<H/bits, (1 - X):1, R/bits>>
           end,
    Cut = rand:uniform(9) - 1,
    Short = case N >= Cut of
                true -> <<S:(N - Cut)/bits, _/bits>> = B, S;
                false -> <<>>
            end,
    Off = rand:uniform(7),
    <<_:Off, Sub/bits>> = <<(bits(Off))/bits, B/bits>>,
    [Short, <<B/bits, (bits(rand:uniform(12)))/bits>>, Flip, Sub].
