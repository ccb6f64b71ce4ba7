//! The `enigma` command.

fn main() {
    std::process::exit(enigma_otp::cli::main(std::env::args().skip(1).collect()));
}
