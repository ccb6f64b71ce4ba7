//! PCRE character tables for ISO-8859-1, as BEAM's PCRE is built with:
//! `\w`, `[[:alpha:]]`, `caseless` and the other classes know the Latin-1
//! letters (é is a word character, É its upper case) where PCRE2's
//! built-in tables know only ASCII. The layout is `pcre2_maketables`'s;
//! the classes are the C library's in a Latin-1 locale (checked against
//! `erl` by `tests/erlang/run_re_run.erl`).

use std::sync::LazyLock;

const CBITS: usize = 512;
const CTYPES: usize = CBITS + 320;
/// Length of a PCRE2 table set.
const LENGTH: usize = CTYPES + 256;

fn upper(c: u8) -> bool {
    c.is_ascii_uppercase() || (0xC0..=0xDE).contains(&c) && c != 0xD7
}

fn lower(c: u8) -> bool {
    c.is_ascii_lowercase() || matches!(c, 0xAA | 0xB5 | 0xBA) || c >= 0xDF && c != 0xF7
}

fn alnum(c: u8) -> bool {
    upper(c) || lower(c) || c.is_ascii_digit()
}

fn graph(c: u8) -> bool {
    (0x21..=0x7E).contains(&c) || c >= 0xA0
}

fn to_lower(c: u8) -> u8 {
    if upper(c) {
        c + 32
    } else {
        c
    }
}

fn to_upper(c: u8) -> u8 {
    if c.is_ascii_lowercase() || (0xE0..=0xFE).contains(&c) && c != 0xF7 {
        c - 32
    } else {
        c
    }
}

fn make() -> [u8; LENGTH] {
    let mut t = [0u8; LENGTH];
    for c in 0..=255u8 {
        let i = usize::from(c);
        t[i] = to_lower(c);
        t[256 + i] = if lower(c) { to_upper(c) } else { to_lower(c) };
        let space = (9..=13).contains(&c) || c == b' ';
        let classes = [
            (0, space),
            (32, c.is_ascii_hexdigit()),
            (64, c.is_ascii_digit()),
            (96, upper(c)),
            (128, lower(c)),
            (160, alnum(c) || c == b'_'),
            (192, graph(c)),
            (224, graph(c) || c == b' '),
            (256, graph(c) && !alnum(c)),
            (288, c < 0x20 || (0x7F..0xA0).contains(&c)),
        ];
        for (base, member) in classes {
            if member {
                t[CBITS + base + i / 8] |= 1 << (i % 8);
            }
        }
        let ctype = [
            (space, 0x01),
            (upper(c) || lower(c), 0x02),
            (lower(c), 0x04),
            (c.is_ascii_digit(), 0x08),
            (alnum(c) || c == b'_', 0x10),
        ];
        t[CTYPES + i] = ctype.iter().filter(|(m, _)| *m).map(|(_, b)| b).sum();
    }
    t
}

/// The table set, built once and kept for the life of the VM (compiled
/// patterns point into it).
pub static TABLES: LazyLock<[u8; LENGTH]> = LazyLock::new(make);
