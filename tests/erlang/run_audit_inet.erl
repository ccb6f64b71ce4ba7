-module(run_audit_inet).
-export([main/0]).

t(F) -> try F() catch C:R -> {C, R} end.
p(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

main() ->
    {ok, H} = inet:gethostname(),
    p(gethostname, {ok, H}),
    p(localhost, t(fun() -> H =:= net_adm:localhost() end)),
    p(getaddr_localhost, t(fun() -> inet:getaddr("localhost", inet) end)),
    p(getaddr_localhost_atom, t(fun() -> inet:getaddr(localhost, inet) end)),
    p(getaddrs_localhost, t(fun() -> inet:getaddrs("localhost", inet) end)),
    p(getaddr_ip, t(fun() -> inet:getaddr("10.1.2.3", inet) end)),
    p(getaddr_tuple, t(fun() -> inet:getaddr({10,1,2,3}, inet) end)),
    p(getaddr_ip6, t(fun() -> inet:getaddr("::1", inet6) end)),
    p(gethostbyname, t(fun() -> inet:gethostbyname("localhost") end)),
    p(gethostbyname_ip, t(fun() -> inet:gethostbyname("127.0.0.1") end)),
    p(gethostbyaddr, t(fun() -> case inet:gethostbyaddr({127,0,0,1}) of
                                    {ok, {hostent, _, _, inet, 4, Addrs}} -> {ok, Addrs};
                                    E -> E end end)),
    p(self_resolves, t(fun() -> case inet:getaddr(H, inet) of
                                    {ok, {_,_,_,_}} -> ok; E -> E end end)),
    p(getifaddrs, t(fun() -> {ok, Ifs} = inet:getifaddrs(),
                             lists:sort([N || {N, _} <- Ifs]) end)),
    p(getifaddrs_lo, t(fun() -> {ok, Ifs} = inet:getifaddrs(),
                                proplists:get_value("lo", Ifs) end)),
    p(getifaddrs_same, t(fun() -> inet:getifaddrs() =:= inet:getifaddrs() end)),
    p(getiflist, t(fun() -> {ok, L} = inet:getiflist(), lists:sort(L) end)),
    p(ntoa, [inet:ntoa(A) || A <- [{127,0,0,1}, {0,0,0,0,0,0,0,1}, {0,0,0,0,0,16#ffff,16#c0a8,1},
                                   {16#2001,16#db8,0,0,0,0,0,1}, {1,2,3}, {256,0,0,1}]]),
    p(parse_address, [inet:parse_address(S) || S <- ["127.0.0.1", "::1", "::ffff:192.168.0.1",
                                                     "1.2.3", "0x7f.1", "fe80::1%lo", "2001:db8::", "a.b", ""]]),
    p(parse_strict, [inet:parse_strict_address(S) || S <- ["127.0.0.1", "1.2.3", "::1", "::"]]),
    p(parse_ipv4, [inet:parse_ipv4_address(S) || S <- ["1.2.3.4", "1.2", "010.1.1.1", "256.1.1.1"]]),
    p(parse_ipv6, [inet:parse_ipv6strict_address(S) || S <- ["::1", "1.2.3.4", "::ffff:1.2.3.4"]]),
    p(is_addr, [{inet:is_ipv4_address(A), inet:is_ipv6_address(A), inet:is_ip_address(A)}
                || A <- [{1,2,3,4}, {0,0,0,0,0,0,0,1}, {1,2,3}, foo]]),
    p(ipv4_mapped, [inet:ipv4_mapped_ipv6_address(A) || A <- [{1,2,3,4}, {0,0,0,0,0,16#ffff,258,772}]]),
    p(inet_parse, [inet_parse:ntoa({192,168,1,1}), inet_parse:domain("foo.bar"),
                   inet_parse:domain("-foo"), inet_parse:visible_string("abc")]),
    p(family, t(fun() -> inet:getaddr("localhost", inet6) end)),
    p(res_option, t(fun() -> [inet_db:res_option(O) || O <- [inet6, recurse, usevc, retry]] end)),
    p(lookup, t(fun() -> inet_db:res_option(lookup) end)),
    p(hostname_db, t(fun() -> inet_db:gethostname() =:= H end)),
    p(gethostname_port, t(fun() -> {ok, U} = inet_udp:open(0, []),
                                   R = inet:gethostname(U), inet_udp:close(U),
                                   case R of {ok, N} -> lists:prefix(H, N); E -> E end end)),
    p(udp_socket, t(fun() ->
                            {ok, S} = gen_udp:open(0, [binary]),
                            {ok, Port} = inet:port(S),
                            {ok, {Addr, Port}} = inet:sockname(S),
                            R = [is_integer(Port) andalso Port > 0, Addr, erlang:port_get_data(S),
                                 erlang:port_info(S, name), erlang:port_info(S, os_pid),
                                 inet:getopts(S, [active, mode, reuseaddr, linger]),
                                 inet:setopts(S, [{active, false}, {reuseaddr, true}]),
                                 inet:getopts(S, [active, reuseaddr]),
                                 inet:gethostname(S) =:= {ok, H}],
                            ok = gen_udp:close(S),
                            R ++ [erlang:port_info(S, name), t(fun() -> erlang:port_get_data(S) end),
                                  t(fun() -> erlang:port_set_data(S, x) end), inet:gethostname(S)]
                    end)),
    p(port_data, t(fun() ->
                           P = open_port({spawn, "cat"}, []),
                           R = [erlang:port_get_data(P), erlang:port_set_data(P, {x, [1]}), erlang:port_get_data(P),
                                t(fun() -> erlang:port_control(P, 1, []) end), t(fun() -> erlang:port_get_data(foo) end),
                                t(fun() -> erlang:port_get_data(self()) end)],
                           port_close(P),
                           R
                   end)),
    IfOpts = [addr, netmask, flags, hwaddr, mtu, broadaddr, dstaddr],
    p(ifget, t(fun() -> {ok, Ifs} = inet:getiflist(),
                        [{If, inet:ifget(If, IfOpts)} || If <- lists:sort(Ifs)] end)),
    p(ifget_more, [t(fun() -> inet:ifget("no_such_if0", IfOpts) end), t(fun() -> inet:ifget(lo, [mtu, flags]) end),
                   t(fun() -> inet:ifget("lo", [bad]) end), t(fun() -> inet:ifget("lo", []) end),
                   t(fun() -> {ok, S} = gen_udp:open(0), R = inet:ifget(S, "lo", [addr]), gen_udp:close(S), R end)]),
    p(services, [inet:getservbyname(nosuch, tcp), inet:getservbyport(1, tcp), inet:getservbyport(9, udp),
                 inet:getservbyname(domain, udp), inet:getservbyname(www, tcp), inet:getservbyname(sink, udp),
                 inet:getservbyport(80, foo), inet:getservbyname(http, foo), t(fun() -> inet:getservbyport(70000, tcp) end),
                 inet:getservbyname(http, udp), inet:getservbyport(8080, tcp), inet:getservbyname(http, "tcp"),
                 inet:getservbyport(443, "tcp")]),
    p(open_driver, [t(fun() -> open_port({spawn_driver, D}, [binary]) end) || D <- ["no_such_drv", foo]]),
    p(ports_after, length([P || P <- erlang:ports(), erlang:port_info(P, name) =:= {name, "udp_inet"}])),
    ok.
