//! Identifiers: references, and pids/ports/references of other nodes.
//!
//! Local pids and ports are immediates (see the module root). The rest are
//! boxed:
//!
//! ```text
//! local ref     [hdr, count, ids packed two u32 per word]
//! external pid  [hdr(3), node atom, id | serial << 32, creation]
//! external port [hdr(3), node atom, id, creation]
//! external ref  [hdr, node atom, creation | count << 32, ids packed]
//! ```

use super::boxed::Subtag;
use super::{Heap, Term};
use crate::atom::Atom;

/// A reference's identity: its node (`None` for this node), creation and ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefId {
    /// The node, or `None` for a local reference.
    pub node: Option<(Atom, u32)>,
    /// The id words (3 for `make_ref/0`, up to 5 in OTP 25).
    pub ids: Vec<u32>,
}

/// A pid or port of another node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExternalId {
    /// The node's name.
    pub node: Atom,
    /// The id (pid number or port number).
    pub id: u64,
    /// The pid's serial (0 for ports).
    pub serial: u32,
    /// The node's creation.
    pub creation: u32,
}

fn pack(ids: &[u32]) -> impl Iterator<Item = u64> + '_ {
    ids.chunks(2)
        .map(|c| c[0] as u64 | (c.get(1).copied().unwrap_or(0) as u64) << 32)
}

fn unpack(words: &[u64], count: usize) -> Vec<u32> {
    (0..count)
        .map(|i| (words[i / 2] >> (32 * (i % 2))) as u32)
        .collect()
}

/// References made so far on this node (by `make_ref/0` and magic
/// references alike); a reference's three id words spell the count out.
static REFS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The id words of a new local reference.
pub fn fresh_ref_ids() -> [u32; 3] {
    let n = REFS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // BEAM's first word has 18 bits; the other two are full words.
    [(n & 0x3ffff) as u32, (n >> 18) as u32, (n >> 50) as u32]
}

impl Heap {
    /// A local reference with the given id words.
    pub fn local_ref(&mut self, ids: &[u32]) -> Term {
        let mut payload = vec![ids.len() as u64];
        payload.extend(pack(ids));
        self.boxed(Subtag::Ref, &payload)
    }

    /// A reference of another node.
    pub fn external_ref(&mut self, node: Atom, creation: u32, ids: &[u32]) -> Term {
        let mut payload = vec![
            Term::atom(node).raw(),
            creation as u64 | (ids.len() as u64) << 32,
        ];
        payload.extend(pack(ids));
        self.boxed(Subtag::ExtRef, &payload)
    }

    /// A pid of another node.
    pub fn external_pid(&mut self, node: Atom, id: u32, serial: u32, creation: u32) -> Term {
        self.boxed(
            Subtag::ExtPid,
            &[
                Term::atom(node).raw(),
                id as u64 | (serial as u64) << 32,
                creation as u64,
            ],
        )
    }

    /// A port of another node.
    pub fn external_port(&mut self, node: Atom, id: u64, creation: u32) -> Term {
        self.boxed(
            Subtag::ExtPort,
            &[Term::atom(node).raw(), id, creation as u64],
        )
    }
}

impl Term {
    /// The reference's identity, if this is a reference.
    pub fn as_ref_id(self) -> Option<RefId> {
        let words = self.boxed_words();
        match self.header()?.subtag() {
            Subtag::Ref => Some(RefId {
                node: None,
                // The high half flags a magic reference (`term::magic`).
                ids: unpack(&words[1..], words[0] as u32 as usize),
            }),
            Subtag::ExtRef => {
                let node = Term::from_raw(words[0]).as_atom()?;
                let count = (words[1] >> 32) as usize;
                Some(RefId {
                    node: Some((node, words[1] as u32)),
                    ids: unpack(&words[2..], count),
                })
            }
            _ => None,
        }
    }

    /// The ids of a local reference of three ids, read without
    /// allocating (ETS looks its table references up on every call).
    pub fn local_ref_ids3(self) -> Option<[u32; 3]> {
        if self.header()?.subtag() != Subtag::Ref {
            return None;
        }
        let words = self.boxed_words();
        if words[0] as u32 != 3 {
            return None;
        }
        Some([words[1] as u32, (words[1] >> 32) as u32, words[2] as u32])
    }

    /// The pid of another node, if this is one.
    pub fn as_external_pid(self) -> Option<ExternalId> {
        (self.header()?.subtag() == Subtag::ExtPid).then(|| {
            let w = self.boxed_words();
            ExternalId {
                node: Term::from_raw(w[0]).as_atom().unwrap_or(Atom::NONODE),
                id: w[1] & 0xFFFF_FFFF,
                serial: (w[1] >> 32) as u32,
                creation: w[2] as u32,
            }
        })
    }

    /// The port of another node, if this is one.
    pub fn as_external_port(self) -> Option<ExternalId> {
        (self.header()?.subtag() == Subtag::ExtPort).then(|| {
            let w = self.boxed_words();
            ExternalId {
                node: Term::from_raw(w[0]).as_atom().unwrap_or(Atom::NONODE),
                id: w[1],
                serial: 0,
                creation: w[2] as u32,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_round_trip() {
        let mut h = Heap::new();
        let r = h.local_ref(&[1, 2, 3]);
        assert_eq!(
            r.as_ref_id(),
            Some(RefId {
                node: None,
                ids: vec![1, 2, 3]
            })
        );
        let node = Atom::intern("a@b").unwrap();
        let e = h.external_ref(node, 7, &[9, 8, 7, 6, 5]);
        assert_eq!(e.as_ref_id().unwrap().node, Some((node, 7)));
        assert_eq!(e.as_ref_id().unwrap().ids, vec![9, 8, 7, 6, 5]);
    }

    #[test]
    fn external_pids_and_ports() {
        let mut h = Heap::new();
        let node = Atom::intern("a@b").unwrap();
        let p = h.external_pid(node, 10, 2, 3).as_external_pid().unwrap();
        assert_eq!((p.node, p.id, p.serial, p.creation), (node, 10, 2, 3));
        let q = h
            .external_port(node, 1 << 40, 5)
            .as_external_port()
            .unwrap();
        assert_eq!((q.id, q.creation), (1 << 40, 5));
    }
}
