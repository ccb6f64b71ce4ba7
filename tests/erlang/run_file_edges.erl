%% prim_file's native functions at the edges of their arguments, as erts
%% takes them: file:allocate/3 (posix_fallocate: the file grows) and
%% advise/4 (unknown advice einval) in every open mode; offsets, sizes
%% and times in the whole signed 64-bit range (einval or accepted, not
%% badarg), sizes too big to allocate (enomem, not a crash); file names
%% prim_file refuses (atoms, binaries inside lists, improper lists, NUL)
%% and file_desc_to_ref of a term that is no descriptor.
-module(run_file_edges).
-export([main/0]).

-include_lib("kernel/include/file.hrl").

p(X) -> io:format("~p~n", [X]).

main() ->
    %% Each VM its own directory: erl and Enigma may run at once.
    Dir = "/tmp/enigma_run_file_edges_" ++ os:getpid(),
    _ = file:del_dir_r(Dir),
    ok = file:make_dir(Dir),
    A = filename:join(Dir, "a"),
    allocate_advise(A),
    big_numbers(A),
    times(filename:join(Dir, "f")),
    names(),
    p(file:del_dir_r(Dir)).

allocate_advise(A) ->
    ok = file:write_file(A, <<"abc">>),
    [begin
         {ok, F} = file:open(A, Mode),
         R1 = file:allocate(F, 0, 100),
         R2 = file:advise(F, 0, 0, bogus),
         R3 = file:advise(F, 0, 0, will_need),
         file:close(F),
         p({Mode, [R1, R2, R3], filelib:file_size(A)})
     end || Mode <- [[read, raw], [read], [read, write, raw], [read, write], [append]]],
    {ok, F} = file:open(A, [read, write, raw, binary]),
    p([catch file:allocate(F, O, L)
       || {O, L} <- [{0, 0}, {-1, 10}, {0, -1}, {10, 20}, {1 bsl 62, 1}, {0, 1 bsl 63},
                     {x, 1}, {0, 1.0}]]),
    p(filelib:file_size(A)),
    p([catch file:advise(F, O, L, Adv)
       || {O, L, Adv} <- [{0, 0, normal}, {0, 0, random}, {0, 0, sequential}, {0, 0, dont_need},
                          {0, 0, no_reuse}, {-1, 0, normal}, {0, -1, normal},
                          {1 bsl 62, 1 bsl 62, normal}, {1 bsl 63, 0, normal}, {0, 0, "normal"},
                          {x, 0, normal}, {-1, 0, bogus}]]),
    file:close(F).

big_numbers(A) ->
    {ok, F} = file:open(A, [read, write, raw, binary]),
    p([catch file:position(F, P)
       || P <- [1 bsl 59, 1 bsl 62, (1 bsl 63) - 1, 1 bsl 63, -(1 bsl 62), {bof, 1 bsl 62},
                {cur, -(1 bsl 62)}, {cur, 1 bsl 62}, {eof, 1 bsl 60}, {eof, 1 bsl 64}, {bof, -1},
                bof, eof]]),
    p([catch file:pread(F, O, N)
       || {O, N} <- [{1 bsl 59, 1}, {1 bsl 63, 1}, {(1 bsl 63) - 1, 1}, {0, 1 bsl 58},
                     {0, 1 bsl 64}, {-(1 bsl 62), 1}, {0, -1}, {0, 0}]]),
    p([catch file:pwrite(F, O, <<"z">>) || O <- [1 bsl 59, 1 bsl 63, -1, -(1 bsl 62)]]),
    {ok, _} = file:position(F, 0),
    p([catch file:read(F, N) || N <- [1 bsl 59, 1 bsl 63, 1 bsl 64, -1]]),
    file:close(F),
    {ok, G} = file:open(A, [read, binary]),
    p([file:position(G, 1 bsl 62), file:read(G, 1 bsl 64), file:pread(G, 1 bsl 62, 1)]),
    file:close(G).

%% Times the file system cannot hold are clamped by it, on both VMs.
times(F) ->
    ok = file:write_file(F, "x"),
    [p({T, file:write_file_info(F, #file_info{mtime = T, atime = T}, [{time, posix}]),
        mtime(file:read_file_info(F, [{time, posix}]))})
     || T <- [1 bsl 40, 1 bsl 59, 1 bsl 62, (1 bsl 63) - 1, 1 bsl 63, -(1 bsl 62), -(1 bsl 63),
              -(1 bsl 63) - 1]].

mtime({ok, I}) -> I#file_info.mtime.

names() ->
    [p({N, case catch prim_file:internal_name2native(N) of
               {'EXIT', {E, _}} -> E;
               V -> V
           end})
     || N <- [cur, "abc", <<"abc">>, [<<"ab">>, "cd"], [<<"ab">>, "cd" | <<"e">>], [102, 0],
              <<102, 0>>, [$a, 256], [$a, 16#10FFFF], [$a, 16#110000], [-1], [[["a"]]], [a], [],
              <<>>, 1.0, <<1:1>>, [$a | $b], [16#D800], [255], <<255>>, [[], $a],
              [$a, <<>>]]],
    [p({F, catch prim_file:F(N)})
     || F <- [list_dir, read_file_info, make_dir, del_dir, delete, read_link, read_file, altname],
        N <- [cur, [<<"ab">>, "cd" | <<"e">>], [0], "a\0b"]],
    p(catch prim_file:file_desc_to_ref(<<255, 0>>, 511)),
    p(catch prim_file:file_desc_to_ref(x, [read])).
