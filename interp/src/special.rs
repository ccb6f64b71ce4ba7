//! BIFs that are really interpreter operations: they raise with a stack
//! trace, transfer control, or read loaded code. Their export entries hold
//! a small number as their address (below `1 << 32`, see `crate::code`), so
//! a call reaches them as fast as a call to Erlang code.

use std::sync::atomic::Ordering;

use enigma_vm::atom::Atom;
use enigma_vm::bif::BifEntry;
use enigma_vm::code::Module;
use enigma_vm::exception::Exception;
use enigma_vm::process::Process;
use enigma_vm::saved_calls::SavedCall;
use enigma_vm::term::fun::Export;
use enigma_vm::term::Term;

use crate::code;
use crate::instr::except::{bif_head, class_of, raise_trace, Head};
use crate::instr::fun::fun_arity;
use crate::proc_info::Answer;
use crate::run::{Outcome, Run, Step, Stop};

macro_rules! ops {
    ($($op:ident = $m:literal : $f:literal / $a:literal),* $(,)?) => {
        /// An interpreter operation reached through an export entry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Op { $($op),* }
        const OPS: &[(Op, &str, &str, u32)] = &[$((Op::$op, $m, $f, $a)),*];
    };
}

ops! {
    Error1 = "erlang":"error"/1,
    Error2 = "erlang":"error"/2,
    Error3 = "erlang":"error"/3,
    Throw = "erlang":"throw"/1,
    Exit1 = "erlang":"exit"/1,
    Raise3 = "erlang":"raise"/3,
    Apply2 = "erlang":"apply"/2,
    Apply3 = "erlang":"apply"/3,
    UndefinedFunction = "error_handler":"undefined_function"/3,
    GetModuleInfo1 = "erlang":"get_module_info"/1,
    GetModuleInfo2 = "erlang":"get_module_info"/2,
    FunctionExported = "erlang":"function_exported"/3,
    MakeFun = "erlang":"make_fun"/3,
    FunInfo = "erlang":"fun_info"/2,
    FunInfoMfa = "erlang":"fun_info_mfa"/1,
    BumpReductions = "erlang":"bump_reductions"/1,
    IsBuiltin = "erlang":"is_builtin"/3,
    ModuleLoaded = "erlang":"module_loaded"/1,
    CodeEnsureLoaded = "code":"ensure_loaded"/1,
    CodeLoadFile = "code":"load_file"/1,
    CodeLoadBinary = "code":"load_binary"/3,
    CodeEnsureModulesLoaded = "code":"ensure_modules_loaded"/1,
    LoadModule = "erlang":"load_module"/2,
    CallOnLoadFunction = "erlang":"call_on_load_function"/1,
    FunToList = "erlang":"fun_to_list"/1,
    Halt0 = "erlang":"halt"/0,
    Halt1 = "erlang":"halt"/1,
    Halt2 = "erlang":"halt"/2,
    NifError1 = "erlang":"nif_error"/1,
    NifError2 = "erlang":"nif_error"/2,
    Spawn1 = "erlang":"spawn"/1,
    Spawn3 = "erlang":"spawn"/3,
    SpawnLink3 = "erlang":"spawn_link"/3,
    SpawnOpt4 = "erlang":"spawn_opt"/4,
    SpawnSystemProcess3 = "erts_internal":"spawn_system_process"/3,
    Send2 = "erlang":"send"/2,
    Bang = "erlang":"!"/2,
    Send3 = "erlang":"send"/3,
    Monitor2 = "erlang":"monitor"/2,
    Monitor3 = "erlang":"monitor"/3,
    Alias0 = "erlang":"alias"/0,
    Alias1 = "erlang":"alias"/1,
    Unalias1 = "erlang":"unalias"/1,
    Demonitor1 = "erlang":"demonitor"/1,
    Demonitor2 = "erlang":"demonitor"/2,
    GroupLeader0 = "erlang":"group_leader"/0,
    GroupLeader2 = "erlang":"group_leader"/2,
    Register2 = "erlang":"register"/2,
    Unregister1 = "erlang":"unregister"/1,
    Whereis1 = "erlang":"whereis"/1,
    Registered0 = "erlang":"registered"/0,
    Processes0 = "erlang":"processes"/0,
    IsProcessAlive = "erlang":"is_process_alive"/1,
    Link1 = "erlang":"link"/1,
    Unlink1 = "erlang":"unlink"/1,
    Exit2 = "erlang":"exit"/2,
    ProcessFlag2 = "erlang":"process_flag"/2,
    ProcessFlag3 = "erts_internal":"process_flag"/3,
    ProcessInfo1 = "erlang":"process_info"/1,
    ProcessInfo2 = "erlang":"process_info"/2,
    ProcessDisplay2 = "erlang":"process_display"/2,
    Yield0 = "erlang":"yield"/0,
    Hibernate3 = "erlang":"hibernate"/3,
    SuspendProcess1 = "erlang":"suspend_process"/1,
    SuspendProcess2 = "erlang":"suspend_process"/2,
    ResumeProcess1 = "erlang":"resume_process"/1,
    SpawnRequest4 = "erts_internal":"spawn_request"/4,
    SpawnRequestAbandon1 = "erlang":"spawn_request_abandon"/1,
    GarbageCollect0 = "erlang":"garbage_collect"/0,
    GarbageCollect1 = "erlang":"garbage_collect"/1,
    GarbageCollect2 = "erlang":"garbage_collect"/2,
}

/// BIFs of the process core that guards and `bif` instructions reach
/// (so they are plain BIFs, not operations).
const CORE: &[BifEntry] = &[BifEntry {
    module: "erlang",
    name: "self",
    arity: 0,
    f: self_0,
}];

fn self_0(p: &mut Process, _: &[Term]) -> Result<Term, Exception> {
    Ok(p.pid)
}

/// Points the export entries of the interpreter operations at them.
pub fn install() -> Result<(), enigma_vm::atom::AtomError> {
    enigma_vm::bif::install(CORE)?;
    for &(op, m, f, a) in OPS {
        let e = Export::get_or_create(Atom::intern(m)?, Atom::intern(f)?, a);
        e.address.store(op as usize + 1, Ordering::Release);
    }
    Ok(())
}

fn atom(name: &str) -> Result<Term, Stop> {
    Atom::intern(name)
        .map(Term::atom)
        .map_err(|_| Exception::system_limit().into())
}

/// Saves the call of `e` (at `addr`, an operation or 0 for a BIF) for a
/// process saving its calls, as BEAM would: `erlang:apply/2,3` not (its
/// loader makes them `apply` instructions, which save the function
/// applied), nor the error handler, and `spawn/1` with the `spawn/3` that
/// `erlang.erl`'s calls.
pub(crate) fn save_call(run: &mut Run<'_>, e: &'static Export, addr: usize) {
    let op = OPS.get(addr.wrapping_sub(1)).map(|&(op, ..)| op);
    if matches!(op, Some(Op::Apply2 | Op::Apply3 | Op::UndefinedFunction)) {
        return;
    }
    run.p.save_call(SavedCall::Export(e));
    if op == Some(Op::Spawn1) {
        if let Ok(spawn) = Atom::intern("spawn") {
            let e = Export::get_or_create(Atom::ERLANG, spawn, 3);
            run.p.save_call(SavedCall::Export(e));
        }
    }
}

/// Runs operation `addr` with its arguments in x0..; the continuation
/// pointer of the call is on the stack.
pub(crate) fn call(run: &mut Run<'_>, addr: usize, arity: u32) -> Step {
    let Some(&(op, ..)) = OPS.get(addr - 1) else {
        return Err(Exception::badarg().into());
    };
    let x0 = run.x[0];
    let value = match op {
        Op::Error1 => return Err(Stop::Raise(Exception::error(x0), Head::Caller)),
        // A BIF stub of a loaded module (`erlang.beam`'s bodies): the BIF
        // is missing.
        Op::NifError1 | Op::NifError2 => {
            return Err(Stop::Raise(Exception::error(x0), Head::Caller));
        }
        Op::Error2 | Op::Error3 => {
            let args = run.x[1];
            let args = (args.is_list() || args.is_nil()).then_some(args);
            let info = if arity == 3 {
                error_info_option(run.x[2])
            } else {
                None
            };
            return Err(Stop::Raise(
                Exception::error(x0),
                Head::ErrorCaller { args, info },
            ));
        }
        Op::Throw => return Err(Stop::Raise(Exception::throw(x0), Head::Caller)),
        Op::Exit1 => return Err(Stop::Raise(Exception::exit(x0), Head::Caller)),
        Op::Raise3 => {
            let reason = run.x[1];
            let trace = raise_trace(&mut run.p.heap, run.x[2]);
            match (class_of(x0), trace) {
                (Some(class), Some(trace)) => {
                    return Err(Stop::Reraise(Exception::new(class, reason), trace))
                }
                _ => Term::atom(Atom::BADARG),
            }
        }
        Op::Apply2 => {
            let args = run.x[1];
            return match run.spread_args(args) {
                Some(n) => run.enter_fun(x0, n),
                None => Err(bif_error(run, op, arity, Exception::badarg())),
            };
        }
        // The default error handler's work is the interpreter's
        // (`error_handler.erl` would ask a code server or `init`).
        Op::UndefinedFunction => {
            let (m, f) = (x0.as_atom(), run.x[1].as_atom());
            return match (m, f, run.spread_args(run.x[2])) {
                (Some(m), Some(f), Some(n)) => run.load_or_undef(Export::get_or_create(m, f, n), n),
                _ => Err(bif_error(run, op, arity, Exception::badarg())),
            };
        }
        Op::Apply3 => {
            let (m, f, args) = (x0, run.x[1], run.x[2]);
            return match run.spread_args(args) {
                Some(n) => run.apply_mfa(m, f, n),
                None => Err(bif_error(run, op, arity, Exception::badarg())),
            };
        }
        Op::GetModuleInfo1 | Op::GetModuleInfo2 => {
            let m = x0.as_atom().and_then(code::current).and_then(code::module);
            let v = match (m, op) {
                (Some(m), Op::GetModuleInfo1) => Some(module_info_all(run, m)?),
                (Some(m), _) => module_info(run, m, run.x[1])?,
                (None, _) => None,
            };
            match v {
                Some(v) => v,
                None => return Err(bif_error(run, op, arity, Exception::badarg())),
            }
        }
        Op::FunctionExported => match (x0.as_atom(), run.x[1].as_atom(), run.x[2].as_small()) {
            (Some(m), Some(f), Some(a)) => {
                let exported = u32::try_from(a)
                    .ok()
                    .and_then(|a| Export::lookup(m, f, a))
                    .is_some_and(|e| {
                        // Loaded code, or a BIF or interpreter operation
                        // (a small address) of a loaded module: BEAM's
                        // `erlang.beam` exports every BIF it stands for.
                        let a = e.address();
                        a >= 1 << 32
                            || ((e.bif().is_some() || a != 0) && code::current(m).is_some())
                    });
                Term::bool(exported)
            }
            _ => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::MakeFun => match (x0.as_atom(), run.x[1].as_atom(), run.x[2].as_small()) {
            (Some(m), Some(f), Some(a)) if (0..=255).contains(&a) => {
                let e = Export::get_or_create(m, f, a as u32);
                run.p.heap.export_fun(e)
            }
            _ => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::FunInfo => match fun_info(run, x0, run.x[1])? {
            Some(v) => v,
            None => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::FunInfoMfa => {
            let mut mfa = [Term::NIL; 3];
            for (v, item) in mfa.iter_mut().zip(["module", "name", "arity"]) {
                // `fun_info/2` gives `{Item, Value}`.
                match fun_info(run, x0, atom(item)?)?.and_then(|t| t.as_tuple()?.get(1)) {
                    Some(t) => *v = t,
                    None => return Err(bif_error(run, op, arity, Exception::badarg())),
                }
            }
            run.p.heap.tuple(&mfa)
        }
        Op::BumpReductions => match x0.as_small() {
            Some(n) if n >= 0 => {
                // The slice ends sooner, as on BEAM; the count grows.
                run.cur.budget = run.cur.budget.saturating_sub(n);
                Term::TRUE
            }
            _ => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::IsBuiltin => match (x0.as_atom(), run.x[1].as_atom(), run.x[2].as_small()) {
            (Some(m), Some(f), Some(a)) => {
                // BEAM's BIFs, not Enigma's: some functions BEAM runs as
                // Erlang code are native here, and some of its BIFs not.
                let builtin = u8::try_from(a).is_ok_and(|a| {
                    crate::beam_bifs::BEAM_BIFS
                        .binary_search(&(m.name(), f.name(), a))
                        .is_ok()
                });
                Term::bool(builtin)
            }
            _ => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::FunToList => match fun_text(x0) {
            Some(s) => run.p.heap.string(&s),
            None => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        // The pending version's `on_load` function, entered as if called
        // (it may wait in `receive`): its result is the call's.
        Op::CallOnLoadFunction => {
            let entry = x0.as_atom().and_then(code::pending).and_then(|id| {
                let m = code::module(id)?;
                Some((id, m.functions.get(m.on_load? as usize)?.entry))
            });
            return match entry {
                Some((id, pc)) => run.jump_to(id, pc),
                None => Err(bif_error(run, op, arity, Exception::badarg())),
            };
        }
        Op::ModuleLoaded => match x0.as_atom() {
            Some(m) => Term::bool(code::current(m).is_some()),
            None => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::CodeEnsureLoaded | Op::CodeLoadFile => match x0.as_atom() {
            Some(m) => match load_module(run, m, op == Op::CodeLoadFile)? {
                Load::Now(v) => v,
                Load::Boot(f, arg) => return boot_call(run, f, arg),
            },
            None => {
                let clause = Exception::error(Term::atom(Atom::FUNCTION_CLAUSE));
                return Err(bif_error(run, op, arity, clause));
            }
        },
        // The boot module loads them one by one (`on_load` functions run
        // in this process).
        Op::CodeEnsureModulesLoaded => match module_list(x0) {
            Some(ms) => {
                let items: Vec<Term> = ms.into_iter().map(Term::atom).collect();
                let list = run.p.heap.list(&items);
                return boot_call(run, "ensure_modules_loaded", list);
            }
            None => {
                let clause = Exception::error(Term::atom(Atom::FUNCTION_CLAUSE));
                return Err(bif_error(run, op, arity, clause));
            }
        },
        Op::CodeLoadBinary => {
            let file = run.x[1];
            let name = file
                .as_string()
                .or_else(|| file.as_atom().map(|a| a.name().to_string()));
            match (x0.as_atom(), name, run.x[2].as_binary()) {
                (Some(m), Some(f), Some(bytes)) => {
                    let bytes = bytes.to_vec();
                    match load_binary(run, m, Some(f.into()), &bytes)? {
                        Load::Now(v) => v,
                        Load::Boot(f, arg) => return boot_call(run, f, arg),
                    }
                }
                _ => {
                    let clause = Exception::error(Term::atom(Atom::FUNCTION_CLAUSE));
                    return Err(bif_error(run, op, arity, clause));
                }
            }
        }
        Op::LoadModule => match (x0.as_atom(), run.x[1].as_binary()) {
            (Some(m), Some(bytes)) => {
                let bytes = bytes.to_vec();
                match load_binary(run, m, None, &bytes)? {
                    Load::Now(v) => v,
                    Load::Boot(f, arg) => return boot_call(run, f, arg),
                }
            }
            _ => return Err(bif_error(run, op, arity, Exception::badarg())),
        },
        Op::Halt0 => return Err(Stop::Done(Outcome::Halt(0))),
        Op::Halt2 if !halt_options(run.x[1]) => {
            return Err(bif_error(
                run,
                op,
                arity,
                Exception::badarg_because("badopt"),
            ));
        }
        Op::Halt1 | Op::Halt2 => {
            // A status above 255 is cut to its low byte, a bignum's too.
            let status = x0.as_small().filter(|&n| n >= 0).or_else(|| {
                let big = x0.as_bignum().filter(|b| *b > ibig::IBig::from(0u8))?;
                let low = big % ibig::IBig::from(256u16);
                i64::try_from(&low).ok()
            });
            return match status {
                Some(n) => Err(Stop::Done(Outcome::Halt(n as i32 & 0xff))),
                _ if x0.as_atom() == Some(Atom::intern("abort").unwrap_or(Atom::EMPTY)) => {
                    Err(Stop::Done(Outcome::Halt(134)))
                }
                _ => match x0.as_string() {
                    Some(s) => {
                        eprintln!("{s}");
                        Err(Stop::Done(Outcome::Halt(1)))
                    }
                    // `halt/1` is Erlang code calling `halt/2` in BEAM:
                    // `bif_error` leaves out its caller's frame.
                    None => Err(bif_error(run, op, arity, Exception::badarg())),
                },
            };
        }
        Op::Spawn1
        | Op::Spawn3
        | Op::SpawnSystemProcess3
        | Op::SpawnLink3
        | Op::SpawnOpt4
        | Op::Send2
        | Op::Bang
        | Op::Send3
        | Op::Monitor2
        | Op::Monitor3
        | Op::Alias0
        | Op::Alias1
        | Op::Unalias1
        | Op::Demonitor1
        | Op::Demonitor2
        | Op::GroupLeader0
        | Op::GroupLeader2
        | Op::Register2
        | Op::Unregister1
        | Op::Whereis1
        | Op::Registered0
        | Op::Processes0
        | Op::IsProcessAlive
        | Op::Link1
        | Op::Unlink1
        | Op::Exit2
        | Op::ProcessFlag2
        | Op::ProcessFlag3
        | Op::ProcessInfo1
        | Op::ProcessInfo2
        | Op::ProcessDisplay2
        | Op::Yield0
        | Op::Hibernate3
        | Op::SuspendProcess1
        | Op::SuspendProcess2
        | Op::ResumeProcess1
        | Op::SpawnRequest4
        | Op::SpawnRequestAbandon1 => return crate::proc_ops::call(run, op, arity),
        Op::GarbageCollect0 | Op::GarbageCollect1 | Op::GarbageCollect2 => {
            match run.garbage_collect(arity) {
                Some(Answer::Now(v)) => v,
                Some(Answer::Later(r)) => return crate::info_request::await_reply(run, r),
                // erlang.erl throws `bad_option` for a list that is not
                // of `{async, _}` and `{type, _}` pairs, whatever the pid.
                None if op == Op::GarbageCollect2 && !gc_option_shapes(run.x[1]) => {
                    let e = Exception::badarg_because("bad_option");
                    return Err(bif_error(run, op, arity, e));
                }
                None => return Err(bif_error(run, op, arity, Exception::badarg())),
            }
        }
    };
    run.x[0] = value;
    run.ret()
}

/// Whether `opts` is a proper list of `{async, _}` and `{type, _}`
/// pairs, which `erlang:garbage_collect/2`'s `get_gc_opts/2` accepts
/// before it looks at their values.
fn gc_option_shapes(opts: Term) -> bool {
    let keys = [Atom::intern("async").ok(), Atom::intern("type").ok()];
    opts.proper_list().is_some_and(|l| {
        l.iter().all(|o| {
            o.as_tuple()
                .filter(|t| t.len() == 2)
                .and_then(|t| t.get(0)?.as_atom())
                .is_some_and(|k| keys.contains(&Some(k)))
        })
    })
}

/// Whether `opts` is a proper list of `{flush, Bool}`, `halt/2`'s options.
fn halt_options(opts: Term) -> bool {
    let flush = Atom::intern("flush").ok();
    let mut it = opts.list_iter();
    let ok = it.by_ref().all(|o| {
        o.as_tuple().is_some_and(|t| {
            matches!(t.elements(), [k, v] if k.as_atom() == flush
                && matches!(v.as_atom(), Some(Atom::TRUE | Atom::FALSE)))
        })
    });
    ok && it.tail().is_nil()
}

/// A BIF-style error of an operation: its frame, then the stack.
pub(crate) fn bif_error(run: &mut Run<'_>, op: Op, arity: u32, e: Exception) -> Stop {
    let (_, m, f, _) = OPS[op as usize];
    let (Ok(m), Ok(f)) = (Atom::intern(m), Atom::intern(f)) else {
        return e.into();
    };
    let export = Export::get_or_create(m, f, arity);
    let args = run.x[..arity as usize].to_vec();
    let frame = run.bif_frame(export, &args, &e);
    Stop::Raise(e, bif_head(export, frame))
}

/// What a loading operation answers: a value, or the value of the boot
/// module's `F(Arg)`, which runs a pending `on_load` function in this
/// process first (it may wait in `receive`, load other modules ...).
enum Load {
    Now(Term),
    Boot(&'static str, Term),
}

/// Continues the operation as a call of `enigma_boot:F(Arg)` (the
/// operation's continuation pointer is on the stack).
fn boot_call(run: &mut Run<'_>, f: &str, arg: Term) -> Step {
    run.x[0] = arg;
    run.enter_boot("enigma_boot", f, 1)
}

/// `code:ensure_loaded/1` (`reload` false) and `code:load_file/1`, on the
/// code path the VM was started with (no code server process):
/// `{module, M}` or `{error, nofile | badfile | sticky_directory |
/// on_load_failure}`; a module's `on_load` function runs when it is loaded
/// (`enigma_boot:load_result/1`), a version whose `on_load` another process
/// runs is waited for (`await_result/1`).
fn load_module(run: &mut Run<'_>, m: Atom, reload: bool) -> Result<Load, Stop> {
    if reload && code::is_sticky(m) {
        return failure(run, m, None, "sticky_directory", None);
    }
    let loaded = if reload {
        code::reload(m)
    } else {
        code::ensure_loaded(m)
    };
    let why = match loaded {
        Ok(code::Loaded::New(id)) if code::is_pending(id) => {
            return Ok(Load::Boot("load_result", Term::atom(m)))
        }
        Ok(code::Loaded::Pending) => return Ok(Load::Boot("await_result", Term::atom(m))),
        Ok(_) => {
            let tag = atom("module")?;
            return Ok(Load::Now(run.p.heap.tuple(&[tag, Term::atom(m)])));
        }
        Err(code::CodeError::NotFound(_)) => "nofile",
        Err(e) => {
            let info = bad_file(run, m, &e)?;
            return Ok(Load::Boot("load_failed", info));
        }
    };
    error_tuple(run, why).map(Load::Now)
}

/// What `enigma_boot:load_failed/1` logs for `m`'s file on the code path,
/// which the loader refused with `e` (`badfile`).
pub(crate) fn bad_file(run: &mut Run<'_>, m: Atom, e: &code::CodeError) -> Result<Term, Stop> {
    let file = code::find(m).map(|p| code::absolute(&p));
    let file = file.as_ref().map(|p| p.to_string_lossy());
    failure_info(
        run,
        m,
        Some(file.as_deref().unwrap_or("")),
        "badfile",
        Some(e),
    )
}

/// A failed load, answered by `enigma_boot:load_failed/1`, which logs
/// what erl logs before it returns `{error, Why}`: the loader's report of
/// the file it refused (`err`), and the code server's (when `file` names
/// what the code server was loading; a sticky module has only that one).
fn failure(
    run: &mut Run<'_>,
    m: Atom,
    file: Option<&str>,
    why: &str,
    err: Option<&code::CodeError>,
) -> Result<Load, Stop> {
    let info = failure_info(run, m, file, why, err)?;
    Ok(Load::Boot("load_failed", info))
}

/// `load_failed/1`'s argument: `{M, File | none, Why, Report | none}`.
fn failure_info(
    run: &mut Run<'_>,
    m: Atom,
    file: Option<&str>,
    why: &str,
    err: Option<&code::CodeError>,
) -> Result<Term, Stop> {
    let none = atom("none")?;
    let report = match err.and_then(|e| code::loader_report(m, e)) {
        Some(text) => run.p.heap.string(&text),
        None => none,
    };
    let file = match file {
        Some(f) => run.p.heap.string(f),
        None => none,
    };
    let why = atom(why)?;
    Ok(run.p.heap.tuple(&[Term::atom(m), file, why, report]))
}

/// The atoms of a proper list, sorted by name without duplicates (as
/// `lists:usort/1` orders atoms), or `None`.
fn module_list(t: Term) -> Option<Vec<Atom>> {
    let mut ms = t
        .proper_list()?
        .into_iter()
        .map(Term::as_atom)
        .collect::<Option<Vec<Atom>>>()?;
    ms.sort_by(|a, b| a.name().cmp(b.name()));
    ms.dedup();
    Some(ms)
}

/// `{error, Why}`.
fn error_tuple(run: &mut Run<'_>, why: &str) -> Result<Term, Stop> {
    let why = atom(why)?;
    Ok(run.p.heap.tuple(&[Term::atom(Atom::ERROR), why]))
}

/// `code:load_binary/3`: `{module, M}` (after its `on_load` function ran;
/// if that fails, the previous version stays) or `{error, badfile}`.
/// `erlang:load_module/2` (`file` `None`) runs no `on_load` function: as on
/// BEAM the version stays pending (`{error, on_load}`) until
/// `erlang:call_on_load_function/1` and `finish_after_on_load/2`.
fn load_binary(
    run: &mut Run<'_>,
    m: Atom,
    file: Option<std::path::PathBuf>,
    bytes: &[u8],
) -> Result<Load, Stop> {
    let by_code_server = file.is_some();
    // The code server refuses sticky modules; `erlang:load_module/2` does not.
    if by_code_server && code::is_sticky(m) {
        return failure(run, m, None, "sticky_directory", None);
    }
    let why = match code::load_binary(m, file.clone(), bytes) {
        Ok(code::Loaded::New(id)) if code::is_pending(id) && by_code_server => {
            return Ok(Load::Boot("load_result", Term::atom(m)));
        }
        Ok(code::Loaded::Pending) if by_code_server => {
            return Ok(Load::Boot("await_result", Term::atom(m)));
        }
        Ok(code::Loaded::New(id)) if code::is_pending(id) => "on_load",
        Ok(code::Loaded::Pending) => "on_load",
        Ok(_) => {
            let tag = atom("module")?;
            return Ok(Load::Now(run.p.heap.tuple(&[tag, Term::atom(m)])));
        }
        Err(e) => {
            let file = file.as_ref().map(|f| f.to_string_lossy());
            return failure(run, m, file.as_deref(), "badfile", Some(&e));
        }
    };
    error_tuple(run, why).map(Load::Now)
}

fn decode_chunk(run: &mut Run<'_>, bytes: &[u8]) -> Term {
    if bytes.is_empty() {
        return Term::NIL;
    }
    enigma_vm::etf::decode(bytes, &mut run.p.heap).unwrap_or(Term::NIL)
}

/// `Mod:module_info(Key)`; `None` for an unknown key.
fn module_info(run: &mut Run<'_>, m: &Module, key: Term) -> Result<Option<Term>, Stop> {
    let Some(key) = key.as_atom() else {
        return Ok(None);
    };
    let v = match key.name() {
        "module" => Term::atom(m.name),
        "md5" => run.p.heap.binary(&m.md5),
        "exports" => {
            // Newest export entry first, as BEAM walks its export table.
            let mut exports: Vec<&Export> = m.exports.iter().map(|(e, _)| *e).collect();
            exports.sort_by_key(|e| std::cmp::Reverse(e.created));
            let items: Vec<Term> = exports
                .iter()
                .map(|e| {
                    run.p
                        .heap
                        .tuple(&[Term::atom(e.function), Term::small(e.arity as i64)])
                })
                .collect();
            run.p.heap.list(&items)
        }
        "functions" => {
            let items: Vec<Term> = m
                .functions
                .iter()
                .map(|f| {
                    run.p
                        .heap
                        .tuple(&[Term::atom(f.name), Term::small(f.arity as i64)])
                })
                .collect();
            run.p.heap.list(&items)
        }
        "attributes" => decode_chunk(run, &m.attributes),
        "compile" => decode_chunk(run, &m.compile_info),
        "native" => Term::FALSE,
        "nifs" => Term::NIL,
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// `Mod:module_info()`.
fn module_info_all(run: &mut Run<'_>, m: &Module) -> Result<Term, Stop> {
    let mut items = Vec::new();
    for key in ["module", "exports", "attributes", "compile", "md5"] {
        let k = atom(key)?;
        if let Some(v) = module_info(run, m, k)? {
            items.push(run.p.heap.tuple(&[k, v]));
        }
    }
    Ok(run.p.heap.list(&items))
}

/// `erlang:fun_info(Fun, Item)`.
fn fun_info(run: &mut Run<'_>, f: Term, item: Term) -> Result<Option<Term>, Stop> {
    let Some(key) = item.as_atom() else {
        return Ok(None);
    };
    if fun_arity(f).is_none() {
        return Ok(None);
    }
    let v = if let Some(e) = f.as_export() {
        match key.name() {
            "arity" => Term::small(e.arity as i64),
            "module" => Term::atom(e.module),
            "name" => Term::atom(e.function),
            "type" => atom("external")?,
            "env" => Term::NIL,
            "pid" | "index" | "new_index" | "new_uniq" | "uniq" => Term::atom(Atom::UNDEFINED),
            _ => return Ok(None),
        }
    } else {
        let Some(c) = f.as_closure() else {
            return Ok(None);
        };
        let entry = c.entry();
        match key.name() {
            "arity" => Term::small(entry.arity as i64),
            "module" => Term::atom(entry.module),
            "name" => {
                let addr = entry.address.load(Ordering::Acquire);
                let (id, pc) = code::split(addr);
                let name = code::module(id)
                    .and_then(|m| m.function_at(pc))
                    .map(|f| f.name)
                    .unwrap_or(Atom::UNDEFINED);
                Term::atom(name)
            }
            "type" => atom("local")?,
            "env" => {
                let free = c.free_vars().to_vec();
                run.p.heap.list(&free)
            }
            "pid" => c.creator(),
            "index" => Term::small(entry.old_index as i64),
            "new_index" => Term::small(entry.index as i64),
            "uniq" => Term::small(entry.old_uniq as i64),
            "new_uniq" => run.p.heap.binary(&entry.uniq),
            _ => return Ok(None),
        }
    };
    let pair = run.p.heap.tuple(&[item, v]);
    Ok(Some(pair))
}

/// `erlang:fun_to_list/1`'s text: `fun M:F/A` for an external fun,
/// `#Fun<M.OldIndex.OldUniq>` for a closure.
fn fun_text(f: Term) -> Option<String> {
    if let Some(e) = f.as_export() {
        return Some(format!(
            "fun {}:{}/{}",
            enigma_vm::term::print::quote_atom(e.module.name()),
            enigma_vm::term::print::quote_atom(e.function.name()),
            e.arity
        ));
    }
    let entry = f.as_closure()?.entry();
    Some(format!(
        "#Fun<{}.{}.{}>",
        entry.module.name(),
        entry.old_index,
        entry.old_uniq
    ))
}

/// The map of the last `{error_info, Map}` in `erlang:error/3`'s options.
/// BEAM ignores the options unless they are a proper list of such pairs.
fn error_info_option(options: Term) -> Option<Term> {
    let tag = Term::atom(Atom::intern("error_info").ok()?);
    options.proper_list()?;
    let mut info = None;
    for o in options.list_iter() {
        let t = o.as_tuple().filter(|t| t.len() == 2)?;
        let map = t.get(1).filter(|m| t.get(0) == Some(tag) && m.is_map())?;
        info = Some(map);
    }
    info
}
