#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell
%%
%% Prints OTP's own disassembly (beam_disasm:file/1) of each .beam file given
%% in the format of `enigma disasm`: `module M`, then per function
%% `function F/A` and one line per generic instruction, `OPNAME Operand...`,
%% each operand printed with ~w.
%%
%% beam_disasm resolves some instructions into friendlier shapes; this script
%% turns them back into the generic opcode and its operands in file order,
%% losing nothing:
%%   - {test,Op,Fail,Args}, {bif,...}, {gc_bif,...}, {arithfbif,...} become
%%     the generic opcode (bif0/1/2, gc_bif1/2/3, is_*, bs_*, fadd...);
%%   - call targets resolved to {M,F,A} become the function's entry label;
%%   - BIF names become {extfunc,M,F,A} via the import table;
%%   - raw operands left by beam_disasm ({u,N}, {i,N}, {u,{alloc,L}}) and
%%     field flags become the forms used elsewhere (N, {integer,N}, {alloc,L});
%%   - typed registers print the type's raw bits ({tr,R,{Bits,Min,Max}}).
-mode(compile).

main(Files) ->
    lists:foreach(fun file/1, Files).

file(F) ->
    case beam_disasm:file(F) of
        {beam_file, Mod, _Exports, _Attrs, _CInfo, Code} ->
            {ok, {_, [{imports, Imports}]}} = beam_lib:chunks(F, [imports]),
            Entries = maps:from_list([{{Mod, N, A}, E} || {function, N, A, E, _} <- Code]),
            Ctx = #{imports => Imports, entries => Entries},
            io:format("module ~w~n", [Mod]),
            [First | Rest] = Code,
            function(First, fun(Is) -> Is end, Ctx),
            [function(Fun, fun file_order/1, Ctx) || Fun <- Rest],
            ok;
        Error ->
            io:format(standard_error, "~s: ~p~n", [F, Error]),
            halt(1)
    end.

function({function, N, A, _Entry, Is0}, Order, Ctx) ->
    io:format("function ~w/~w~n", [N, A]),
    lists:foreach(fun(I) -> instr(I, Ctx) end, Order(Is0)).

%% beam_disasm hands the labels and lines that precede a func_info to the
%% function after them, but (except for the first function) in reverse
%% order; put them back in file order.
file_order(Is) ->
    {Prefix, Rest} = lists:splitwith(fun(I) -> element(1, I) =/= func_info end, Is),
    lists:reverse(Prefix) ++ Rest.

instr({call, N, MFA}, C) -> out(call, [N, entry(MFA, C)]);
instr({call_last, N, MFA, D}, C) -> out(call_last, [N, entry(MFA, C), D]);
instr({call_only, N, MFA}, C) -> out(call_only, [N, entry(MFA, C)]);
instr({bif, Name, nofail, [], Dst}, C) -> out(bif0, [bif(Name, 0, C), Dst]);
instr({bif, Name, Fail, Args, Dst}, C) ->
    Op = list_to_atom("bif" ++ integer_to_list(length(Args))),
    out(Op, [Fail, bif(Name, length(Args), C)] ++ Args ++ [Dst]);
instr({gc_bif, Name, Fail, Live, Args, Dst}, C) ->
    Op = list_to_atom("gc_bif" ++ integer_to_list(length(Args))),
    out(Op, [Fail, Live, bif(Name, length(Args), C)] ++ Args ++ [Dst]);
instr({test, has_map_fields, Fail, Src, List}, _) -> out(has_map_fields, [Fail, Src, List]);
instr({test, Op, Fail, Args}, _) -> out(Op, [Fail | Args]);
instr({arithfbif, Op, Fail, Args, Dst}, _) -> out(Op, [Fail | Args] ++ [Dst]);
instr({raise, {f, 0}, [R1, R2], {x, 0}}, _) -> out(raise, [R1, R2]);
instr({make_fun2, _MFA, OldIndex, _OldUniq, _NumFree}, _) -> out(make_fun2, [OldIndex]);
instr({make_fun3, _MFA, OldIndex, _OldUniq, Dst, Env}, _) -> out(make_fun3, [OldIndex, Dst, Env]);
instr({bs_add, Fail, [A, B, Unit], Dst}, _) -> out(bs_add, [Fail, A, B, Unit, Dst]);
instr({bs_create_bin, [{Fail, Alloc, Live, Unit, Dst, {z, 1}, {u, _}, Segs}]}, _) ->
    out(bs_create_bin, [Fail, Alloc, Live, Unit, Dst, {list, Segs}]);
instr(Op, _) when is_atom(Op) -> out(Op, []);
instr(I, _) when is_tuple(I) ->
    [Op | Args] = tuple_to_list(I),
    out(Op, Args).

out(Op, Args) ->
    io:format("~s~s~n", [Op, [[$\s, io_lib:format("~w", [canon(A)])] || A <- Args]]).

canon({u, N}) when is_integer(N) -> N;
canon({u, {alloc, _} = Alloc}) -> Alloc;
canon({i, N}) when is_integer(N) -> {integer, N};
canon({field_flags, F}) -> canon(F);
canon({tr, R, {Type, Min, Max}}) ->
    <<Bits:16, _/binary>> = beam_types:encode_ext(Type),
    {tr, canon(R), {Bits, Min, Max}};
canon({list, L}) when is_list(L) -> {list, [canon(E) || E <- L]};
canon(X) -> X.

entry(MFA, #{entries := Entries}) -> {f, maps:get(MFA, Entries)}.

%% The compiler only emits BIF instructions for functions of module erlang.
bif(Name, Arity, #{imports := Imports}) ->
    [{M, F, A}] = [I || {erlang, N, A0} = I <- Imports, N =:= Name, A0 =:= Arity],
    {extfunc, M, F, A}.
