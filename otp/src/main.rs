//! The `enigma` command.

#![forbid(unsafe_code)]

fn main() {
    std::process::exit(enigma_otp::cli::main(std::env::args().skip(1).collect()));
}
