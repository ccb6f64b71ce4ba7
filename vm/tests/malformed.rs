//! Malformed `.beam` files are errors that name the module (when known), the
//! chunk and the byte offset; never a panic or a huge allocation.

use std::io::Write;

use enigma_vm::loader::{self, ChunkId, ErrorKind, LoadError};

/// A tiny module `malformed_m` with `f/0` returning literal 0 (`hello`).
struct Beam {
    chunks: Vec<([u8; 4], Vec<u8>)>,
}

const CODE: &[u8] = &[
    0x01, 0x10, // label 1
    0x02, 0x12, 0x22, 0x00, // func_info {atom,malformed_m} {atom,f} 0
    0x01, 0x20, // label 2
    0x40, 0x47, 0x00, 0x03, // move {literal,0} {x,0}
    0x13, // return
    0x03, // int_code_end
];
/// Offset of `return` in CODE.
const RETURN_AT: usize = 12;

fn be32(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

fn lit_table(literal: &[u8]) -> Vec<u8> {
    let mut table = be32(1).to_vec();
    table.extend_from_slice(&be32(literal.len() as u32));
    table.extend_from_slice(literal);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&table).unwrap();
    let mut chunk = be32(table.len() as u32).to_vec();
    chunk.extend_from_slice(&z.finish().unwrap());
    chunk
}

impl Beam {
    fn new() -> Beam {
        let mut atoms = be32(2).to_vec();
        for a in ["malformed_m", "f"] {
            atoms.push(a.len() as u8);
            atoms.extend_from_slice(a.as_bytes());
        }
        let mut code = Vec::new();
        for w in [16, 0, 180, 3, 1] {
            code.extend_from_slice(&be32(w));
        }
        code.extend_from_slice(CODE);
        let mut exports = be32(1).to_vec();
        for w in [2, 0, 2] {
            exports.extend_from_slice(&be32(w));
        }
        // term_to_binary(hello)
        let hello = [131, 119, 5, b'h', b'e', b'l', b'l', b'o'];
        Beam {
            chunks: vec![
                (*b"AtU8", atoms),
                (*b"Code", code),
                (*b"StrT", Vec::new()),
                (*b"ImpT", be32(0).to_vec()),
                (*b"ExpT", exports),
                (*b"LitT", lit_table(&hello)),
            ],
        }
    }

    fn chunk_mut(&mut self, id: &[u8; 4]) -> &mut Vec<u8> {
        &mut self.chunks.iter_mut().find(|c| &c.0 == id).unwrap().1
    }

    /// The file, and the file offset of each chunk's data.
    fn bytes(&self) -> (Vec<u8>, Vec<usize>) {
        let mut body = b"BEAM".to_vec();
        let mut offsets = Vec::new();
        for (id, data) in &self.chunks {
            body.extend_from_slice(id);
            body.extend_from_slice(&be32(data.len() as u32));
            offsets.push(8 + body.len());
            body.extend_from_slice(data);
            body.resize(body.len().next_multiple_of(4), 0);
        }
        let mut f = b"FOR1".to_vec();
        f.extend_from_slice(&be32(body.len() as u32));
        f.extend_from_slice(&body);
        (f, offsets)
    }

    fn offset_of(&self, id: &[u8; 4]) -> usize {
        let i = self.chunks.iter().position(|c| &c.0 == id).unwrap();
        self.bytes().1[i]
    }

    fn load(&self) -> Result<(), LoadError> {
        loader::load(&self.bytes().0).map(drop)
    }
}

fn code_offset(b: &Beam) -> usize {
    b.offset_of(b"Code") + 20
}

#[test]
fn the_sample_module_loads() {
    Beam::new().load().unwrap();
}

#[test]
fn truncated_file() {
    let (f, _) = Beam::new().bytes();
    for len in [0, 3, 8, 11, 30, f.len() / 2, f.len() - 1] {
        let e = loader::load(&f[..len]).unwrap_err();
        assert!(
            matches!(e.kind, ErrorKind::Truncated | ErrorKind::NotBeam),
            "{len}: {e}"
        );
        assert_eq!(e.chunk, ChunkId::HEADER, "{len}: {e}");
    }
}

#[test]
fn chunk_size_past_the_end() {
    let b = Beam::new();
    let (mut f, _) = b.bytes();
    let header = b.offset_of(b"Code") - 8;
    f[header + 4..header + 8].copy_from_slice(&be32(0x7FFF_FFF0));
    let e = loader::load(&f).unwrap_err();
    assert_eq!(
        (e.chunk, e.offset, e.kind.clone()),
        (ChunkId(*b"Code"), header, ErrorKind::Truncated),
        "{e}"
    );
}

#[test]
fn bad_compact_term() {
    let mut b = Beam::new();
    // The move's destination becomes an extended tag with the bit-3 form.
    b.chunk_mut(b"Code")[20 + 11] = 0x0F;
    let e = b.load().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::BadOperand(_)), "{e}");
    assert_eq!(
        (e.module.as_deref(), e.chunk, e.offset),
        (Some("malformed_m"), ChunkId(*b"Code"), code_offset(&b) + 11)
    );
    assert!(
        e.to_string().contains("malformed_m") && e.to_string().contains("Code"),
        "{e}"
    );
}

#[test]
fn unknown_opcode() {
    let mut b = Beam::new();
    b.chunk_mut(b"Code")[20 + RETURN_AT] = 200;
    let e = b.load().unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownOpcode(200));
    assert_eq!(
        (e.module.as_deref(), e.chunk, e.offset),
        (
            Some("malformed_m"),
            ChunkId(*b"Code"),
            code_offset(&b) + RETURN_AT
        )
    );
}

#[test]
fn obsolete_opcode_names_the_module() {
    let mut b = Beam::new();
    b.chunk_mut(b"Code")[20 + RETURN_AT] = 71; // put/1
    let e = b.load().unwrap_err();
    assert_eq!(e.kind, ErrorKind::ObsoleteOpcode("put"));
    assert_eq!(
        (e.module.as_deref(), e.offset),
        (Some("malformed_m"), code_offset(&b) + RETURN_AT)
    );
    assert!(e.to_string().starts_with("module malformed_m: "), "{e}");
}

#[test]
fn literal_that_does_not_decode() {
    let mut b = Beam::new();
    *b.chunk_mut(b"LitT") = lit_table(&[131, 200, 1]);
    let e = b.load().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::BadLiteral(_)), "{e}");
    assert_eq!(
        (e.module.as_deref(), e.chunk, e.offset),
        (
            Some("malformed_m"),
            ChunkId(*b"LitT"),
            b.offset_of(b"LitT") + 4
        )
    );
}

#[test]
fn literal_table_that_does_not_inflate() {
    let mut b = Beam::new();
    let lit = b.chunk_mut(b"LitT");
    lit.truncate(10);
    let e = b.load().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::BadLiteral(_)), "{e}");
    assert_eq!(e.chunk, ChunkId(*b"LitT"));
}

#[test]
fn lying_sizes_do_not_allocate() {
    // A declared uncompressed size of 4 GB for a tiny stream.
    let mut b = Beam::new();
    b.chunk_mut(b"LitT")[..4].copy_from_slice(&be32(u32::MAX));
    assert!(matches!(
        b.load().unwrap_err().kind,
        ErrorKind::BadLiteral(_)
    ));
    // Counts far beyond what the chunk holds.
    for id in [b"AtU8", b"ImpT", b"ExpT"] {
        let mut b = Beam::new();
        b.chunk_mut(id)[..4].copy_from_slice(&be32(u32::MAX));
        let e = b.load().unwrap_err();
        assert_eq!((e.chunk, e.offset), (ChunkId(*id), b.offset_of(id)), "{e}");
    }
    // A label count far beyond what the code can define.
    let mut b = Beam::new();
    b.chunk_mut(b"Code")[12..16].copy_from_slice(&be32(u32::MAX));
    let e = b.load().unwrap_err();
    assert_eq!(
        (e.chunk, e.offset),
        (ChunkId(*b"Code"), b.offset_of(b"Code") + 12),
        "{e}"
    );
    // A code header claiming to be longer than the chunk.
    let mut b = Beam::new();
    b.chunk_mut(b"Code")[..4].copy_from_slice(&be32(u32::MAX));
    assert_eq!(b.load().unwrap_err().chunk, ChunkId(*b"Code"));
}

#[test]
fn duplicate_and_undefined_labels() {
    // `label 2` becomes a second `label 1`.
    let mut b = Beam::new();
    b.chunk_mut(b"Code")[20 + 6..20 + 8].copy_from_slice(&[0x01, 0x10]);
    let e = b.load().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::BadInstruction { .. }), "{e}");
    assert_eq!(
        (e.chunk, e.offset),
        (ChunkId(*b"Code"), code_offset(&b) + 6),
        "{e}"
    );
    // The export's label 0 is never defined.
    let mut b = Beam::new();
    b.chunk_mut(b"ExpT")[12..16].copy_from_slice(&be32(0));
    let e = b.load().unwrap_err();
    assert_eq!(
        (e.chunk, e.offset),
        (ChunkId(*b"ExpT"), b.offset_of(b"ExpT") + 4),
        "{e}"
    );
}

#[test]
fn missing_chunks_and_bad_indices() {
    let mut b = Beam::new();
    b.chunks.retain(|c| &c.0 != b"Code");
    assert_eq!(
        b.load().unwrap_err().kind,
        ErrorKind::MissingChunk(ChunkId(*b"Code"))
    );
    let mut b = Beam::new();
    b.chunk_mut(b"ExpT")[4..8].copy_from_slice(&be32(9));
    let e = b.load().unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (ErrorKind::BadAtomIndex(9), b.offset_of(b"ExpT") + 4)
    );
}

/// Deterministic byte mutations of real modules: every result is a module
/// or an error, never a panic.
#[test]
fn mutated_modules_never_panic() {
    let mut seeds = vec![Beam::new().bytes().0];
    for p in [
        "/usr/lib/erlang/lib/stdlib-4.2/ebin/lists.beam",
        "/usr/lib/erlang/lib/stdlib-4.2/ebin/maps.beam",
    ] {
        if let Ok(b) = std::fs::read(p) {
            seeds.push(b);
        }
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for seed in &seeds {
        for _ in 0..400 {
            let mut f = seed.clone();
            for _ in 0..1 + next() % 4 {
                let i = (next() % f.len() as u64) as usize;
                f[i] = match next() % 3 {
                    0 => next() as u8,
                    1 => f[i] ^ (1 << (next() % 8)),
                    _ => 0xFF,
                };
            }
            if next() % 8 == 0 {
                f.truncate((next() % f.len() as u64) as usize);
            }
            let _ = loader::load(&f);
        }
    }
}

#[test]
fn old_latin1_atom_chunk_loads() {
    let mut b = Beam::new();
    b.chunks[0].0 = *b"Atom";
    let m = loader::load(&b.bytes().0).unwrap();
    assert_eq!(m.name.name(), "malformed_m");
    // Latin-1 bytes that are not UTF-8 are fine there, and not in AtU8.
    let mut b = Beam::new();
    b.chunk_mut(b"AtU8")[5 + 11 + 1] = 0xE9;
    assert_eq!(b.load().unwrap_err().kind, ErrorKind::BadAtom);
    b.chunks[0].0 = *b"Atom";
    let m = loader::load(&b.bytes().0).unwrap();
    assert_eq!(m.functions[0].name.name(), "\u{e9}");
}
