%% What run_jit_tail_return and run_jit_tail_return_procs share: the
%% recursions whose return traces tail-call another function trace, the
%% single-process phases that compile and exercise them, and
%% the work the two programs give four processes (one after another, or
%% together). run_jit_tail_yield uses the recursions only.

phases() ->
    L = lists:seq(1, 30),
    io:format("~p~n", [[hd(nrev(L)) || _ <- lists:seq(1, 300)]]),
    io:format("~p~n", [[length(nrev(lists:seq(1, N))) || N <- [0, 1, 2, 100, 600, 1500]]]),
    io:format("~p~n", [nrev([1, 2.5, a, 1 bsl 70, "s", {t}, [x]])]),
    io:format("~p~n", [caught(fun() -> nrev([1, 2, 3 | foo]) end)]),
    io:format("~p~n", [[caught(fun() -> nrev(lists:seq(1, 40) ++ [1, 2 | N]) end)
                        || N <- [bar, 7]]]),
    io:format("~p~n", [[sums(lists:seq(1, N)) || N <- [0, 1, 10, 50, 400]]]),
    io:format("~p~n", [[sums([1.5 | lists:seq(1, N)]) || N <- [0, 10, 50]]]),
    io:format("~p~n", [sums(lists:seq((1 bsl 59) - 40, (1 bsl 59) + 40))]),
    io:format("~p~n", [caught(fun() -> sums(lists:seq(1, 60) ++ [x] ++ lists:seq(1, 9)) end)]),
    io:format("~p~n", [[lists:sum(mix(lists:seq(N rem 40 - 10, 30))) || N <- lists:seq(1, 400)]]),
    io:format("~p~n", [[lists:sum(sums(lists:seq(1, N rem 40))) || N <- lists:seq(1, 400)]]),
    io:format("~p~n", [[mix(lists:seq(-N, N)) || N <- [0, 3, 40, 300]]]),
    io:format("~p~n", [mix([3, -2, 5, -7, 1, 0, 9, -4])]),
    io:format("~p~n", [[hd(nrev(L)) || _ <- lists:seq(1, 50)]]).

caught(F) ->
    try F() catch C:R -> {C, R} end.

nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].

%% Running sums: the callee's body does arithmetic on the elements.
sums([]) -> [];
sums([H | T]) -> add(sums(T), H).

add([], _) -> [];
add([H | T], K) -> [H + K | add(T, K)].

%% One continuation tail-calling one of two function traces: the return
%% trace's guard fails where the other one is called.
mix([]) -> [];
mix([H | T]) ->
    X = mix(T),
    case H >= 0 of
        true -> pos(X, H);
        false -> neg(X, H)
    end.

pos([], H) -> [H];
pos([X | T], H) -> [X + 1 | pos(T, H)].

neg([], H) -> [H];
neg([X | T], H) -> [X - 1 | neg(T, H)].

work(K) ->
    L = lists:seq(1, 20 + K),
    R = lists:foldl(fun(_, A) -> A + hd(nrev(L)) + length(sums(L)) end, 0, lists:seq(1, 400)),
    {K, R, lists:sum(mix(lists:seq(-10 * K, 10 * K)))}.
