//! The searchers behind `binary:match/matches/split` and the patterns
//! `binary:compile_pattern/1` returns: one pattern is found with a
//! `memchr::memmem` finder (SIMD-accelerated substring search, BEAM's
//! Boyer-Moore), several with an Aho-Corasick automaton. Both report, at
//! the leftmost position where a pattern matches, the longest pattern that
//! matches there, and successive matches never overlap, as BEAM's do.

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem::Finder;

/// A compiled search for one or more non-empty byte patterns.
pub enum Searcher {
    /// One pattern (`bm` in a compiled pattern).
    One(Box<Finder<'static>>),
    /// Several patterns (`ac`).
    Many(AhoCorasick),
}

impl Searcher {
    /// The searcher for `patterns` (non-empty, each non-empty); `None` if
    /// the automaton would be too large to build.
    pub fn new(patterns: &[Vec<u8>]) -> Option<Searcher> {
        match patterns {
            [one] => Some(Searcher::One(Box::new(Finder::new(one).into_owned()))),
            _ => AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .ok()
                .map(Searcher::Many),
        }
    }

    /// Whether this searches for several patterns (BEAM's `ac` tag).
    pub fn is_multi(&self) -> bool {
        matches!(self, Searcher::Many(_))
    }

    /// The first match in `hay[from..to]`, as (start, length) in `hay`.
    pub fn find(&self, hay: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
        let scope = &hay[from..to];
        let (pos, len) = match self {
            Searcher::One(f) => (f.find(scope)?, f.needle().len()),
            Searcher::Many(ac) => {
                let m = ac.find(scope)?;
                (m.start(), m.len())
            }
        };
        Some((from + pos, len))
    }

    /// Every non-overlapping match in `hay[from..to]`, left to right.
    pub fn find_all(&self, hay: &[u8], from: usize, to: usize) -> Vec<(usize, usize)> {
        let scope = &hay[from..to];
        match self {
            Searcher::One(f) => {
                let len = f.needle().len();
                f.find_iter(scope).map(|pos| (from + pos, len)).collect()
            }
            Searcher::Many(ac) => ac
                .find_iter(scope)
                .map(|m| (from + m.start(), m.len()))
                .collect(),
        }
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
}
