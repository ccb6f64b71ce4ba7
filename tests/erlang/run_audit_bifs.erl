%% binary module functions, math errors, arithmetic edges, fun_info,
%% pid/ref/port conversions, tuple and binary BIFs, the process
%% dictionary, apply and the errors of each. Session 18's audit: as erl.
-module(run_audit_bifs).
-export([main/0, f/1]).
-define(T(E), (fun() -> try E catch C__:R__ -> {C__, R__} end end)()).
p(X) -> io:format("~p~n", [X]).
f(X) -> X.
main() ->
    B = <<"hello world, hello erlang">>,
    p([binary:encode_hex(<<1, 171, 255>>), binary:decode_hex(<<"01abFF">>), ?T(binary:decode_hex(<<"1">>)), ?T(binary:decode_hex(<<"zz">>)),
       binary:bin_to_list(B, {0, 5}), ?T(binary:bin_to_list(B, {20, 10})), binary:longest_common_prefix([<<"abcd">>, <<"abxy">>]), binary:longest_common_suffix([<<"xcd">>, <<"abcd">>]),
       binary:replace(B, <<"hello">>, <<"bye">>, [global]), binary:replace(B, [<<"l">>, <<"o">>], <<"[]">>, [global, {insert_replaced, 1}]),
       binary:matches(B, [<<"hello">>, <<"ell">>]), binary:match(B, <<"erl">>, [{scope, {10, 15}}]), ?T(binary:match(B, <<>>)), binary:split(B, [<<" ">>, <<",">>], [global, trim_all]),
       binary:at(B, 0), ?T(binary:at(B, 100)), binary:first(B), binary:last(B), binary:copy(<<"ab">>, 3), binary:part(B, {byte_size(B), -3}), ?T(binary:part(B, {0, 100})),
       binary:list_to_bin([1, [2, <<3>>]]), binary:decode_unsigned(<<1, 0>>), binary:decode_unsigned(<<1, 0>>, little), binary:encode_unsigned(65536), binary:encode_unsigned(256, little),
       ?T(binary:encode_unsigned(-1)), binary:referenced_byte_size(binary:part(B, 0, 2)) > 0, ?T(binary:split(B, <<>>))]),
    p([?T(math:log(0)), ?T(math:log(-1)), ?T(math:sqrt(-1)), ?T(math:pow(10, 400)), ?T(math:exp(1000)), math:fmod(7.5, 2), ?T(math:fmod(1, 0)), math:floor(-1.5), math:ceil(1.2),
       math:log2(1024), math:log10(0.001), math:pi(), math:atan2(1, -1), math:acosh(2), ?T(math:acos(2)), math:erf(0.5), math:erfc(0.5), ?T(math:sin(a)),
       math:pow(2, 0.5), ?T(math:pow(-8, 1/3)), ?T(math:pow(0, -1)), math:cosh(1), math:tanh(100)]),
    p([?T(10 / 0), ?T(10 div 0), ?T(10 rem 0), ?T(1.0e308 * 10), ?T(-(1 bsl 1030) / 1), ?T(float(1 bsl 1030)), 7 rem -3, -7 div 2, ?T(1 bsl (1 bsl 40)),
       -7 bsr 1, 1 bsl -1, ?T(a + 1), abs(-1 bsl 70), max(1, 1.0), min(1, 1.0), max(a, 1), 2.0 == 2, 0.0 =:= -0.0, 0.0 == -0.0]),
    F = fun(X) -> X + 1 end, G = fun t10:f/1, Y = 5, H = fun(Z) -> Z + Y end,
    p([erlang:fun_info(F, arity), erlang:fun_info(G, type), erlang:fun_info(G, module), erlang:fun_info(H, env), erlang:fun_info(G, env), erlang:fun_info(F, type),
       erlang:fun_info(F, name), erlang:fun_info(G, name), ?T(erlang:fun_info(F, bogus)), ?T(erlang:fun_info(x, arity)), erlang:fun_info(F, module),
       erlang:fun_to_list(G), lists:prefix("#Fun<t10.", erlang:fun_to_list(F)), is_function(F, 1), ?T(is_function(F, -1)), erlang:fun_info(fun lists:map/2),
       erlang:fun_info_mfa(G), erlang:fun_info_mfa(F) =:= erlang:fun_info_mfa(F)]),
    p([?T(list_to_pid("<0.1.0>")) =:= ?T(list_to_pid("<0.1.0>")), ?T(list_to_pid("bad")), ?T(list_to_ref("#Ref<0.1.2.3>")) =/= x, ?T(list_to_ref("bad")), ?T(list_to_port("#Port<0.1>")) =/= x,
       ?T(list_to_port("x")), pid_to_list(list_to_pid("<0.5.0>")), is_pid(list_to_pid("<0.5.0>")), ref_to_list(list_to_ref("#Ref<0.1.2.3>")), port_to_list(list_to_port("#Port<0.7>"))]),
    p([erlang:make_tuple(3, x, [{2, y}, {3, z}, {2, w}]), ?T(erlang:make_tuple(2, x, [{3, y}])), ?T(erlang:make_tuple(-1, x)), erlang:append_element({a}, b),
       erlang:insert_element(1, {a}, b), erlang:delete_element(1, {a, b}), ?T(erlang:delete_element(3, {a, b})), ?T(setelement(0, {a}, b)), list_to_tuple([1, 2]),
       ?T(list_to_tuple([1 | 2])), split_binary(<<1, 2, 3>>, 1), ?T(split_binary(<<1>>, 2)), binary_part(<<1, 2, 3>>, {3, -2}), bitstring_to_list(<<1, 2:3>>),
       ?T(binary_to_list(<<1, 2:3>>)), list_to_bitstring([1, <<2:3>>]), ?T(list_to_binary([1, <<2:3>>])), iolist_size([1, <<2, 3>>, [4]]), ?T(iolist_size([1 | a])),
       ?T(iolist_to_binary([256])), erlang:iolist_to_iovec([<<1>>, [2, <<3>>]]), tuple_size({}), ?T(tuple_size([])), byte_size(<<1:9>>), bit_size(<<1:9>>),
       erlang:is_map_key(a, #{a => 1}), ?T(erlang:is_map_key(a, x)), ?T(map_get(b, #{a => 1})), map_size(#{}), erlang:adler32(<<>>), is_record({rec, 1}, rec, 2)]),
    put(k1, v1), put(k2, v1), put(k3, v3),
    p([lists:sort(get_keys(v1)), lists:sort(get_keys()), get(nokey), erase(k1), erase(nokey), lists:sort(get()) -- [{'$ancestors', x}], put(k2, new), erlang:erase() =/= []]),
    p([?T(apply(lists, seq, [1, 3])), ?T(apply(lists, nope, [])), ?T(apply(fun(X) -> X end, [1, 2])), ?T(apply(x, [])), ?T(apply(lists, seq, [1 | 2])), ?T(erlang:apply(1, 2, [])),
       erlang:function_exported(lists, seq, 2), erlang:function_exported(lists, nope, 2), erlang:function_exported(erlang, abs, 1), erlang:function_exported(erlang, self, 0)]),
    p([erlang:unique_integer([positive]) > 0, ?T(erlang:unique_integer([bogus])), is_integer(erlang:unique_integer([monotonic])), erlang:phash2(erlang:make_ref()) >= 0,
       byte_size(term_to_binary(make_ref())) > 0, node(), node(self()), nodes(), is_alive(), erlang:get_cookie(), ?T(erlang:set_cookie(x)), erlang:system_time() > 0,
       ?T(erlang:date()) =/= x, erlang:time() =/= x, ?T(erlang:halt(bad_arg_xyz)), ?T(erlang:halt(0, [bogus])), ?T(erlang:error(x, [1], [bad]))]),
    ok.
