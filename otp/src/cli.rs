//! Command-line parsing and dispatch for `enigma`.

const USAGE: &str = "\
usage: enigma disasm FILE.beam...
";

/// Runs the command line `args` (without the program name); returns the
/// process exit status.
pub fn main(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("-h" | "--help") => {
            print!("{USAGE}");
            0
        }
        _ => {
            eprint!("{USAGE}");
            2
        }
    }
}
