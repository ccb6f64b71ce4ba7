%% Enigma's own boot module, loaded before anything else. The
%% interpreter's runs start from its code position; later issues put the
%% group leader and process start-up here. Rebuild the committed .beam with
%% `erlc -o interp/boot interp/boot/enigma_boot.erl`.
-module(enigma_boot).
-export([start/0]).

start() -> ok.
