//! The searchers behind `binary:match/matches/split` and the patterns
//! `binary:compile_pattern/1` returns: one pattern is found with a
//! `memchr::memmem` finder (SIMD-accelerated substring search, BEAM's
//! Boyer-Moore), several with an Aho-Corasick automaton; every match of
//! one to three one-byte patterns with [`super::byteset`]. Both report, at
//! the leftmost position where a pattern matches, the longest pattern that
//! matches there, and successive matches never overlap, as BEAM's do.

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem::Finder;

use super::byteset;

/// A compiled search for one or more non-empty byte patterns.
pub enum Searcher {
    /// One pattern (`bm` in a compiled pattern).
    One(Box<Finder<'static>>),
    /// Two or three patterns of one byte each (`ac`): `memchr2`/`memchr3`
    /// and [`byteset`], with no automaton step per match (splitting on
    /// separators).
    Bytes(Vec<u8>),
    /// Several patterns (`ac`).
    Many(AhoCorasick),
}

impl Searcher {
    /// The searcher for `patterns` (non-empty, each non-empty); `None` if
    /// the automaton would be too large to build.
    pub fn new(patterns: &[Vec<u8>]) -> Option<Searcher> {
        let bytes: Vec<u8> = patterns.iter().filter_map(|p| p.first().copied()).collect();
        match patterns {
            [one] => Some(Searcher::One(Box::new(Finder::new(one).into_owned()))),
            [_, _] | [_, _, _] if patterns.iter().all(|p| p.len() == 1) => {
                Some(Searcher::Bytes(bytes))
            }
            _ => AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .ok()
                .map(Searcher::Many),
        }
    }

    /// Whether this searches for several patterns (BEAM's `ac` tag).
    pub fn is_multi(&self) -> bool {
        !matches!(self, Searcher::One(_))
    }

    /// The reductions a search through `scanned` bytes costs, as BEAM
    /// counts them: one per Boyer-Moore step (about a pattern's length of
    /// bytes) or per automaton byte, `BM_LOOP_FACTOR` = `AC_LOOP_FACTOR`
    /// = 10 of them per reduction.
    pub fn reductions(&self, scanned: usize) -> usize {
        const LOOP_FACTOR: usize = 10;
        match self {
            Searcher::One(f) => scanned / (LOOP_FACTOR * f.needle().len().max(1)),
            Searcher::Bytes(_) | Searcher::Many(_) => scanned / LOOP_FACTOR,
        }
    }

    /// The first match in `hay[from..to]`, as (start, length) in `hay`.
    pub fn find(&self, hay: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
        let scope = &hay[from..to];
        let (pos, len) = match self {
            Searcher::One(f) => (f.find(scope)?, f.needle().len()),
            Searcher::Bytes(b) => (first_byte(b, scope)?, 1),
            Searcher::Many(ac) => {
                let m = ac.find(scope)?;
                (m.start(), m.len())
            }
        };
        Some((from + pos, len))
    }

    /// Every non-overlapping match in `hay[from..to]`, left to right.
    pub fn find_all(&self, hay: &[u8], from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut all = Vec::new();
        self.each(hay, from, to, |pos, len| all.push((pos, len)));
        all
    }

    /// How many matches [`Searcher::each`] will find in `hay[from..to]`,
    /// when counting them costs little beside the search (one-byte
    /// patterns).
    pub fn count_hint(&self, hay: &[u8], from: usize, to: usize) -> Option<usize> {
        match self {
            Searcher::One(finder) => match finder.needle() {
                &[byte] => Some(byteset::count(&[byte], &hay[from..to])),
                _ => None,
            },
            Searcher::Bytes(b) => Some(byteset::count(b, &hay[from..to])),
            Searcher::Many(_) => None,
        }
    }

    /// Calls `f` with every non-overlapping match in `hay[from..to]`, left
    /// to right, as (start, length) in `hay`.
    pub fn each(&self, hay: &[u8], from: usize, to: usize, mut f: impl FnMut(usize, usize)) {
        let scope = &hay[from..to];
        match self {
            Searcher::One(finder) => match finder.needle() {
                &[byte] => byteset::each(&[byte], scope, |pos| f(from + pos, 1)),
                needle => {
                    let len = needle.len();
                    finder.find_iter(scope).for_each(|pos| f(from + pos, len));
                }
            },
            Searcher::Bytes(b) => byteset::each(b, scope, |pos| f(from + pos, 1)),
            Searcher::Many(ac) => ac
                .find_iter(scope)
                .for_each(|m| f(from + m.start(), m.len())),
        }
    }
}

/// The first position in `hay` of any of the two or three bytes `b`.
fn first_byte(b: &[u8], hay: &[u8]) -> Option<usize> {
    match *b {
        [x, y] => memchr::memchr2(x, y, hay),
        [x, y, z] => memchr::memchr3(x, y, z, hay),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(ps: &[&str]) -> Vec<Vec<u8>> {
        ps.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    #[test]
    fn leftmost_longest_without_overlaps() {
        let s = Searcher::new(&pats(&["a", "ab", "b"])).unwrap();
        assert!(s.is_multi());
        assert_eq!(s.find(b"xxabab", 0, 6), Some((2, 2)));
        assert_eq!(s.find_all(b"xxabab", 0, 6), vec![(2, 2), (4, 2)]);
        assert_eq!(s.find_all(b"xxabab", 3, 6), vec![(3, 1), (4, 2)]);
        let one = Searcher::new(&pats(&["aa"])).unwrap();
        assert!(!one.is_multi());
        assert_eq!(one.find_all(b"aaaaa", 0, 5), vec![(0, 2), (2, 2)]);
        assert_eq!(one.find(b"aaaaa", 1, 2), None);
    }

    #[test]
    fn single_bytes_are_found_as_the_automaton_finds_them() {
        let hay = b"id=4;x,y\nz;;,";
        for ps in [&[";", ","][..], &[";", ",", "\n"], &[",", ",", ";"]] {
            let fast = Searcher::new(&pats(ps)).unwrap();
            assert!(matches!(fast, Searcher::Bytes(_)) && fast.is_multi());
            let ac = Searcher::Many(AhoCorasick::new(pats(ps)).unwrap());
            for from in 0..hay.len() {
                let to = hay.len();
                assert_eq!(fast.find_all(hay, from, to), ac.find_all(hay, from, to));
                assert_eq!(fast.find(hay, from, to), ac.find(hay, from, to));
            }
        }
    }
}
