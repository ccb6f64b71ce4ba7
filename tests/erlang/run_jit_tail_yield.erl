%% Processes that yield inside a function trace which a return trace
%% tail-called (session 21: bench_nrev's `app(nrev(T), [H])`), each
%% resuming after another process ran on its scheduler. The yield is at
%% the callee's entry, with the callee's arguments live: until session
%% 23 the interpreter kept only as many X registers as the function whose
%% trace it had entered has arguments (`nrev/1`, `mix/1`: x0), and the
%% process resumed with the other process's x1 as `app/2`'s list or
%% `pos/2`'s H. Deterministic on one scheduler (`tests/tests/smp.rs` runs
%% it there too); on several, the processes take turns less often.
-module(run_jit_tail_yield).
-export([main/0]).

main() ->
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), work(K)} end) || K <- [4, 5, 6, 7]],
    io:format("~p~n", [[receive {P, R} -> R end || P <- Pids]]).

%% Each result twenty times: a wrong one shows beside the others.
work(K) ->
    L = lists:seq(K, 25 * K),
    M = lists:seq(-10 * K, 10 * K),
    {K, lists:usort([lists:sum(nrev(L)) || _ <- lists:seq(1, 20)]),
     lists:usort([lists:sum(mix(M)) || _ <- lists:seq(1, 20)])}.

%% x1 a list on the heap.
nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].

%% x1 an integer: the continuation tail-calls one of two function traces.
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
