%% erlang:is_builtin/3 is true for what BEAM runs as a BIF (bif.tab, and
%% apply/2,3, yield/0), whatever Enigma runs natively: every export of
%% erlang and of the modules with BIFs, and bad arguments.
-module(run_is_builtin).
-export([main/0]).

main() ->
    Mods = [erlang, erts_internal, ets, math, binary, erts_debug, maps, os, re,
            erl_ddll, atomics, persistent_term, lists, prim_file, unicode, string,
            net_kernel, io, file, error_logger, io_lib, proplists, counters, code,
            init, erl_prim_loader, zlib, prim_zip, timer, gen_server],
    [begin
         Es = lists:sort(M:module_info(exports)),
         {Bifs, Others} = lists:partition(fun({F, A}) -> erlang:is_builtin(M, F, A) end, Es),
         io:format("~p: ~p of ~p, ~p not~n~p~n",
                   [M, length(Bifs), length(Es), length(Others), Bifs])
     end || M <- Mods],
    io:format("~p~n", [[erlang:is_builtin(erlang, apply, 2), erlang:is_builtin(erlang, apply, 3),
                        erlang:is_builtin(erlang, yield, 0), erlang:is_builtin(erlang, nope, 0),
                        erlang:is_builtin(nomod, f, 1), erlang:is_builtin(erlang, self, 256)]]),
    [io:format("~p~n", [try erlang:is_builtin(M, F, A) catch C:R -> {C, R} end])
     || {M, F, A} <- [{1, f, 0}, {m, "f", 0}, {erlang, self, -1}, {erlang, self, 1.0},
                      {erlang, self, 1 bsl 70}]],
    %% A negative arity is no error for function_exported/3 either.
    io:format("~p~n", [erlang:function_exported(erlang, self, -1)]),
    %% Every export of a loaded module is exported, the BIFs that run as
    %% interpreter operations (error/1, apply/3, spawn/3, ...) included.
    [io:format("~p not exported: ~p~n",
               [M, [FA || {F, A} = FA <- M:module_info(exports),
                          not erlang:function_exported(M, F, A)]])
     || M <- [erlang, erts_internal, code, lists, ets]],
    ok.
