//! Calendar BIFs: `date/0`, `time/0`, `localtime/0`, `universaltime/0`,
//! `localtime_to_universaltime/1,2`, `universaltime_to_localtime/1`,
//! `posixtime_to_universaltime/1`, `universaltime_to_posixtime/1`.
//!
//! The local time zone is UTC: the time zone database is not consulted
//! (`TZ` and `/etc/localtime` are ignored). A local time said to be in
//! daylight saving time is one hour ahead of UTC, as C's `mktime` takes it
//! in the UTC zone. Years outside 1902..=2147483646 are rejected, as BEAM rejects them.

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::Term;

use super::time::system_ns;
use crate::bif::helpers::{int, is_atom, to_ibig};

/// The calendar BIFs of module `erlang`.
pub const TABLE: &[BifEntry] = &[
    BifEntry {
        module: "erlang",
        name: "date",
        arity: 0,
        f: date_0,
    },
    BifEntry {
        module: "erlang",
        name: "time",
        arity: 0,
        f: time_0,
    },
    BifEntry {
        module: "erlang",
        name: "localtime",
        arity: 0,
        f: universaltime_0,
    },
    BifEntry {
        module: "erlang",
        name: "universaltime",
        arity: 0,
        f: universaltime_0,
    },
    BifEntry {
        module: "erlang",
        name: "localtime_to_universaltime",
        arity: 1,
        f: local_to_univ_1,
    },
    BifEntry {
        module: "erlang",
        name: "localtime_to_universaltime",
        arity: 2,
        f: local_to_univ_2,
    },
    BifEntry {
        module: "erlang",
        name: "universaltime_to_localtime",
        arity: 1,
        f: univ_to_local_1,
    },
    BifEntry {
        module: "erlang",
        name: "posixtime_to_universaltime",
        arity: 1,
        f: posix_to_univ_1,
    },
    BifEntry {
        module: "erlang",
        name: "universaltime_to_posixtime",
        arity: 1,
        f: univ_to_posix_1,
    },
];

/// The first year BEAM converts between local and universal time.
const BASE_YEAR: i64 = 1902;
/// The first year `universaltime_to_posixtime/1` accepts.
const POSIX_BASE_YEAR: i64 = 1600;
/// The last year BEAM converts (C's `tm_year` must not overflow).
const LAST_YEAR: i64 = 2_147_483_646;

/// A date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DateTime {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl DateTime {
    fn from_seconds(s: i64) -> DateTime {
        let (year, month, day) = civil_from_days(s.div_euclid(86_400));
        let tod = s.rem_euclid(86_400);
        DateTime {
            year,
            month,
            day,
            hour: tod / 3600,
            minute: tod / 60 % 60,
            second: tod % 60,
        }
    }

    fn seconds(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + self.hour * 3600
            + self.minute * 60
            + self.second
    }

    /// `{{Y, M, D}, {H, Mi, S}}` as BEAM validates it, from year `first`.
    fn parse_from(t: Term, first: i64) -> Option<DateTime> {
        let outer = t.as_tuple().filter(|t| t.len() == 2)?;
        let date = outer.get(0)?.as_tuple().filter(|t| t.len() == 3)?;
        let time = outer.get(1)?.as_tuple().filter(|t| t.len() == 3)?;
        let n = |tu: enigma_vm::term::boxed::Tuple, i| tu.get(i).and_then(Term::as_small);
        let dt = DateTime {
            year: n(date, 0)?,
            month: n(date, 1)?,
            day: n(date, 2)?,
            hour: n(time, 0)?,
            minute: n(time, 1)?,
            second: n(time, 2)?,
        };
        let valid = (first..=LAST_YEAR).contains(&dt.year)
            && (1..=12).contains(&dt.month)
            && dt.day >= 1
            && dt.day <= days_in_month(dt.year, dt.month)
            && (0..24).contains(&dt.hour)
            && (0..60).contains(&dt.minute)
            && (0..60).contains(&dt.second);
        valid.then_some(dt)
    }

    /// [`DateTime::parse_from`] the local/universal time range.
    fn parse(t: Term) -> Option<DateTime> {
        DateTime::parse_from(t, BASE_YEAR)
    }

    fn term(self, p: &mut Process) -> Term {
        let date = p.heap.tuple(&[
            Term::small(self.year),
            Term::small(self.month),
            Term::small(self.day),
        ]);
        let time = p.heap.tuple(&[
            Term::small(self.hour),
            Term::small(self.minute),
            Term::small(self.second),
        ]);
        p.heap.tuple(&[date, time])
    }
}

fn now() -> DateTime {
    DateTime::from_seconds((system_ns().div_euclid(1_000_000_000)) as i64)
}

fn date_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let n = now();
    Ok(p.heap.tuple(&[
        Term::small(n.year),
        Term::small(n.month),
        Term::small(n.day),
    ]))
}

fn time_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    let n = now();
    Ok(p.heap.tuple(&[
        Term::small(n.hour),
        Term::small(n.minute),
        Term::small(n.second),
    ]))
}

fn universaltime_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(now().term(p))
}

fn local_to_univ_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [dt] = args else {
        return Err(Exception::badarg());
    };
    local_to_univ_2(p, &[*dt, Term::atom(Atom::UNDEFINED)])
}

fn local_to_univ_2(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [dt, dst] = args else {
        return Err(Exception::badarg());
    };
    let shift = if *dst == Term::TRUE {
        3600
    } else if *dst == Term::FALSE || is_atom(*dst, "undefined") {
        0
    } else {
        return Err(Exception::badarg());
    };
    let dt = DateTime::parse(*dt).ok_or_else(Exception::badarg)?;
    Ok(DateTime::from_seconds(dt.seconds() - shift).term(p))
}

fn univ_to_local_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [dt] = args else {
        return Err(Exception::badarg());
    };
    let dt = DateTime::parse(*dt).ok_or_else(Exception::badarg)?;
    Ok(dt.term(p))
}

/// BEAM's own conversion of POSIX seconds to a date (a day-counting
/// formula with truncating division): it agrees with the proleptic
/// calendar from year 0 on and gives day 0 of March for some negative
/// years, which `posixtime_to_universaltime/1` then returns.
fn beam_seconds_to_univ(time: i64) -> DateTime {
    let (mut days, mut secs) = (time / 86_400, time % 86_400);
    if secs < 0 {
        days -= 1;
        secs += 86_400;
    }
    let days = days + 719_468;
    let year_days = |y: i64| 365 * y + y / 4 - y / 100 + y / 400;
    // |days| < 2^47, so the product stays far inside i64.
    let mut y = (10_000 * days + 14_780) / 3_652_425;
    let mut rest = days - year_days(y);
    if rest < 0 {
        y -= 1;
        rest = days - year_days(y);
    }
    let mi = (100 * rest + 52) / 3060;
    DateTime {
        year: y + (mi + 2) / 12,
        month: (mi + 2) % 12 + 1,
        day: rest - (mi * 306 + 5) / 10 + 1,
        hour: secs / 3600,
        minute: secs % 3600 / 60,
        second: secs % 60,
    }
}

fn posix_to_univ_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [t] = args else {
        return Err(Exception::badarg());
    };
    let s = to_ibig(*t)
        .and_then(|i| i64::try_from(i).ok())
        .ok_or_else(Exception::badarg)?;
    Ok(beam_seconds_to_univ(s).term(p))
}

fn univ_to_posix_1(p: &mut Process, args: &[Term]) -> Result<Term, Exception> {
    let [dt] = args else {
        return Err(Exception::badarg());
    };
    let dt = DateTime::parse_from(*dt, POSIX_BASE_YEAR).ok_or_else(Exception::badarg)?;
    Ok(int(&mut p.heap, i128::from(dt.seconds())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for s in [0, -1, 86_399, 951_782_400, -2_145_916_800, 4_102_444_800] {
            assert_eq!(DateTime::from_seconds(s).seconds(), s);
        }
        let d = DateTime::from_seconds(951_782_400);
        assert_eq!((d.year, d.month, d.day), (2000, 2, 29));
    }
}
