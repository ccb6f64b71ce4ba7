//! A module's literal area: the terms of its `LitT` chunk, decoded once
//! into a heap that the module owns and that no garbage collection moves
//! (DESIGN §3), in the literal region (`term::literal`), so that messages
//! share its terms rather than copy them.

use super::chunks::RawLiterals;
use super::error::{ChunkId, ErrorKind, LoadError};
use crate::etf;
use crate::term::literal::LiteralHeap;
use crate::term::{Heap, Term};

/// The decoded literals of one module version.
pub struct LiteralArea {
    /// Where the literals live; it outlives every use of `terms`.
    heap: LiteralHeap,
    terms: Vec<Term>,
}

impl std::fmt::Debug for LiteralArea {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.terms).finish()
    }
}

impl LiteralArea {
    /// Decodes every literal of `raw`.
    pub fn decode(raw: &RawLiterals) -> Result<LiteralArea, LoadError> {
        let mut heap = LiteralHeap::new();
        let mut terms = Vec::with_capacity(raw.entries.len());
        for (i, range) in raw.entries.iter().enumerate() {
            let t = etf::decode(&raw.data[range.clone()], &mut heap).map_err(|e| {
                LoadError::new(
                    ChunkId(*b"LitT"),
                    raw.chunk_offset,
                    ErrorKind::BadLiteral(format!(
                        "literal {i} (byte {} of the inflated table): {e}",
                        range.start
                    )),
                )
            })?;
            terms.push(t);
        }
        Ok(LiteralArea { heap, terms })
    }

    /// An area with the same terms, which stay in `self`'s heap: for a
    /// copy of a module version whose original outlives it (its code
    /// refers to the original's literals).
    pub fn shared_copy(&self) -> LiteralArea {
        LiteralArea {
            heap: LiteralHeap::with_capacity(1),
            terms: self.terms.clone(),
        }
    }

    /// Literal number `i`.
    pub fn get(&self, i: u32) -> Option<Term> {
        self.terms.get(i as usize).copied()
    }

    /// Number of literals.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no literals.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The area's heap, for constants the loader creates (bignum and float
    /// operands): they must live as long as the module.
    pub fn heap_mut(&mut self) -> &mut Heap {
        &mut self.heap
    }

    /// Words of heap the literals use.
    pub fn words(&self) -> usize {
        self.heap.words_used()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_nested_empty_containers() {
        // rec_env's literal 0, `[{map,#{}}]`, as OTP 25 encodes it.
        let bytes = [
            131, 108, 0, 0, 0, 1, 104, 2, 119, 3, 109, 97, 112, 116, 0, 0, 0, 0, 106,
        ];
        let mut data = 1u32.to_be_bytes().to_vec();
        data.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        data.extend_from_slice(&bytes);
        let raw = RawLiterals {
            entries: std::iter::once(8..data.len()).collect(),
            data,
            chunk_offset: 0,
        };
        let area = LiteralArea::decode(&raw).unwrap();
        assert_eq!(area.get(0).unwrap().to_string(), "[{map,#{}}]");
    }
}
