-module(run_zip_tar).
-export([main/0]).

%% What zlib's streaming API carries: zip archives (in memory and on
%% disk), compressed tar files, and compressed files through
%% file_io_server. Contents are shown as sizes and MD5s.
main() ->
    Dir = filename:join(tmp(), "enigma_zip_tar_" ++ os:getpid()),
    ok = filelib:ensure_path(Dir),
    try
        zip_memory(),
        zip_files(Dir),
        tar(Dir),
        gz_files(Dir)
    after
        ok = file:del_dir_r(Dir)
    end.

tmp() ->
    case os:getenv("TMPDIR") of
        false -> "/tmp";
        T -> T
    end.

sum(IoData) ->
    B = iolist_to_binary(IoData),
    <<H:32, _/binary>> = erlang:md5(B),
    {byte_size(B), H}.

p(Label, V) -> io:format("~w: ~w~n", [Label, V]).

try_(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.

files() ->
    Text = iolist_to_binary([[integer_to_list(I), " archived line\n"] || I <- lists:seq(1, 5000)]),
    [{"a.txt", Text},
     {"empty.txt", <<>>},
     {"sub/b.bin", list_to_binary([I rem 256 || I <- lists:seq(1, 3000)])},
     {"small.txt", <<"hello zip">>}].

entries(Entries) ->
    lists:sort([{Name, sum(Bin)} || {Name, Bin} <- Entries]).

zip_memory() ->
    Files = files(),
    {ok, {"mem.zip", Zip}} = zip:create("mem.zip", Files, [memory]),
    p(zip_memory_size, is_binary(Zip) andalso byte_size(Zip) > 0),
    {ok, Listed} = zip:list_dir(Zip),
    p(zip_list_dir, lists:sort([{N, S, C} || {zip_file, N, {file_info, S, _, _, _, _, _, _, _, _, _, _, _, _}, _, _, C} <- Listed])),
    {ok, Unzipped} = zip:unzip(Zip, [memory]),
    p(zip_unzip_memory, entries(Unzipped) =:= entries(Files)),
    p(zip_unzip_names, entries(Unzipped)),
    {ok, Extracted} = zip:extract(Zip, [memory, {file_list, ["small.txt"]}]),
    p(zip_extract_one, Extracted),
    {ok, {"s.zip", Stored}} = zip:create("s.zip", Files, [memory, {uncompress, all}]),
    {ok, Plain} = zip:unzip(Stored, [memory]),
    p(zip_stored, entries(Plain) =:= entries(Files)),
    {ok, {"c.zip", Comp}} = zip:zip("c.zip", Files, [memory, {compress, [".txt"]}]),
    {ok, Mixed} = zip:unzip(Comp, [memory]),
    p(zip_compress_txt, entries(Mixed) =:= entries(Files)),
    {ok, Table} = zip:table(Zip),
    p(zip_table, length(Table)),
    Bad = <<(binary:part(Zip, 0, 40))/binary, 0:800>>,
    p(zip_corrupt, element(1, try_(fun() -> zip:unzip(Bad, [memory]) end))).

zip_files(Dir) ->
    Src = filename:join(Dir, "src"),
    [begin
         Path = filename:join(Src, Name),
         ok = filelib:ensure_dir(Path),
         ok = file:write_file(Path, Bin)
     end || {Name, Bin} <- files()],
    ZipFile = filename:join(Dir, "files.zip"),
    {ok, ZipFile} = zip:create(ZipFile, [N || {N, _} <- files()], [{cwd, Src}]),
    {ok, Info} = file:read_file_info(ZipFile),
    p(zip_file_written, element(2, Info) > 0),
    Out = filename:join(Dir, "out"),
    {ok, Names} = zip:extract(ZipFile, [{cwd, Out}]),
    p(zip_extract_files, lists:sort([lists:nthtail(length(Out) + 1, N) || N <- Names])),
    p(zip_extract_contents,
      [{N, sum(element(2, file:read_file(filename:join(Out, N))))} || {N, _} <- files()]),
    {ok, Listed} = zip:list_dir(ZipFile),
    p(zip_list_file, length(Listed)),
    {ok, Mem} = zip:unzip(ZipFile, [memory]),
    p(zip_file_to_memory, entries(Mem) =:= entries(files())).

tar(Dir) ->
    Src = filename:join(Dir, "src"),
    Tgz = filename:join(Dir, "files.tar.gz"),
    ok = erl_tar:create(Tgz, [{N, B} || {N, B} <- files()], [compressed]),
    {ok, Gz} = file:read_file(Tgz),
    p(tar_gz_magic, binary:part(Gz, 0, 2)),
    p(tar_gunzip_size, byte_size(zlib:gunzip(Gz)) rem 512),
    {ok, Table} = erl_tar:table(Tgz, [compressed]),
    p(tar_table, lists:sort(Table)),
    {ok, Mem} = erl_tar:extract(Tgz, [compressed, memory]),
    p(tar_extract_memory, entries(Mem) =:= entries(files())),
    Out = filename:join(Dir, "tar_out"),
    ok = erl_tar:extract(Tgz, [compressed, {cwd, Out}]),
    p(tar_extract_files,
      [{N, sum(element(2, file:read_file(filename:join(Out, N))))} || {N, _} <- files()]),
    Tgz2 = filename:join(Dir, "disk.tgz"),
    {ok, Cwd} = file:get_cwd(),
    ok = file:set_cwd(Src),
    try
        ok = erl_tar:create(Tgz2, ["a.txt", "sub"], [compressed])
    after
        ok = file:set_cwd(Cwd)
    end,
    {ok, T2} = erl_tar:table(Tgz2, [compressed, verbose]),
    p(tar_disk_table, lists:sort([{N, Type, Size} || {N, Type, Size, _, _, _, _} <- T2])),
    {ok, Plain} = erl_tar:extract(Tgz2, [compressed, memory]),
    p(tar_disk_contents, entries(Plain)),
    p(tar_not_gzip, try_(fun() -> erl_tar:extract(filename:join(Src, "a.txt"), [compressed, memory]) end)).

gz_files(Dir) ->
    Text = iolist_to_binary([[integer_to_list(I), " gz line\n"] || I <- lists:seq(1, 20000)]),
    Gz = filename:join(Dir, "t.gz"),
    ok = file:write_file(Gz, zlib:gzip(Text)),
    {ok, F} = file:open(Gz, [read, compressed, binary]),
    {ok, First} = file:read_line(F),
    p(gz_first_line, First),
    {ok, Chunk} = file:read(F, 100000),
    p(gz_read_chunk, sum(Chunk)),
    Rest = read_all(F, []),
    p(gz_rest, sum(Rest)),
    p(gz_whole, iolist_to_binary([First, Chunk, Rest]) =:= Text),
    ok = file:close(F),
    Out = filename:join(Dir, "w.gz"),
    {ok, W} = file:open(Out, [write, compressed]),
    ok = file:write(W, Text),
    ok = io:format(W, "~s~n", ["formatted line"]),
    ok = file:close(W),
    {ok, Written} = file:read_file(Out),
    p(gz_written, sum(zlib:gunzip(Written))),
    {ok, R} = file:open(Out, [read, compressed, binary]),
    p(gz_reread, sum(read_all(R, []))),
    ok = file:close(R),
    Plain = filename:join(Dir, "plain.txt"),
    ok = file:write_file(Plain, <<"not compressed\n">>),
    {ok, P} = file:open(Plain, [read, compressed, binary]),
    p(gz_plain_file, file:read_line(P)),
    ok = file:close(P),
    p(gz_read_file, sum(zlib:gunzip(element(2, file:read_file(Gz))))).

read_all(F, Acc) ->
    case file:read(F, 7777) of
        {ok, B} -> read_all(F, [Acc, B]);
        eof -> iolist_to_binary(Acc)
    end.
