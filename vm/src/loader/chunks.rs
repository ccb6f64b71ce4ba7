//! Parsers for the chunks OTP 25's compiler writes, into a neutral
//! [`BeamFile`]: atom tables (`AtU8`, old `Atom`), `Code` header, `StrT`,
//! `ImpT`, `ExpT`, `LocT`, `FunT`, `LitT`, `Line`, `Attr`, `CInf` and `Type`.
//! The instruction stream itself is decoded by [`super::generic`].

use std::io::Read;

use super::compact::Tag;
use super::container::{Chunk, Container};
use super::cursor::Cursor;
use super::error::{ChunkId, ErrorKind, LoadError};
use crate::atom::{Atom, AtomError};

/// An imported function (`ImpT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Import {
    /// Module.
    pub module: Atom,
    /// Function name.
    pub function: Atom,
    /// Arity.
    pub arity: u32,
}

/// An exported or local function (`ExpT`, `LocT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionRef {
    /// Function name.
    pub function: Atom,
    /// Arity.
    pub arity: u32,
    /// Entry label.
    pub label: u32,
    /// File offset of this entry, for error reports.
    pub at: usize,
}

/// A lambda (`FunT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lambda {
    /// The name of the function implementing it.
    pub function: Atom,
    /// Its arity (free variables included).
    pub arity: u32,
    /// Its entry label.
    pub label: u32,
    /// Its index field.
    pub index: u32,
    /// Number of free variables.
    pub num_free: u32,
    /// The old unique value.
    pub old_uniq: u32,
    /// File offset of this entry, for error reports.
    pub at: usize,
}

/// One entry of the `Type` chunk, as stored: the type bits and the integer
/// range (meaningful when the integer bit is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeEntry {
    /// `BEAM_TYPE_*` bits.
    pub bits: u16,
    /// Lower bound of the integer range.
    pub min: i64,
    /// Upper bound of the integer range.
    pub max: i64,
}

/// The version of the `Type` chunk OTP 25 writes.
pub const TYPES_VERSION: u32 = 1;

/// The `Line` chunk.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineTable {
    /// Number of `line` instructions in the code.
    pub instr_count: u32,
    /// Location `n` (n >= 1) is `locations[n - 1]`: (file index, line).
    /// Location 0 means "unknown".
    pub locations: Vec<(u32, u32)>,
    /// File index `n` (n >= 1) is `files[n - 1]`; file 0 is `MODULE.erl`.
    pub files: Vec<String>,
}

/// The literal table, inflated but not decoded: each literal is an
/// external-term-format encoding.
#[derive(Clone, Debug, Default)]
pub struct RawLiterals {
    /// The inflated table.
    pub data: Vec<u8>,
    /// Each literal's byte range in `data`.
    pub entries: Vec<std::ops::Range<usize>>,
    /// File offset of the compressed table in `LitT`, for error reports.
    pub chunk_offset: usize,
}

/// The `Code` chunk: its header and the instruction bytes.
#[derive(Clone, Copy, Debug)]
pub struct CodeChunk<'a> {
    /// Highest opcode used.
    pub max_opcode: u32,
    /// Number of labels (label numbers are below it).
    pub label_count: u32,
    /// Number of functions.
    pub function_count: u32,
    /// The instructions, as a chunk so errors can name file offsets.
    pub code: Chunk<'a>,
}

/// Everything a `.beam` file says, before its code is translated.
#[derive(Debug)]
pub struct BeamFile<'a> {
    /// The module name (atom 1).
    pub module: Atom,
    /// The atom table; atom index `n` is `atoms[n - 1]`.
    pub atoms: Vec<Atom>,
    /// The code.
    pub code: CodeChunk<'a>,
    /// The string table (`StrT`).
    pub strings: &'a [u8],
    /// Imports, by index.
    pub imports: Vec<Import>,
    /// Exports.
    pub exports: Vec<FunctionRef>,
    /// Local functions (`LocT`, absent from stripped files).
    pub locals: Vec<FunctionRef>,
    /// Lambdas, by index.
    pub lambdas: Vec<Lambda>,
    /// Literals, by index.
    pub literals: RawLiterals,
    /// Line information, if present.
    pub lines: Option<LineTable>,
    /// Types, by index; `None` if absent or of another version.
    pub types: Option<Vec<TypeEntry>>,
    /// The `Attr` chunk (an external term), if present.
    pub attributes: Option<&'a [u8]>,
    /// The `CInf` chunk (an external term), if present.
    pub compile_info: Option<&'a [u8]>,
    /// The module's MD5, as `beam_lib:md5/1` and `module_info(md5)` compute it.
    pub md5: [u8; 16],
}

impl<'a> BeamFile<'a> {
    /// Parses every chunk of `file` except the instruction stream.
    pub fn parse(file: &'a [u8]) -> Result<BeamFile<'a>, LoadError> {
        let container = Container::parse(file)?;
        let atoms = match (container.get(b"AtU8"), container.get(b"Atom")) {
            (Some(c), _) => atom_table(c, true)?,
            (None, Some(c)) => atom_table(c, false)?,
            (None, None) => {
                return Err(LoadError::new(
                    ChunkId::HEADER,
                    0,
                    ErrorKind::MissingChunk(ChunkId(*b"AtU8")),
                ))
            }
        };
        let module = atoms[0];
        let named = |e: LoadError| e.in_module(module.name());
        BeamFile::parse_rest(&container, module, atoms).map_err(named)
    }

    fn parse_rest(
        c: &Container<'a>,
        module: Atom,
        atoms: Vec<Atom>,
    ) -> Result<BeamFile<'a>, LoadError> {
        let need = |id: &[u8; 4]| {
            c.get(id).ok_or_else(|| {
                LoadError::new(ChunkId::HEADER, 0, ErrorKind::MissingChunk(ChunkId(*id)))
            })
        };
        let code = code_chunk(need(b"Code")?)?;
        let imports = import_table(need(b"ImpT")?, &atoms)?;
        let exports = function_table(need(b"ExpT")?, &atoms)?;
        let locals = c
            .get(b"LocT")
            .map(|ch| function_table(ch, &atoms))
            .transpose()?
            .unwrap_or_default();
        let lambdas = c
            .get(b"FunT")
            .map(|ch| lambda_table(ch, &atoms))
            .transpose()?
            .unwrap_or_default();
        let literals = c
            .get(b"LitT")
            .map(literal_table)
            .transpose()?
            .unwrap_or_default();
        let lines = c.get(b"Line").map(line_table).transpose()?;
        let types = c.get(b"Type").map(type_table).transpose()?.flatten();
        Ok(BeamFile {
            module,
            atoms,
            code,
            strings: c.get(b"StrT").map_or(&[][..], |ch| ch.data),
            imports,
            exports,
            locals,
            lambdas,
            literals,
            lines,
            types,
            attributes: c.get(b"Attr").map(|ch| ch.data),
            compile_info: c.get(b"CInf").map(|ch| ch.data),
            md5: module_md5(c),
        })
    }

    /// The atom with table index `n` (1-based), checked.
    pub fn atom(&self, n: u64) -> Option<Atom> {
        atom_at(&self.atoms, n)
    }
}

/// MD5 over the significant chunks in `beam_lib`'s order, with each
/// lambda's `OldUniq` zeroed (it is derived from this very MD5).
pub fn module_md5(c: &Container) -> [u8; 16] {
    use md5::{Digest, Md5};
    let mut h = Md5::new();
    for id in [
        b"Atom", b"AtU8", b"Code", b"StrT", b"ImpT", b"ExpT", b"FunT", b"LitT", b"Meta",
    ] {
        let Some(chunk) = c.get(id) else { continue };
        if id == b"FunT" && chunk.data.len() >= 4 {
            h.update(&chunk.data[..4]);
            let mut entries = chunk.data[4..].chunks_exact(24);
            for e in &mut entries {
                h.update(&e[..20]);
                h.update([0; 4]);
            }
            h.update(entries.remainder());
        } else {
            h.update(chunk.data);
        }
    }
    h.finalize().into()
}

fn atom_at(atoms: &[Atom], n: u64) -> Option<Atom> {
    usize::try_from(n)
        .ok()?
        .checked_sub(1)
        .and_then(|i| atoms.get(i))
        .copied()
}

fn atom_index(c: &mut Cursor, atoms: &[Atom]) -> Result<Atom, LoadError> {
    let at = c.offset();
    let n = c.u32()?;
    atom_at(atoms, u64::from(n))
        .ok_or_else(|| c.error_at(at, ErrorKind::BadAtomIndex(u64::from(n))))
}

/// `AtU8` (UTF-8 names) or the old `Atom` (Latin-1 names): a count, then
/// each name as a length byte and the bytes.
fn atom_table(chunk: Chunk, utf8: bool) -> Result<Vec<Atom>, LoadError> {
    let mut c = chunk.cursor();
    let count = c.count(1)?;
    if count == 0 {
        return Err(c.error(ErrorKind::Malformed(
            "empty atom table: no module name".into(),
        )));
    }
    let mut atoms = Vec::with_capacity(count);
    for _ in 0..count {
        let at = c.offset();
        let len = c.u8()? as usize;
        let bytes = c.bytes(len)?;
        let atom = if utf8 {
            let s = std::str::from_utf8(bytes).map_err(|_| c.error_at(at, ErrorKind::BadAtom))?;
            Atom::intern(s)
        } else {
            Atom::intern_latin1(bytes)
        };
        let atom = atom.map_err(|e| {
            c.error_at(
                at,
                match e {
                    AtomError::TableFull => ErrorKind::AtomLimit,
                    _ => ErrorKind::BadAtom,
                },
            )
        })?;
        crate::atom::claim_for_module(atom);
        atoms.push(atom);
    }
    Ok(atoms)
}

/// The `Code` header: `SubSize:32` (bytes of header after it), instruction
/// set, highest opcode, label count, function count; the code follows the
/// header.
fn code_chunk(chunk: Chunk) -> Result<CodeChunk, LoadError> {
    let mut c = chunk.cursor();
    let header_at = c.offset();
    let header_size = c.u32()? as usize;
    if header_size < 16 || header_size > c.remaining() {
        return Err(c.error_at(
            header_at,
            ErrorKind::Malformed(format!("code header size {header_size}")),
        ));
    }
    let mut h = Cursor::new(chunk.id, c.bytes(header_size)?, header_at + 4);
    let format_at = h.offset();
    let format = h.u32()?;
    if format != 0 {
        return Err(h.error_at(
            format_at,
            ErrorKind::Malformed(format!("instruction set {format}")),
        ));
    }
    let max_opcode = h.u32()?;
    if max_opcode > u32::from(super::genop::MAX_OPCODE) {
        return Err(h.error_at(format_at + 4, ErrorKind::TooNew(max_opcode)));
    }
    let label_at = h.offset();
    let label_count = h.u32()?;
    let function_count = h.u32()?;
    let offset = c.offset();
    // Each label is a `label` instruction of at least two bytes; the
    // loader sizes its label table from this count.
    if label_count as usize > c.remaining() / 2 + 1 {
        return Err(h.error_at(
            label_at,
            ErrorKind::Malformed(format!("label count {label_count} exceeds the code size")),
        ));
    }
    Ok(CodeChunk {
        max_opcode,
        label_count,
        function_count,
        code: Chunk {
            id: chunk.id,
            offset,
            data: c.rest(),
        },
    })
}

fn import_table(chunk: Chunk, atoms: &[Atom]) -> Result<Vec<Import>, LoadError> {
    let mut c = chunk.cursor();
    let count = c.count(12)?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        out.push(Import {
            module: atom_index(&mut c, atoms)?,
            function: atom_index(&mut c, atoms)?,
            arity: c.u32()?,
        });
    }
    Ok(out)
}

fn function_table(chunk: Chunk, atoms: &[Atom]) -> Result<Vec<FunctionRef>, LoadError> {
    let mut c = chunk.cursor();
    let count = c.count(12)?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let at = c.offset();
        out.push(FunctionRef {
            at,
            function: atom_index(&mut c, atoms)?,
            arity: c.u32()?,
            label: c.u32()?,
        });
    }
    Ok(out)
}

fn lambda_table(chunk: Chunk, atoms: &[Atom]) -> Result<Vec<Lambda>, LoadError> {
    let mut c = chunk.cursor();
    let count = c.count(24)?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let at = c.offset();
        out.push(Lambda {
            at,
            function: atom_index(&mut c, atoms)?,
            arity: c.u32()?,
            label: c.u32()?,
            index: c.u32()?,
            num_free: c.u32()?,
            old_uniq: c.u32()?,
        });
    }
    Ok(out)
}

/// `LitT`: the uncompressed size, then a zlib stream of `Count:32` and
/// `Size:32 Term:Size` per literal.
fn literal_table(chunk: Chunk) -> Result<RawLiterals, LoadError> {
    let mut c = chunk.cursor();
    let size = c.u32()? as usize;
    let z_at = c.offset();
    let compressed = c.rest();
    let mut data = Vec::new();
    // Never inflate more than the declared size (plus one byte, to notice a
    // stream that is longer than declared).
    let limit = size as u64 + 1;
    flate2::read::ZlibDecoder::new(compressed)
        .take(limit)
        .read_to_end(&mut data)
        .map_err(|e| c.error_at(z_at, ErrorKind::BadLiteral(format!("inflate: {e}"))))?;
    if data.len() != size {
        return Err(c.error_at(
            z_at,
            ErrorKind::BadLiteral(format!("inflated to {} bytes, declared {size}", data.len())),
        ));
    }
    let entries = {
        let mut t = Cursor::new(chunk.id, &data, 0);
        let inner = |t: &Cursor, kind: ErrorKind| {
            let what = format!("at byte {} of the inflated table: {kind}", t.offset());
            c.error_at(z_at, ErrorKind::BadLiteral(what))
        };
        let count = t.count(4).map_err(|e| inner(&t, e.kind))?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let len = t.u32().map_err(|e| inner(&t, e.kind))? as usize;
            let start = t.offset();
            t.bytes(len).map_err(|e| inner(&t, e.kind))?;
            entries.push(start..start + len);
        }
        if !t.is_empty() {
            return Err(inner(&t, ErrorKind::Malformed("trailing bytes".into())));
        }
        entries
    };
    Ok(RawLiterals {
        data,
        entries,
        chunk_offset: z_at,
    })
}

/// `Line`: version, flags, counts, then the locations as compact terms
/// (`a` = file index change, `i` = line) and the file names.
fn line_table(chunk: Chunk) -> Result<LineTable, LoadError> {
    let mut c = chunk.cursor();
    let version_at = c.offset();
    let version = c.u32()?;
    if version != 0 {
        return Err(c.error_at(
            version_at,
            ErrorKind::Malformed(format!("line table version {version}")),
        ));
    }
    let _flags = c.u32()?;
    let instr_count = c.u32()?;
    let n_lines = c.count(1)?;
    let n_files_at = c.offset();
    let n_files = c.u32()? as usize;
    let mut locations = Vec::with_capacity(n_lines);
    let mut file = 0u32;
    while locations.len() < n_lines {
        let at = c.offset();
        let (tag, v) = super::compact::read_tagged_u64(&mut c)?;
        match (tag, v) {
            (Tag::A, n) => {
                if n as usize > n_files {
                    return Err(c.error_at(at, ErrorKind::Malformed(format!("file index {n}"))));
                }
                file = n as u32;
            }
            (Tag::I, n) => locations.push((file, u32::try_from(n).unwrap_or(u32::MAX))),
            _ => return Err(c.error_at(at, ErrorKind::Malformed("bad line item".into()))),
        }
    }
    c.check_count(n_files, 2, n_files_at)?;
    let mut files = Vec::with_capacity(n_files);
    for _ in 0..n_files {
        let len = c.u16()? as usize;
        files.push(String::from_utf8_lossy(c.bytes(len)?).into_owned());
    }
    Ok(LineTable {
        instr_count,
        locations,
        files,
    })
}

/// `Type`: version, count, then 18-byte entries. Another version than
/// OTP 25's is ignored, as OTP 25's loader ignores it.
fn type_table(chunk: Chunk) -> Result<Option<Vec<TypeEntry>>, LoadError> {
    let mut c = chunk.cursor();
    if c.u32()? != TYPES_VERSION {
        return Ok(None);
    }
    let count = c.count(18)?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        out.push(TypeEntry {
            bits: c.u16()?,
            min: c.u64()? as i64,
            max: c.u64()? as i64,
        });
    }
    Ok(Some(out))
}
