//! [`Few`]: a vector that is usually empty, one word while it is.
//!
//! What the scheduler keeps per process (links, monitors, aliases,
//! timers, flags, suspensions: `enigma_interp::sched::Meta`), what a
//! heap keeps beside its current chunk (full chunks, off-heap binaries,
//! magic references' objects) and a process's message fragments are
//! empty for most processes and messages; a `Vec` costs three words
//! even then (seven in the process table: 168 bytes an entry). A `Few`
//! is a pointer to a `Vec`, allocated at the first push with room for
//! one element.

use std::ops::{Deref, DerefMut};

/// A vector of `T` that takes one word while empty.
#[derive(Clone, Debug)]
// The box is the point: one word in place of a `Vec`'s three.
#[allow(clippy::box_collection)]
pub struct Few<T>(Option<Box<Vec<T>>>);

impl<T> Default for Few<T> {
    fn default() -> Self {
        Few(None)
    }
}

impl<T> Few<T> {
    /// Appends `x`.
    pub fn push(&mut self, x: T) {
        // Room for one at first: most never hold more.
        self.0
            .get_or_insert_with(|| Box::new(Vec::with_capacity(1)))
            .push(x);
    }

    /// Removes every element, freeing the vector.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// Keeps the elements `f` accepts; frees the vector when none is left.
    pub fn retain(&mut self, f: impl FnMut(&T) -> bool) {
        if let Some(v) = &mut self.0 {
            v.retain(f);
            if v.is_empty() {
                self.0 = None;
            }
        }
    }

    /// Replaces the elements with those of `items`, in the vector it
    /// holds if any (no allocation when they fit); frees it when `items`
    /// is empty.
    pub fn refill(&mut self, items: impl IntoIterator<Item = T>) {
        match &mut self.0 {
            Some(v) => {
                v.clear();
                v.extend(items);
                if v.is_empty() {
                    self.0 = None;
                }
            }
            None => *self = items.into_iter().collect::<Vec<_>>().into(),
        }
    }

    /// Removes element `i`, replacing it with the last (`Vec::swap_remove`).
    pub fn swap_remove(&mut self, i: usize) -> T {
        let v = self.0.as_mut().expect("swap_remove on an empty Few");
        let x = v.swap_remove(i);
        if v.is_empty() {
            self.0 = None;
        }
        x
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(v: Vec<T>) -> Self {
        Few((!v.is_empty()).then(|| Box::new(v)))
    }
}

impl<T> Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<T> DerefMut for Few<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.0.as_deref_mut().map_or(&mut [], Vec::as_mut_slice)
    }
}

impl<T> IntoIterator for Few<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|v| *v).unwrap_or_default().into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_is_one_word_and_frees_its_vector_when_emptied() {
        assert_eq!(std::mem::size_of::<Few<u64>>(), 8);
        let mut f = Few::default();
        assert!(f.is_empty());
        f.push(1);
        f.push(2);
        f.push(3);
        assert_eq!(&*f, &[1, 2, 3]);
        f.retain(|&x| x != 2);
        assert_eq!(f.swap_remove(0), 1);
        assert_eq!(&*f, &[3]);
        f[0] = 4;
        assert_eq!(f.clone().into_iter().collect::<Vec<_>>(), [4]);
        f.retain(|_| false);
        assert!(f.0.is_none());
        assert!(Few::<u8>::from(Vec::new()).0.is_none());
        assert_eq!(&*Few::from(vec![5]), &[5]);
        f.refill([6, 7]);
        assert_eq!(&*f, &[6, 7]);
        f.refill([8]);
        assert_eq!(&*f, &[8]);
        f.refill([]);
        assert!(f.0.is_none());
    }
}
