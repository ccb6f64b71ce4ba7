//! `--jit-dump=asm`: a compiled trace's machine code as assembly text,
//! with the trace's own landmarks (entry, loop head, exit stubs) named.

use std::collections::BTreeMap;
use std::fmt::Write;

use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};

/// Places in a trace's code worth a label in the listing.
#[derive(Default)]
pub struct Landmarks {
    labels: BTreeMap<usize, Vec<String>>,
}

impl Landmarks {
    /// Names the code at byte `offset`.
    pub fn add(&mut self, offset: usize, name: impl Into<String>) {
        self.labels.entry(offset).or_default().push(name.into());
    }
}

/// Disassembles x86-64 `code`, one instruction a line (offset, bytes,
/// Intel syntax), each landmark on a line of its own before the
/// instruction it names. Offsets and branch targets count from the
/// code's start, so a jump's target is found in the offset column.
pub fn x86_64(code: &[u8], marks: &Landmarks) -> String {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    formatter.options_mut().set_first_operand_char_index(8);
    formatter.options_mut().set_branch_leading_zeros(false);
    let mut out = String::new();
    let mut text = String::new();
    for ins in &mut decoder {
        let at = ins.ip() as usize;
        for name in marks.labels.get(&at).into_iter().flatten() {
            let _ = writeln!(out, "{name}:");
        }
        text.clear();
        formatter.format(&ins, &mut text);
        let bytes: String = code[at..at + ins.len()]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let _ = writeln!(out, "  {at:6x}  {bytes:<24} {text}");
    }
    out
}

/// The machine code of this build's architecture as text: x86-64
/// disassembled ([`x86_64`]), aarch64 as hex words ([`aarch64`]).
pub fn native(code: &[u8], marks: &Landmarks) -> String {
    if cfg!(target_arch = "aarch64") {
        aarch64(code, marks)
    } else {
        x86_64(code, marks)
    }
}

/// Lists aarch64 `code` one instruction word a line (offset, the word in
/// hex), with the landmarks as [`x86_64`] names them: no disassembler
/// yet (a dependency to weigh; `llvm-objdump -b binary -m aarch64` reads
/// the words back).
pub fn aarch64(code: &[u8], marks: &Landmarks) -> String {
    let mut out = String::new();
    for (k, word) in code.chunks(4).enumerate() {
        let at = k * 4;
        for name in marks.labels.get(&at).into_iter().flatten() {
            let _ = writeln!(out, "{name}:");
        }
        let mut w = [0u8; 4];
        w[..word.len()].copy_from_slice(word);
        let _ = writeln!(out, "  {at:6x}  {:08x}", u32::from_le_bytes(w));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_aarch64_words_and_landmarks() {
        // mov x0, x1; ret
        let code = [0xe0, 0x03, 0x01, 0xaa, 0xc0, 0x03, 0x5f, 0xd6];
        let mut marks = Landmarks::default();
        marks.add(4, "exit 0");
        let text = aarch64(&code, &marks);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            ["       0  aa0103e0", "exit 0:", "       4  d65f03c0"]
        );
    }

    #[test]
    fn lists_instructions_and_landmarks() {
        // mov rax, rdi; add rax, 1; jne 0; ret
        let code = [0x48, 0x89, 0xf8, 0x48, 0x83, 0xc0, 0x01, 0x75, 0xf7, 0xc3];
        let mut marks = Landmarks::default();
        marks.add(0, "entry");
        marks.add(9, "exit 0");
        let text = x86_64(&code, &marks);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "entry:");
        assert!(
            lines[1].contains("4889f8") && lines[1].contains("mov     rax,rdi"),
            "{text}"
        );
        assert!(lines[2].contains("add     rax,1"), "{text}");
        assert!(lines[3].trim_end().ends_with("jne     short 0"), "{text}");
        assert_eq!(lines[4], "exit 0:");
        assert!(lines[5].trim_end().ends_with("ret"), "{text}");
    }
}
