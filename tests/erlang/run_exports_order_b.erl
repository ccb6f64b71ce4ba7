%% A module whose exports run_exports_order lists (see there).
-module(run_exports_order_b).
-export([main/0, zeta/0, alpha/1, mid/2, alpha/0]).
-export([b/0, 'quoted name'/3]).

main() -> ok.
zeta() -> ok.
alpha(_) -> ok.
mid(_, _) -> ok.
alpha() -> ok.
b() -> ok.
'quoted name'(_, _, _) -> ok.
