//! The process dictionary, laid out as BEAM's `erl_process_dict.c` lays it
//! out, so that `get/0`, `get_keys/0,1` and `erase/0` list entries in BEAM's
//! order.
//!
//! It is a linear-hashing table: `used` slots, grown a few slots at a time
//! by splitting slot `split` into `split` and `split + home`, shrunk by
//! merging them back. A slot holds its entries in BEAM's list order (BEAM
//! keeps a lone `{Key, Value}` tuple or a list of them; the order of the
//! operations on those lists is reproduced here). A key hashes as BEAM's
//! `MAKE_HASH`: a small integer by its low 32 bits, an atom by its index in
//! the atom table (so atom keys order as on BEAM only where the indices
//! agree), anything else by the internal hash with salt 0.

use crate::term::map::hash::internal_hash;
use crate::term::order::eq_exact;
use crate::term::Term;

/// BEAM's default initial size (`+hpds`).
const INITIAL_SIZE: usize = 8;

/// A process dictionary. Keys and values live on the owning process's
/// heap. One word while it was never written or was erased (BEAM's `NULL`
/// dictionary): most processes have none, and every process carries one.
#[derive(Default)]
pub struct Dictionary(Option<Box<Table>>);

impl Dictionary {
    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |t| t.len)
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `get(Key)`: the value, if the key is present.
    pub fn get(&self, key: Term) -> Option<Term> {
        self.0.as_ref()?.get(key)
    }

    /// `put(Key, Value)`: the previous value, if any.
    pub fn put(&mut self, key: Term, value: Term) -> Option<Term> {
        self.0.get_or_insert_with(Default::default).put(key, value)
    }

    /// `erase(Key)`: the removed value, if the key was present.
    pub fn erase(&mut self, key: Term) -> Option<Term> {
        self.0.as_mut()?.erase(key)
    }

    /// `erase()`: drops every entry.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// Every key and value, for the collector to rewrite. Moving a term
    /// keeps its hash (hashes are of values, never of addresses), so
    /// entries stay in their slots.
    pub fn terms_mut(&mut self) -> impl Iterator<Item = &mut Term> {
        self.0.iter_mut().flat_map(|t| t.terms_mut())
    }

    /// Every entry in the order `get/0` lists them.
    pub fn entries(&self) -> Vec<(Term, Term)> {
        self.0.as_ref().map_or_else(Vec::new, |t| t.entries())
    }
}

/// A dictionary that was written.
#[derive(Default)]
struct Table {
    /// The slots in use; empty until the first `put`.
    slots: Vec<Vec<(Term, Term)>>,
    size_mask: u32,
    split: usize,
    len: usize,
}

fn make_hash(key: Term) -> u32 {
    if let Some(v) = key.as_small() {
        v as u32
    } else if let Some(a) = key.as_atom() {
        a.index()
    } else {
        internal_hash(key, 0)
    }
}

impl Table {
    fn index(&self, hash: u32) -> usize {
        let high = (hash & self.size_mask) as usize;
        if high >= self.slots.len() {
            (hash & (self.size_mask >> 1)) as usize
        } else {
            high
        }
    }

    fn get(&self, key: Term) -> Option<Term> {
        if self.slots.is_empty() {
            return None;
        }
        let slot = &self.slots[self.index(make_hash(key))];
        slot.iter()
            .find(|(k, _)| eq_exact(*k, key))
            .map(|&(_, v)| v)
    }

    fn put(&mut self, key: Term, value: Term) -> Option<Term> {
        if self.slots.is_empty() {
            self.slots = vec![Vec::new(); INITIAL_SIZE];
            self.size_mask = (INITIAL_SIZE * 2 - 1) as u32;
            self.split = 0;
            self.len = 0;
        }
        let ix = self.index(make_hash(key));
        let slot = &mut self.slots[ix];
        if let Some(i) = slot.iter().position(|(k, _)| eq_exact(*k, key)) {
            // OTP 25 replaces the entry where it is.
            let old = slot[i].1;
            slot[i] = (key, value);
            return Some(old);
        }
        slot.insert(0, (key, value));
        self.len += 1;
        if self.slots.len() <= self.len {
            self.grow();
        }
        None
    }

    fn erase(&mut self, key: Term) -> Option<Term> {
        if self.slots.is_empty() {
            return None;
        }
        let ix = self.index(make_hash(key));
        let slot = &mut self.slots[ix];
        let old = slot
            .iter()
            .position(|(k, _)| eq_exact(*k, key))
            .map(|i| slot.remove(i).1);
        if old.is_some() {
            self.len -= 1;
        }
        let range = self.slots.len();
        if range > INITIAL_SIZE && range / 2 > self.len {
            self.shrink();
        }
        old
    }

    fn terms_mut(&mut self) -> impl Iterator<Item = &mut Term> {
        self.slots.iter_mut().flatten().flat_map(|(k, v)| [k, v])
    }

    fn entries(&self) -> Vec<(Term, Term)> {
        // BEAM walks the slots upwards, consing each entry onto the result.
        let mut all: Vec<(Term, Term)> = self.slots.iter().flatten().copied().collect();
        all.reverse();
        all
    }

    fn grow(&mut self) {
        let steps = ((self.slots.len() / 4) & 0xf).max(1);
        let mut home = self.slots.len() - self.split;
        for _ in 0..steps {
            if self.split == home {
                home *= 2;
                self.size_mask = (home * 2 - 1) as u32;
                self.split = 0;
            }
            let pos = self.split;
            self.split += 1;
            self.slots.push(Vec::new());
            let old = std::mem::take(&mut self.slots[pos]);
            let (mut stay, mut go) = (Vec::new(), Vec::new());
            if old.len() == 1 {
                // A lone tuple moves without being re-consed.
                if self.index(make_hash(old[0].0)) == pos {
                    stay = old;
                } else {
                    go = old;
                }
            } else {
                for e in old {
                    if self.index(make_hash(e.0)) == pos {
                        stay.insert(0, e);
                    } else {
                        go.insert(0, e);
                    }
                }
            }
            self.slots[pos] = stay;
            self.slots[pos + home] = go;
        }
    }

    fn shrink(&mut self) {
        let range = self.slots.len();
        let steps = ((range * 3) / 10).min(range - INITIAL_SIZE);
        for _ in 0..steps {
            if self.split == 0 {
                self.size_mask = (self.slots.len() - 1) as u32;
                self.split = self.slots.len() / 2;
            }
            self.split -= 1;
            let hi = self.slots.pop().unwrap_or_default();
            let lo = &mut self.slots[self.split];
            if hi.is_empty() {
                continue;
            }
            if lo.is_empty() {
                *lo = hi;
            } else if lo.len() == 1 {
                // [Lo | Hi]
                lo.extend(hi);
            } else if hi.len() == 1 {
                // [Hi | Lo]
                lo.insert(0, hi[0]);
            } else {
                // Hi's entries consed one by one onto Lo.
                let mut merged: Vec<(Term, Term)> = hi.into_iter().rev().collect();
                merged.append(lo);
                *lo = merged;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(d: &Dictionary) -> Vec<i64> {
        d.entries().iter().map(|(k, _)| k.small_value()).collect()
    }

    // Orders observed on OTP 25: `[put(X, X*10) || X <- lists:seq(1,12)]`
    // then `get_keys()`.
    #[test]
    fn small_integer_keys_list_as_on_beam() {
        let mut d = Dictionary::default();
        for x in 1..=12 {
            assert_eq!(d.put(Term::small(x), Term::small(x * 10)), None);
        }
        assert_eq!(keys(&d), (1..=12).rev().collect::<Vec<_>>());
        assert_eq!(d.put(Term::small(3), Term::small(0)), Some(Term::small(30)));
        assert_eq!(d.get(Term::small(3)), Some(Term::small(0)));
        assert_eq!(d.erase(Term::small(3)), Some(Term::small(0)));
        assert_eq!(d.erase(Term::small(3)), None);
        assert_eq!(d.len(), 11);
    }

    #[test]
    fn growing_and_shrinking_keep_every_entry() {
        let mut d = Dictionary::default();
        for x in 0..1000 {
            d.put(Term::small(x * 7919), Term::small(x));
        }
        for x in (0..1000).step_by(2) {
            assert_eq!(d.erase(Term::small(x * 7919)), Some(Term::small(x)));
        }
        for x in 0..1000 {
            let expect = (x % 2 == 1).then_some(Term::small(x));
            assert_eq!(d.get(Term::small(x * 7919)), expect);
        }
        assert_eq!(d.len(), 500);
        d.clear();
        assert!(d.is_empty() && d.entries().is_empty());
    }
}
