%% The run_ssl_* programs' certificates: ssl_certs/ beside the including
%% source, found from the source's absolute path as compiled (?FILE is
%% relative to erlc's directory), the file checked to be there.
file(Name) ->
    Source = proplists:get_value(source, ?MODULE:module_info(compile)),
    File = filename:join([filename:dirname(Source), "ssl_certs", Name]),
    true = filelib:is_regular(File) orelse Name =:= "absent.pem",
    File.
