%% Control flow for the disassembler comparison: try/catch, old-style catch,
%% receive with and without timeouts, records, guards, case/if, tail and body
%% calls, apply, and exceptions.
-module(disasm_control).
-export([safe_div/2, classify/1, wait/1, drain/0, rec/1, old_catch/1,
         dispatch/3, loop/2, raise_again/1, guard_mix/2]).

-record(point, {x = 0 :: integer(), y = 0 :: integer(), tag = none}).

safe_div(A, B) ->
    try A div B of
        Q when Q > 100 -> {big, Q};
        Q -> {ok, Q}
    catch
        error:badarith -> {error, zero};
        throw:T -> {thrown, T};
        Class:Reason:Stack -> {Class, Reason, length(Stack)}
    after
        erlang:garbage_collect()
    end.

classify(X) when is_integer(X), X > 0 -> positive;
classify(X) when is_integer(X) -> non_positive;
classify(X) when is_float(X) -> float;
classify(X) when is_atom(X) -> atom;
classify([_ | _]) -> list;
classify([]) -> nil;
classify({_, _}) -> pair;
classify(T) when is_tuple(T), tuple_size(T) > 5 -> big_tuple;
classify(B) when is_binary(B) -> binary;
classify(B) when is_bitstring(B) -> bitstring;
classify(F) when is_function(F, 1) -> fun1;
classify(P) when is_pid(P) -> pid;
classify(R) when is_reference(R) -> ref;
classify(M) when is_map(M) -> map;
classify(_) -> other.

wait(Timeout) ->
    receive
        {msg, X} -> {got, X};
        {stop, From} when is_pid(From) -> From ! stopped, stopped
    after Timeout ->
        timeout
    end.

drain() ->
    receive
        _ -> drain()
    after 0 ->
        ok
    end.

rec(#point{x = X, y = Y} = P) when X > Y ->
    P#point{tag = above, x = X + 1};
rec(#point{} = P) ->
    P#point.tag;
rec(Other) ->
    #point{x = length(Other)}.

old_catch(F) ->
    case catch F() of
        {'EXIT', Reason} -> {caught, Reason};
        V -> V
    end.

dispatch(M, F, Args) ->
    R = apply(M, F, Args),
    if
        R =:= ok -> ok;
        is_list(R) -> lists:reverse(R);
        true -> erlang:element(1, R)
    end.

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, [N | Acc]).

raise_again(F) ->
    try
        F()
    catch
        Class:Reason:Stack ->
            erlang:raise(Class, {wrapped, Reason}, Stack)
    end.

guard_mix(A, B) when A >= B, A =/= 0; B == 1.0 ->
    select(A);
guard_mix(A, B) when not (A < B) orelse (A band 1) =:= 0 ->
    {A bsl 2, B bsr 1, A bxor B, bnot A, -A, A rem 7};
guard_mix(A, B) ->
    case {A, B} of
        {1, _} -> one;
        {2, x} -> two;
        {_, [_]} -> singleton;
        _ -> erlang:error({nomatch, A, B})
    end.

select(X) ->
    case X of
        1 -> a; 2 -> b; 3 -> c; 4 -> d; 5 -> e; 6 -> f; 7 -> g;
        foo -> atom_foo; bar -> atom_bar;
        {_} -> one_tuple; {_, _, _} -> three_tuple;
        _ -> other
    end.
