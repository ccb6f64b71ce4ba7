%% Generates otp/tests/num_text/fixture.txt.gz: the results real BEAM
%% (OTP 25) gives for the number/text conversion BIFs, for
%% otp/tests/num_text.rs. The text is about 2.7 MB, so it is kept gzipped.
%%
%% Run from the repository root:
%%
%%   erlc -o /tmp otp/tests/num_text/gen_fixture.erl &&
%%     erl -noshell -pa /tmp -s gen_fixture main -s init stop |
%%       gzip -9n > otp/tests/num_text/fixture.txt.gz
%%
%% The random cases come from a fixed seed, so the output is reproducible.
%% One case a line, fields separated by single spaces; R is a result or
%% the word `badarg`:
%%   f2l BITS OPTS R     float_to_list(F, Opts) (and float_to_binary/2,
%%                       checked to agree); F is given by its IEEE-754 bits
%%                       in 16 hex digits; OPTS `/1` means float_to_list/1
%%   l2f HEX R           list_to_float(L) (and binary_to_float/1, checked to
%%                       agree): L's bytes in hex (`-` when empty); R the
%%                       float's bits
%%   i2l N BASE R        integer_to_list(N, Base) (and integer_to_binary/2);
%%                       BASE `/1` means integer_to_list/1
%%   l2i HEX BASE R      list_to_integer(L, Base) (and binary_to_integer/2);
%%                       BASE `/1` means list_to_integer/1
%%   rnd BITS R T F C    round/trunc/floor/ceil of the float
%%   flt N R             float(N), R the float's bits
%%   li LIST BASE R      list_to_integer(L, Base) for lists of any terms;
%%                       BASE `/1` means list_to_integer/1
%%   sli LIST R          string:list_to_integer(L): `error:REASON` or
%%                       the integer, a space and the rest as a LIST
%%   slf LIST R          string:list_to_float(L): `error:REASON` or the
%%                       float's bits, a space and the rest as a LIST
%% A LIST is `-` for [], `!T` for a term T that is not a list, or its
%% elements joined by commas, with `|T` for an improper tail T; elements
%% and tails are integers, floats or atoms, written with ~w.
%% OPTS encodes an option list as its elements joined by commas (`-` for
%% []), each element one of: an atom (`compact`); `NAME=V` for {NAME, V}
%% where V is an integer, or a float when it has a '.'; `NAME=V=W` for the
%% 3-tuple {NAME, V, W}; `#N` for the integer N; `[]` for []; a NAME in
%% double quotes is a string rather than an atom. A trailing `|ATOM` makes the list improper and a
%% leading `!` means the options are that atom, not a list.
-module(gen_fixture).
-export([main/0]).

main() ->
    rand:seed(exsss, {20, 25, 3}),
    Floats = special_floats() ++ [-F || F <- special_floats()],
    [f2l(F, O) || F <- Floats, O <- all_opts()],
    [f2l(F, O) || F <- long_floats(), O <- long_opts()],
    [f2l(F, O) || F <- random_floats(2000), O <- some_opts()],
    [f2l(F, [short]) || F <- tie_floats(4000)],
    [l2f(T) || T <- float_texts()],
    [i2l(N, B) || N <- integers(), B <- ['/1' | lists:seq(2, 36)],
                  abs(N) < 1 bsl 130 orelse lists:member(B, ['/1', 2, 10, 16, 36])],
    [i2l(N, B) || N <- [0, 255, -255, 1 bsl 70], B <- bad_bases()],
    [l2i(T, B) || {T, B} <- integer_texts()],
    [rnd(F) || F <- Floats ++ random_floats(1500)],
    [flt(N) || N <- float_integers()],
    [li(L, B) || L <- integer_lists(), B <- ['/1', 2, 10, 16, 36]],
    [sli(L) || L <- integer_lists()],
    [slf(L) || L <- float_lists()],
    ok.

%% float_to_list/2

special_floats() ->
    [0.0, 1.0, 0.1, 0.2, 0.3, 0.5, 1.5, 2.5, 3.5, 0.05, 0.15, 0.25, 0.35,
     0.45, 0.125, 0.375, 0.0625, 1.005, 1.015, 1.025, 2.675, 9.995, 9.5,
     0.95, 0.995, 0.9995, 99.5, 999.9999, 0.49999999999999994, 123.456,
     1.0e-20, 1.0e-5, 5.0e-5, 1.0e-10, 3.14159, 2.718281828459045,
     12345.678, 1.0e15, 1.0e16, 123456789012345.67, 4503599627370495.5,
     4503599627370497.0, 9007199254740991.0, 9007199254740992.0,
     9007199254740994.0, 9007199254740996.0, 1.8014398509481984e16,
     1.0e17, 1.0e18, 1.0e19, 1.0e20, 1.0e21, 1.0e22, 1.0e23, 1.0e100,
     1.0e200, 1.0e250, 1.0e300, 1.7976931348623157e308,
     2.2250738585072014e-308, 2.225073858507201e-308, 5.0e-324,
     1.0e-323, 1.0e-310, 0.3333333333333333, 0.6666666666666666,
     100.0, 1000.0, 1200.0, 120.0, 1.0e3, 999999.5, 0.000123,
     18446744073709551616.0, 9223372036854775808.0, 4.5, 5.5, 6.5, 0.55,
     0.65, 0.75, 0.85, 1.45, 2.45, 1.0000000000000002, 0.9999999999999999].

all_opts() ->
    ['/1', [], [short], [compact], [short, compact], [compact, short]]
        ++ [[{decimals, N}] || N <- decimal_counts()]
        ++ [[{decimals, N}, compact] || N <- decimal_counts()]
        ++ [[{scientific, N}] || N <- scientific_counts()]
        ++ [[compact, {scientific, 4}], [{scientific, 4}, compact],
            [short, {decimals, 2}], [{decimals, 2}, short],
            [{decimals, 2}, {scientific, 3}], [{scientific, 3}, {decimals, 2}],
            [{scientific, 3}, short], [short, {scientific, 3}],
            [{decimals, 3}, {decimals, 1}], [compact, {decimals, 4}, compact]]
        ++ bad_opts().

decimal_counts() ->
    lists:seq(0, 20) ++ [25, 254, 1000, -1, -2, 1 bsl 59 - 1, -(1 bsl 59)].

scientific_counts() ->
    lists:seq(0, 20) ++ [25, 250, 1000, -1, -6, -100, 1 bsl 59 - 1, -(1 bsl 59)].

%% Long outputs, near BEAM's 256-byte limit, for fewer floats.
long_floats() ->
    Fs = [1.0, 0.1, 123.456, 5.0e-324, 1.0e-310, 2.2250738585072014e-308,
          9007199254740992.0, 1.0e22, 1.0e23, 1.0e100, 1.0e200, 1.0e230,
          1.0e250, 1.0e251, 1.0e252, 1.0e253, 1.0e254, 1.0e300,
          1.7976931348623157e308, 0.0, 0.3333333333333333],
    Fs ++ [-F || F <- Fs].

long_opts() ->
    [[{decimals, N}] || N <- [30, 50, 100, 200, 230, 250, 251, 252, 253]]
        ++ [[{decimals, N}, compact] || N <- [30, 100, 253]]
        ++ [[{decimals, 0}, compact], [{decimals, 1}, compact]]
        ++ [[{scientific, N}] || N <- [30, 50, 100, 200, 246, 247, 248, 249]].

bad_opts() ->
    [[foo], [{decimals, 1 bsl 59}], [{decimals, 1 bsl 64}], [{decimals, 2.0}],
     [{foo, 2}], [{decimals, 2, 3}], [compact | short],
     [{decimals, 2} | compact], foo, [{decimals, a}], [{"decimals", 2}],
     [{scientific, 1 bsl 60}], [1], [[]]].

some_opts() ->
    D = rand:uniform(19) - 1,
    S = rand:uniform(25) - 1,
    [[short], '/1', [{decimals, D}], [{decimals, D}, compact],
     [{scientific, S}], [{decimals, 19 + rand:uniform(30)}, compact]].

f2l(F, O) ->
    L = try
            case O of
                '/1' -> float_to_list(F);
                _ -> float_to_list(F, O)
            end
        catch error:badarg -> badarg
        end,
    B = try
            case O of
                '/1' -> float_to_binary(F);
                _ -> float_to_binary(F, O)
            end
        catch error:badarg -> badarg
        end,
    case L of
        badarg -> badarg = B;
        _ -> B = list_to_binary(L)
    end,
    io:format("f2l ~s ~s ~s~n", [bits(F), opts(O), L]).

bits(F) ->
    <<N:64>> = <<F/float>>,
    io_lib:format("~16.16.0b", [N]).

opts('/1') -> "/1";
opts([]) -> "-";
opts(A) when is_atom(A) -> [$! | atom_to_list(A)];
opts(L) -> opts(L, []).

opts([], Acc) -> lists:join(",", lists:reverse(Acc));
opts([E | T], Acc) -> opts(T, [opt(E) | Acc]);
opts(Tail, Acc) -> [opts([], Acc), "|", atom_to_list(Tail)].

opt(A) when is_atom(A) -> atom_to_list(A);
opt(T) when is_tuple(T) ->
    lists:join("=", [opt_value(V) || V <- tuple_to_list(T)]);
opt(I) when is_integer(I) -> "#" ++ integer_to_list(I);
opt([]) -> "[]".

opt_value(A) when is_atom(A) -> atom_to_list(A);
opt_value(I) when is_integer(I) -> integer_to_list(I);
opt_value(F) when is_float(F) -> float_to_list(F, [short]);
opt_value(S) when is_list(S) -> "\"" ++ S ++ "\"".

%% Floats of every shape: any bit pattern, small magnitudes where the
%% `decimals` format rounds in floating point, short decimals, and ties.
random_floats(N) ->
    [random_float(rand:uniform(6)) || _ <- lists:seq(1, N)].

random_float(Kind) ->
    F = case Kind of
            1 -> from_bits(rand:uniform(1 bsl 63) - 1);
            2 -> from_bits(rand:uniform(16#434) bsl 52 + rand:uniform(1 bsl 52) - 1);
            3 -> rand:uniform(100000000) / pow10(rand:uniform(9));
            4 -> rand:uniform(1 bsl 20) / (1 bsl rand:uniform(24));
            5 -> (rand:uniform(2000) - 1) + rand:uniform(1000) / 1000;
            6 -> rand:uniform() * pow10(rand:uniform(40) - 20)
        end,
    case rand:uniform(2) of
        1 -> F;
        2 -> -F
    end.

%% NaN and infinity bit patterns are not Erlang floats: those give 1.0.
%% Floats whose exact decimal value has few digits, so that it can lie
%% exactly halfway between two shortest candidates (`short` picks the even).
tie_floats(N) ->
    [rand:uniform(1 bsl (15 + rand:uniform(38))) * math:pow(2, 30 - rand:uniform(60))
     || _ <- lists:seq(1, N)].

from_bits(N) ->
    case <<N:64>> of
        <<F/float>> -> F;
        _ -> 1.0
    end.

pow10(N) -> math:pow(10, N).

%% list_to_float/1

float_texts() ->
    ["1", "1.", ".5", "+1.0", "-1.0", "1.0e10", "1e10", "1.0E+5", "1.0e400",
     "-1.0e400", "001.5", "1.5 ", " 1.5", "1,5", "1.0e-400", "-1.0e-400",
     "1.0e-320", "1.0e", "1.0e+", "1.0e-", "-0.0", "+0.0", [$1, $., $0, 0],
     [$1, $., $0, 0, $x], [0], "1.0x", "1.5e3.0", "1.5e-0003", "", "+-1.0",
     "1.0e+-1", "1.7976931348623157e308", "1.7976931348623158e308",
     "1.7976931348623159e308", "2.4703282292062328e-324",
     "2.4703282292062327e-324", "4.9406564584124654e-324", "1.0ee1",
     "1.0e1e1", "1..0", "1.0.0", "-.5", "0x1.0", "inf", "nan", "1.0e99999999999999999999",
     "1.0e-99999999999999999999", "0.0e99999999999999999999", "1_0.0",
     "1.0\n", "\t1.0", "1.0E5", "9,5e1", "12345678901234567890.5e-10",
     "0.000000000000000000000000000000000000000000000000001e51",
     lists:duplicate(400, $9) ++ ".9", "1." ++ lists:duplicate(400, $0) ++ "1",
     "2.2250738585072011e-308", "2.2250738585072012e-308",
     "9007199254740993.0", "9007199254740993.00000000000000000001",
     "0.1e1", "00000.00000e00000", "1.0e+0", "1.0E-0"]
        ++ [float_to_list(F, [short]) || F <- random_floats(600)]
        ++ [float_to_list(F) || F <- random_floats(200)]
        ++ [float_to_list(F, [{decimals, 10}]) || F <- random_floats(100), abs(F) < 1.0e200]
        ++ [halfway(F, D) || F <- random_floats(150), D <- [-1, 0, 1]].

%% The exact decimal text of the midpoint between |F| and the next float
%% up, nudged by D units in a far decimal place: a hard case for rounding.
halfway(F0, D) ->
    F = abs(F0),
    <<0:1, E:11, M:52>> = <<F/float>>,
    {Mant, Exp} = case E of
                      0 -> {M, -1074};
                      _ -> {M bor (1 bsl 52), E - 1075}
                  end,
    %% Midpoint = (2 * Mant + 1) * 2^(Exp - 1).
    Twice = 2 * Mant + 1,
    {Digits, Scale} = case Exp - 1 of
                          P when P >= 0 -> {Twice bsl P, 0};
                          P -> {Twice * pow5(-P), -P}
                      end,
    %% Value = Digits * 10^-Scale; add D units at 10^-(Scale + 5).
    Nudged = Digits * 100000 + D,
    S = integer_to_list(Nudged),
    Exp10 = length(S) - 1 - (Scale + 5),
    [H | T] = S,
    [H, $. | T] ++ "e" ++ integer_to_list(Exp10).

pow5(N) -> pow5(N, 1).
pow5(0, Acc) -> Acc;
pow5(N, Acc) -> pow5(N - 1, Acc * 5).

l2f(T) ->
    L = try list_to_float(T) catch error:badarg -> badarg end,
    B = try binary_to_float(list_to_binary(T)) catch error:badarg -> badarg end,
    L = B,
    R = case L of
            badarg -> "badarg";
            _ -> bits(L)
        end,
    io:format("l2f ~s ~s~n", [hex(T), R]).

hex([]) -> "-";
hex(T) -> [io_lib:format("~2.16.0b", [C]) || C <- T].

%% integer_to_list/1,2

integers() ->
    Powers = [1 bsl 27, 1 bsl 31, 1 bsl 32, 1 bsl 59, 1 bsl 60, 1 bsl 63,
              1 bsl 64, 1 bsl 100, 1 bsl 128, 1 bsl 1000],
    Near = [P + D || P <- Powers, D <- [-1, 0, 1]],
    Base = [0, 1, 7, 10, 35, 36, 255, 1295, 123456789 | Near]
        ++ [rand:uniform(1 bsl rand:uniform(300)) || _ <- lists:seq(1, 40)]
        ++ [list_to_integer(lists:duplicate(400, $7))],
    Base ++ [-N || N <- Base, N =/= 0].

bad_bases() -> [0, 1, 37, -10, 1 bsl 64, 10.0, ten, "10"].

i2l(N, B) ->
    L = try
            case B of
                '/1' -> integer_to_list(N);
                _ -> integer_to_list(N, B)
            end
        catch error:badarg -> badarg
        end,
    Bin = try
              case B of
                  '/1' -> integer_to_binary(N);
                  _ -> integer_to_binary(N, B)
              end
          catch error:badarg -> badarg
          end,
    case L of
        badarg -> badarg = Bin;
        _ -> Bin = list_to_binary(L)
    end,
    io:format("i2l ~w ~s ~s~n", [N, base(B), L]).

base('/1') -> "/1";
base(B) -> io_lib:format("~w", [B]).

%% list_to_integer/1,2

integer_texts() ->
    Texts = ["", "+", "-", "+5", "-5", "--5", "+-5", "1_000", "007", " 7",
             "7 ", "-0", "+0", "12a", [$1, 0], "1.0", "ff", "FF", "zZ", "z",
             "-Ff", "10", "12", "1z", "Zz", "0000000000000000000001",
             "99999999999999999999999999999", "-99999999999999999999999999999",
             "576460752303423487", "576460752303423488", "-576460752303423488",
             "-576460752303423489", "9223372036854775807", "9223372036854775808",
             "-9223372036854775808", "-9223372036854775809",
             "18446744073709551616", "zzzzzzzzzzzz", "zzzzzzzzzzzzz",
             "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", [$1, 200], "1e5", "0x10",
             lists:duplicate(500, $9), lists:duplicate(60, $1) ++ "2",
             "-" ++ lists:duplicate(100, $z)],
    Bases = ['/1', 2, 8, 10, 16, 35, 36],
    [{T, B} || T <- Texts, B <- Bases]
        ++ [{T, B} || T <- ["1", "10", "z"], B <- bad_bases()]
        ++ [{integer_to_list(N, B), B} || N <- integers(), B <- [2, 10, 16, 36]]
        ++ [{string:lowercase(integer_to_list(N, B)), B}
            || N <- integers(), B <- [11, 36]].

l2i(T, B) ->
    L = try
            case B of
                '/1' -> list_to_integer(T);
                _ -> list_to_integer(T, B)
            end
        catch error:badarg -> badarg
        end,
    Bin = try
              case B of
                  '/1' -> binary_to_integer(list_to_binary(T));
                  _ -> binary_to_integer(list_to_binary(T), B)
              end
          catch error:badarg -> badarg
          end,
    L = Bin,
    io:format("l2i ~s ~s ~w~n", [hex(T), base(B), L]).

%% round/1, trunc/1, floor/1, ceil/1 and float/1

rnd(F) ->
    io:format("rnd ~s ~w ~w ~w ~w~n",
              [bits(F), round(F), trunc(F), floor(F), ceil(F)]).

float_integers() ->
    Powers = [1 bsl N || N <- [52, 53, 54, 59, 63, 64, 65, 100, 117, 127, 128,
                                500, 1000, 1023]],
    Near = [P + D || P <- Powers, D <- [-1, 1, 2, 3, 1 bsl 10, 1 bsl 11]],
    Carries = [((1 bsl 53 + 1) bsl 64) + (1 bsl 64 - 1),
               ((1 bsl 53 + 1) bsl 64) + (1 bsl 63),
               ((1 bsl 53 + 1) bsl 64) + (1 bsl 63) + 1,
               ((1 bsl 53 - 1) bsl 128) + (1 bsl 127) + 1,
               (1 bsl 1024) - (1 bsl 970), (1 bsl 1024) - (1 bsl 971),
               (1 bsl 1024) - 1, 1 bsl 1024, 1 bsl 2000],
    Random = [rand:uniform(1 bsl rand:uniform(1100)) || _ <- lists:seq(1, 400)],
    All = [0, 1, 1 bsl 59 - 1 | Powers ++ Near ++ Carries ++ Random],
    All ++ [-N || N <- All, N =/= 0].

flt(N) ->
    R = try bits(float(N)) catch error:badarg -> "badarg" end,
    io:format("flt ~w ~s~n", [N, R]).

%% list_to_integer/1,2 of any list, string:list_to_integer/1 and
%% string:list_to_float/1

integer_lists() ->
    ["12", "12ab", [$1, 256 + $5], [$1, 256 + $5, $x], [$1 | $2], "", "-",
     "+", "-x", [$- | $1], [$+ | foo], foo, 42, 1.5, "007x", [$1, -1],
     [$1, 1 bsl 64], [$5, 512 + $7], lists:duplicate(30, $1) ++ [256 + $2],
     "+-1", "-+1", "1.5", [$1, -203], [$1, -256 + $a], [$1, 256 + $a],
     [$1, 1.0], [$1, $2 | foo], "-12x", "+12", "-0", "+0", [$-], [$a], "ff",
     "FFg", "zz", "Zz!", "10201", lists:duplicate(40, $9) ++ "x",
     "-" ++ lists:duplicate(25, $7) ++ [256 + $3],
     lists:duplicate(13, $z) ++ [-256 + $Z], [$1, $2, 1 bsl 59],
     [256 + $1, 256 + $2], [$1, 255], [$1, 0], [$1, $2 | 3]].

float_lists() ->
    ["1.5", "1.5x", "1.5e3x", "1.5ex", "1.5e+x", "1.5e+", "1.5e", "1", "1.",
     "1.x", ".5", "", foo, 7, [$1 | $2], "1.5|", [$1, $., $5 | $x], "+1.0",
     "-1.0e-3abc", "1.0e400", "-1.0e400x", "1,5x", "1,5", "1.5e-5-", "1.5.3",
     "1.0e--1", "1.0e++1", "1.0ee", "1.0e+e", "1.0e.5", "1.0e+.5", "1e5",
     "1.0e5e5", "--1.0", "+-1.0", "-+1.0", [$1, $., $5, 256 + $5],
     [$1, $., $5, $e, $1 | $x], [$1, $., $5, $e | $x], [$1, $., $5, $e, $- | $x],
     "1.0e-400x", "12345678901234567890.123e5rest", "1.e5", "1.e--", "-",
     "+", "-1", "+.5", "1.5E-3", "1.5E+03,", "0.0", "-0.0x", [$1, $., 1.0],
     [$1, $., $5, 1.0], [$1, $., $5, $e, 1.0], [$1, $., $5, $e, $+, 1.0],
     [$1, $., $5, $e, $+, $1, 1.0], "1.5e1.5", "1,5,5", "9.9e9999x",
     "1.0e-99999999999999999999y", "4.9e-324z", [$1, $., $5, -1],
     [$1, $., $5, 0, $6], "1.5" ++ [$e, 0], [$+, $+], [$-, $1, $e],
     [$1, $., $0 | foo], "00.000e-0000"]
        ++ [float_to_list(F, [short]) ++ Rest || F <- random_floats(60),
                                                  Rest <- ["", "e", "e-", "x"]].

li(L, B) ->
    R = try
            case B of
                '/1' -> list_to_integer(L);
                _ -> list_to_integer(L, B)
            end
        catch error:badarg -> badarg
        end,
    io:format("li ~s ~s ~w~n", [list_enc(L), base(B), R]).

sli(L) ->
    R = case string:list_to_integer(L) of
            {error, Why} -> ["error:", atom_to_list(Why)];
            {N, Rest} -> [integer_to_list(N), " ", list_enc(Rest)]
        end,
    io:format("sli ~s ~s~n", [list_enc(L), R]).

slf(L) ->
    R = case string:list_to_float(L) of
            {error, Why} -> ["error:", atom_to_list(Why)];
            {F, Rest} -> [bits(F), " ", list_enc(Rest)]
        end,
    io:format("slf ~s ~s~n", [list_enc(L), R]).

list_enc([]) -> "-";
list_enc(L) when is_list(L) -> list_enc(L, []);
list_enc(T) -> io_lib:format("!~w", [T]).

list_enc([], Acc) -> lists:join(",", lists:reverse(Acc));
list_enc([E | T], Acc) -> list_enc(T, [io_lib:format("~w", [E]) | Acc]);
list_enc(Tail, Acc) -> [list_enc([], Acc), io_lib:format("|~w", [Tail])].
