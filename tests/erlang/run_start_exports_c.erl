%% A module run_start_exports starts processes in before it is loaded.
-module(run_start_exports_c).
-export([main/0, a/0, b/0, c/0]).

main() -> ok.
a() -> ok.
b() -> ok.
c() -> ok.
