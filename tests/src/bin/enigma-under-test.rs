//! The `enigma` command, built inside the tests crate so that integration
//! tests can run it (`CARGO_BIN_EXE_enigma-under-test`).

fn main() {
    std::process::exit(enigma_otp::cli::main(std::env::args().skip(1).collect()));
}
