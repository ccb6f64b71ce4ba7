//! Command-line parsing and dispatch for `enigma`.

use std::io::Write;

use crate::disasm;

const USAGE: &str = "\
usage: enigma disasm FILE.beam...
       enigma run [-pa DIR]... [--otp-root DIR] [--jit-stats] [--gc-stats] [--gc-stress] [+S N] MOD|FILE.erl [FUN [ARG...]]
";

/// Runs the command line `args` (without the program name); returns the
/// process exit status.
pub fn main(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("-h" | "--help") => {
            print!("{USAGE}");
            0
        }
        Some("disasm") if args.len() > 1 => disasm_files(&args[1..]),
        Some("run") => crate::run::main(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            2
        }
    }
}

fn disasm_files(files: &[String]) -> i32 {
    let mut status = 0;
    for path in files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("enigma disasm: {path}: {e}");
                status = 1;
                continue;
            }
        };
        let mut out = String::new();
        match disasm::disasm(&bytes, &mut out) {
            Ok(()) => {
                if let Err(e) = std::io::stdout().lock().write_all(out.as_bytes()) {
                    eprintln!("enigma disasm: {e}");
                    return 1;
                }
            }
            Err(e) => {
                eprintln!("enigma disasm: {path}: {e}");
                status = 1;
            }
        }
    }
    status
}
