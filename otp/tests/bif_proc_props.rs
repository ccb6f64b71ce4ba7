//! Properties of the bif-proc BIFs that depend on the clock, the machine
//! or the process, and `erlang:display/1`'s format against OTP 25
//! (`bif_proc/display.txt`, made by `bif_proc/gen_display.erl`).

use enigma_otp::bif::erlang::display::display_bytes;
use enigma_otp::bif::install_all;
use enigma_vm::atom::Atom;
use enigma_vm::etf;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::term::fun::Export;
use enigma_vm::term::order::eq_exact;
use enigma_vm::term::{Term, MIN_SMALL};
use ibig::IBig;

fn atom(s: &str) -> Term {
    Term::atom(Atom::intern(s).unwrap())
}

fn call(p: &mut Process, m: &str, f: &str, args: &[Term]) -> Result<Term, Exception> {
    install_all().unwrap();
    let e = Export::get_or_create(
        Atom::intern(m).unwrap(),
        Atom::intern(f).unwrap(),
        args.len() as u32,
    );
    e.bif().expect("registered")(p, args)
}

fn int(t: Term) -> IBig {
    t.as_small()
        .map(IBig::from)
        .or_else(|| t.as_bignum())
        .expect("integer")
}

fn new() -> Process {
    Process::new(Term::pid(7, 0))
}

#[test]
fn monotonic_time_never_decreases_and_units_agree() {
    let mut p = new();
    let mut last = int(call(&mut p, "erlang", "monotonic_time", &[]).unwrap());
    assert!(last >= IBig::from(MIN_SMALL));
    for _ in 0..1000 {
        let now = int(call(&mut p, "erlang", "monotonic_time", &[]).unwrap());
        assert!(now >= last);
        last = now;
    }
    let before = int(call(&mut p, "erlang", "monotonic_time", &[]).unwrap());
    let ms = int(call(&mut p, "erlang", "monotonic_time", &[atom("millisecond")]).unwrap());
    let after = int(call(&mut p, "erlang", "monotonic_time", &[]).unwrap());
    // Rounded down, as BEAM rounds.
    let floor = |ns: &IBig| {
        let q = ns / IBig::from(1_000_000);
        if &q * IBig::from(1_000_000) > *ns {
            q - IBig::from(1)
        } else {
            q
        }
    };
    assert!(floor(&before) <= ms && ms <= floor(&after));
    let native = call(
        &mut p,
        "erlang",
        "convert_time_unit",
        &[Term::small(1), atom("second"), atom("native")],
    );
    assert_eq!(native, Ok(Term::small(1_000_000_000)));
}

#[test]
fn system_time_is_monotonic_time_plus_the_offset() {
    let mut p = new();
    let offset = int(call(&mut p, "erlang", "time_offset", &[]).unwrap());
    let m0 = int(call(&mut p, "erlang", "monotonic_time", &[]).unwrap());
    let s = int(call(&mut p, "erlang", "system_time", &[]).unwrap());
    let m1 = int(call(&mut p, "erlang", "monotonic_time", &[]).unwrap());
    assert!(&m0 + &offset <= s && s <= &m1 + &offset);
    let os = int(call(&mut p, "os", "system_time", &[atom("second")]).unwrap());
    let erl = int(call(&mut p, "erlang", "system_time", &[atom("second")]).unwrap());
    assert!((os - erl) <= IBig::from(1));
    let ts = call(&mut p, "erlang", "timestamp", &[]).unwrap();
    let ts = ts.as_tuple().unwrap();
    let secs = int(ts.get(0).unwrap()) * IBig::from(1_000_000) + int(ts.get(1).unwrap());
    let now = int(call(&mut p, "erlang", "system_time", &[atom("second")]).unwrap());
    assert!(&now - &secs <= IBig::from(1) && secs <= now);
}

#[test]
fn calendar_agrees_with_the_clock() {
    let mut p = new();
    let u = call(&mut p, "erlang", "universaltime", &[]).unwrap();
    let l = call(&mut p, "erlang", "localtime", &[]).unwrap();
    let date = u.as_tuple().unwrap().get(0).unwrap();
    let d = date.as_tuple().unwrap();
    assert!(d.get(0).unwrap().as_small().unwrap() >= 2024);
    // Local time is UTC (the zone database is not read).
    let l_date = l.as_tuple().unwrap().get(0).unwrap();
    let today = call(&mut p, "erlang", "date", &[]).unwrap();
    assert!(eq_exact(l_date, date) || eq_exact(today, l_date) || eq_exact(today, date));
    let back = call(&mut p, "erlang", "universaltime_to_localtime", &[u]).unwrap();
    assert!(eq_exact(back, u));
}

#[test]
fn identities() {
    let mut p = new();
    assert_eq!(call(&mut p, "erlang", "self", &[]), Ok(Term::pid(7, 0)));
    assert_eq!(
        call(&mut p, "erlang", "node", &[]),
        Ok(Term::atom(Atom::NONODE))
    );
    assert_eq!(call(&mut p, "erlang", "nodes", &[]), Ok(Term::NIL));
    let r1 = call(&mut p, "erlang", "make_ref", &[]).unwrap();
    let r2 = call(&mut p, "erlang", "make_ref", &[]).unwrap();
    assert!(!eq_exact(r1, r2));
    assert_eq!(r1.as_ref_id().unwrap().ids.len(), 3);
    assert_eq!(
        call(&mut p, "erlang", "node", &[r1]),
        Ok(Term::atom(Atom::NONODE))
    );
    let mono = p.heap.list(&[atom("monotonic")]);
    let pos = p.heap.list(&[atom("positive")]);
    let mut last = int(call(&mut p, "erlang", "unique_integer", &[mono]).unwrap());
    for _ in 0..100 {
        let n = int(call(&mut p, "erlang", "unique_integer", &[mono]).unwrap());
        assert!(n > last);
        last = n;
        assert!(int(call(&mut p, "erlang", "unique_integer", &[pos]).unwrap()) > IBig::from(0));
    }
    let a = call(&mut p, "erlang", "unique_integer", &[]).unwrap();
    let b = call(&mut p, "erlang", "unique_integer", &[]).unwrap();
    assert!(!eq_exact(a, b));
}

#[test]
fn process_dictionary_through_exports() {
    let mut p = new();
    let undefined = Term::atom(Atom::UNDEFINED);
    assert_eq!(
        call(&mut p, "erlang", "put", &[atom("k"), Term::small(1)]),
        Ok(undefined)
    );
    assert_eq!(
        call(&mut p, "erlang", "put", &[atom("k"), Term::small(2)]),
        Ok(Term::small(1))
    );
    assert_eq!(
        call(&mut p, "erlang", "get", &[atom("k")]),
        Ok(Term::small(2))
    );
    let keys = call(&mut p, "erlang", "get_keys", &[Term::small(2)]).unwrap();
    assert_eq!(keys.proper_list().unwrap(), vec![atom("k")]);
    assert_eq!(
        call(&mut p, "erlang", "erase", &[atom("k")]),
        Ok(Term::small(2))
    );
    assert_eq!(call(&mut p, "erlang", "get", &[atom("k")]), Ok(undefined));
    call(&mut p, "erlang", "put", &[Term::small(1), Term::small(1)]).unwrap();
    let all = call(&mut p, "erlang", "erase", &[]).unwrap();
    assert_eq!(all.proper_list().unwrap().len(), 1);
    assert_eq!(call(&mut p, "erlang", "get", &[]), Ok(Term::NIL));
}

#[test]
fn statistics_and_system() {
    let mut p = new();
    p.reductions = 1234;
    let r = call(&mut p, "erlang", "statistics", &[atom("exact_reductions")]).unwrap();
    assert_eq!(r.as_tuple().unwrap().get(0), Some(Term::small(1234)));
    for k in ["runtime", "wall_clock", "reductions"] {
        let t = call(&mut p, "erlang", "statistics", &[atom(k)]).unwrap();
        let t = t.as_tuple().unwrap();
        assert!(int(t.get(0).unwrap()) >= int(t.get(1).unwrap()));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as i64;
    let s = call(&mut p, "erlang", "system_info", &[atom("schedulers")]);
    assert_eq!(s, Ok(Term::small(cores)));
    let v = call(&mut p, "erlang", "system_info", &[atom("os_version")]).unwrap();
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let major: i64 = release
        .split('.')
        .next()
        .and_then(|m| m.trim().parse().ok())
        .unwrap_or(0);
    assert_eq!(v.as_tuple().unwrap().get(0), Some(Term::small(major)));
    let pid = call(&mut p, "os", "getpid", &[]).unwrap();
    assert_eq!(pid.as_string().unwrap(), std::process::id().to_string());
    if let Ok(path) = std::env::var("PATH") {
        let name = p.heap.string("PATH");
        let got = call(&mut p, "os", "getenv", &[name]).unwrap();
        assert_eq!(got.as_string().unwrap(), path);
    }
}

#[test]
fn display_prints_as_beam_prints() {
    let text: &[u8] = include_bytes!("bif_proc/display.txt");
    let mut lines = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.strip_suffix(b"\r").expect("lines end with \\r\\n"));
    let mut p = new();
    let mut n = 0;
    while let (Some(key), Some(shown)) = (lines.next(), lines.next()) {
        let hex = std::str::from_utf8(&key[3..key.len() - 3]).unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let t = etf::decode(&bytes, &mut p.heap).unwrap();
        let got = display_bytes(t);
        assert!(
            got == shown,
            "display of {t:?}: got {}, BEAM printed {}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(shown)
        );
        n += 1;
    }
    assert!(n > 70);
}
