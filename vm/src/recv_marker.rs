//! Receive markers: where in a process's mailbox a `receive` on a fresh
//! reference may start its scan.
//!
//! The compiler brackets `Ref = make_ref(), ..., receive {Ref, _} -> ...`
//! with `recv_marker_reserve` (before the reference is made: a marker at
//! the current end of the queue), `recv_marker_bind` (the marker belongs to
//! the reference), `recv_marker_use` (the receive starts at the marker) and
//! `recv_marker_clear`. No message older than the marker can hold the
//! reference, so skipping them is safe, and a `gen_server:call` with a long
//! queue costs the messages that arrived during the call, not the queue.
//!
//! A marker is a position in [`crate::process::Process::mailbox`], moved
//! down when a message before it is removed. Like BEAM, a process has a
//! few markers; reserving one more drops the oldest, after which its
//! reference scans from the start (always correct, only slower).

use crate::term::boxed::Subtag;
use crate::term::Term;

/// A reference of this node, as its words are stored (count, then the id
/// words packed two to a word: at most 5 ids in OTP 25), so that the
/// instructions compare references without building a
/// [`crate::term::ids::RefId`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RefKey([u64; 4]);

impl RefKey {
    /// The key of `t`, if it is a reference of this node.
    #[inline]
    pub fn of(t: Term) -> Option<RefKey> {
        if t.header()?.subtag() != Subtag::Ref {
            return None;
        }
        let w = t.boxed_words();
        let mut k = [0u64; 4];
        let n = w.len().min(4);
        k[..n].copy_from_slice(&w[..n]);
        Some(RefKey(k))
    }
}

/// How many markers a process keeps (BEAM's `ERTS_RECV_MARKER_BLOCK_SIZE`).
const MARKERS: usize = 8;

/// One reserved marker.
struct Marker {
    /// The id `recv_marker_reserve` returned (a small integer term).
    id: u64,
    /// The mailbox index of the first message that arrived after it.
    pos: usize,
    /// The reference `recv_marker_bind` tied it to.
    reference: Option<RefKey>,
}

/// A process's receive markers, oldest first.
#[derive(Default)]
pub struct RecvMarkers {
    markers: Vec<Marker>,
    next_id: u64,
}

impl RecvMarkers {
    /// A marker at mailbox index `pos` (the queue's length); its id.
    pub fn reserve(&mut self, pos: usize) -> u64 {
        if self.markers.len() == MARKERS {
            self.markers.remove(0);
        }
        // Ids stay small integers: they wrap long before 2^59.
        let id = self.next_id & 0xFFFF_FFFF;
        self.next_id = self.next_id.wrapping_add(1);
        self.markers.push(Marker {
            id,
            pos,
            reference: None,
        });
        id
    }

    /// Ties marker `id` (if still kept) to `reference`; a reference is
    /// tied to at most one marker.
    pub fn bind(&mut self, id: u64, reference: RefKey) {
        self.markers.retain(|m| m.reference != Some(reference));
        if let Some(m) = self.markers.iter_mut().find(|m| m.id == id) {
            m.reference = Some(reference);
        }
    }

    /// Where a receive on `reference` starts: its marker's position, or
    /// `None` (from the start) when it has none.
    pub fn position(&self, reference: RefKey) -> Option<usize> {
        self.markers
            .iter()
            .find(|m| m.reference == Some(reference))
            .map(|m| m.pos)
    }

    /// Drops the marker of `reference`.
    pub fn clear(&mut self, reference: RefKey) {
        self.markers.retain(|m| m.reference != Some(reference));
    }

    /// The message at `index` left the mailbox: later markers move down.
    pub fn removed(&mut self, index: usize) {
        for m in &mut self.markers {
            if m.pos > index {
                m.pos -= 1;
            }
        }
    }

    /// Messages left the mailbox in a way that does not track positions:
    /// every marker goes (their receives scan from the start).
    pub fn forget(&mut self) {
        self.markers.clear();
    }

    /// True when no marker is kept.
    pub fn is_empty(&self) -> bool {
        self.markers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u32) -> RefKey {
        RefKey([3, u64::from(n), 0, 0])
    }

    #[test]
    fn positions_follow_removals() {
        let mut k = RecvMarkers::default();
        let a = k.reserve(3);
        k.bind(a, r(1));
        k.removed(1);
        assert_eq!(k.position(r(1)), Some(2));
        k.removed(2);
        assert_eq!(k.position(r(1)), Some(2));
        k.clear(r(1));
        assert_eq!(k.position(r(1)), None);
        assert!(k.is_empty());
    }

    #[test]
    fn oldest_dropped_when_full() {
        let mut k = RecvMarkers::default();
        let first = k.reserve(0);
        k.bind(first, r(0));
        for i in 1..=MARKERS as u32 {
            let id = k.reserve(i as usize);
            k.bind(id, r(i));
        }
        assert_eq!(k.position(r(0)), None);
        assert_eq!(k.position(r(MARKERS as u32)), Some(MARKERS));
    }
}
