//! Magic references: references that own a native object, as BEAM's
//! compiled `binary` patterns (`{bm, Ref}`, `{ac, Ref}`) do.
//!
//! A magic reference is a local reference with one more word:
//!
//! ```text
//! [hdr(Ref, 4), 3 | MAGIC_FLAG, ids packed (2 words), Arc<Magic>]
//! ```
//!
//! Everything that reads references through [`Term::as_ref_id`] (printing
//! as `#Ref<...>`, order, equality, hashing, the external term format)
//! sees an ordinary local reference; only [`Term::as_magic`] sees the
//! object. The heap holding the term keeps one strong count of the object
//! (as it does for off-heap binaries).
//!
//! A magic reference encoded with `term_to_binary` (and so every message
//! copy) is recorded in a table of weak pointers by its ids, and decoding a
//! local reference with those ids on this node gives the magic reference
//! back while the object lives, as BEAM's magic-reference table does.

use std::any::Any;
use std::sync::{Arc, OnceLock, Weak};

use ahash::AHashMap;
use parking_lot::Mutex;

use super::boxed::Subtag;
use super::{Heap, Term};

/// Set in the count word of a local reference that carries an object.
pub const MAGIC_FLAG: u64 = 1 << 32;

/// The native object of a magic reference.
pub struct Magic {
    object: Box<dyn Any + Send + Sync>,
}

impl Magic {
    /// Wraps `object` for a magic reference.
    pub fn new<T: Any + Send + Sync>(object: T) -> Arc<Magic> {
        Arc::new(Magic {
            object: Box::new(object),
        })
    }

    /// The object, if it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.object.downcast_ref()
    }
}

impl std::fmt::Debug for Magic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Magic")
    }
}

/// Magic references that went through the external term format, by ids.
fn saved() -> &'static Mutex<AHashMap<[u32; 3], Weak<Magic>>> {
    static T: OnceLock<Mutex<AHashMap<[u32; 3], Weak<Magic>>>> = OnceLock::new();
    T.get_or_init(Default::default)
}

/// Records `t` (if it is a magic reference) so that decoding its ids
/// finds its object again.
pub fn save(t: Term) {
    let (Some(obj), Some(r)) = (t.as_magic(), t.as_ref_id()) else {
        return;
    };
    let Ok(ids) = <[u32; 3]>::try_from(r.ids.as_slice()) else {
        return;
    };
    let mut table = saved().lock();
    // Forget objects that died, so the table stays as small as the live set.
    if table.len() >= 64 && table.len().is_power_of_two() {
        table.retain(|_, w| w.strong_count() > 0);
    }
    table.insert(ids, Arc::downgrade(&obj));
}

/// The live object saved under `ids`, if any.
pub fn lookup(ids: &[u32]) -> Option<Arc<Magic>> {
    let ids = <[u32; 3]>::try_from(ids).ok()?;
    saved().lock().get(&ids)?.upgrade()
}

impl Heap {
    /// A magic reference with the ids `ids` owning `object`.
    pub fn magic_ref(&mut self, ids: [u32; 3], object: Arc<Magic>) -> Term {
        let ptr = Arc::as_ptr(&object) as u64;
        self.keep_magic(object);
        self.boxed(
            Subtag::Ref,
            &[
                3 | MAGIC_FLAG,
                ids[0] as u64 | (ids[1] as u64) << 32,
                ids[2] as u64,
                ptr,
            ],
        )
    }
}

impl Term {
    /// The object of a magic reference.
    pub fn as_magic(self) -> Option<Arc<Magic>> {
        if self.header()?.subtag() != Subtag::Ref || self.boxed_word(0) & MAGIC_FLAG == 0 {
            return None;
        }
        let ptr = self.boxed_word(3) as *const Magic;
        // SAFETY: a reference with the magic flag was made by `magic_ref`,
        // whose fourth word came from `Arc::as_ptr`, and the heap holding the
        // term owns a strong count, so adding one is sound.
        Some(unsafe {
            Arc::increment_strong_count(ptr);
            Arc::from_raw(ptr)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::order;

    #[test]
    fn magic_refs_are_refs_with_an_object() {
        let mut h = Heap::new();
        let obj = Magic::new(42u32);
        let m = h.magic_ref([7, 8, 9], obj.clone());
        let plain = h.local_ref(&[7, 8, 9]);
        assert_eq!(m.as_ref_id(), plain.as_ref_id());
        assert!(order::eq_exact(m, plain));
        assert_eq!(m.to_string(), plain.to_string());
        assert_eq!(m.as_magic().unwrap().get::<u32>(), Some(&42));
        assert!(plain.as_magic().is_none());
        assert_eq!(Arc::strong_count(&obj), 2);
        drop(h);
        assert_eq!(Arc::strong_count(&obj), 1);
    }

    #[test]
    fn saved_objects_are_found_while_they_live() {
        let mut h = Heap::new();
        let m = h.magic_ref([1, 2, 0x4000_0001], Magic::new("x"));
        save(m);
        assert!(lookup(&[1, 2, 0x4000_0001]).is_some());
        drop(h);
        assert!(lookup(&[1, 2, 0x4000_0001]).is_none());
    }
}
