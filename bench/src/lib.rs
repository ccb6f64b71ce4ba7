//! Enigma's benchmarks: Erlang programs timed on `erl` and on Enigma in one
//! run, reported as ratios, and criterion micro-benchmarks of the runtime.
