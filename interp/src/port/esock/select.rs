//! The `select` half of `prim_socket` (BEAM's `enif_select` on a socket):
//! a NIF whose call would block registers its caller here with the
//! message to send when the socket is ready (`{'$socket', Socket, select,
//! Handle}`); one thread waits in `poll(2)` on every registered socket
//! and a wake pipe, sends each message once and forgets it. A waiter
//! counts as a source of messages (`sched::external_source`) so that a
//! process waiting for its socket is not taken for a deadlock.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use enigma_vm::process::Message;
use enigma_vm::term::Term;

use super::super::sock;
use crate::sched;

/// What a waiter waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    /// `accept`.
    Accept,
    /// `connect`.
    Connect,
    /// `send`, `sendto`, `sendmsg`.
    Send,
    /// `recv`, `recvfrom`, `recvmsg`.
    Recv,
}

impl Op {
    fn events(self) -> i16 {
        match self {
            Op::Accept | Op::Recv => libc::POLLIN,
            Op::Connect | Op::Send => libc::POLLOUT,
        }
    }
}

/// A process waiting for a socket to be ready.
pub struct Waiter {
    /// The socket's number ([`super::Sock::id`]).
    pub sock: u64,
    fd: RawFd,
    /// What it waits for.
    pub op: Op,
    /// The waiting process.
    pub pid: Term,
    ready: Message,
    /// What it is told if the socket closes first (`{'$socket', Socket,
    /// abort, {Handle, closed}}`).
    pub abort: Message,
}

struct Poller {
    waiters: Mutex<Vec<Waiter>>,
    /// Waits whose message went and that their process has not taken up
    /// again (a new call on the socket, or `cancel`): `(sock, op, pid)`.
    sent: Mutex<Vec<(u64, Op, Term)>>,
    wake_read: OwnedFd,
    wake_write: OwnedFd,
    /// Rounds of the thread's loop, so that a closer can wait for it to
    /// have left a `poll(2)` holding the socket.
    rounds: AtomicU64,
    polling: AtomicBool,
}

static POLLER: OnceLock<Option<Poller>> = OnceLock::new();

fn poller() -> Option<&'static Poller> {
    POLLER
        .get_or_init(|| {
            let mut fds = [0 as RawFd; 2];
            // SAFETY: `fds` is a writable array of two descriptors.
            let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) };
            if r < 0 {
                return None;
            }
            // SAFETY: both are fresh descriptors nobody else owns.
            let (wake_read, wake_write) =
                unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
            std::thread::Builder::new()
                .name("socket-select".into())
                .spawn(run)
                .ok()?;
            Some(Poller {
                waiters: Mutex::new(Vec::new()),
                sent: Mutex::new(Vec::new()),
                wake_read,
                wake_write,
                rounds: AtomicU64::new(0),
                polling: AtomicBool::new(false),
            })
        })
        .as_ref()
}

impl Poller {
    fn wake(&self) {
        let b = 1u8;
        // SAFETY: one readable byte; a failure (a full pipe) needs nothing.
        let _ = unsafe { libc::write(self.wake_write.as_raw_fd(), (&raw const b).cast(), 1) };
    }

    fn drain(&self) {
        let mut buf = [0u8; 64];
        // SAFETY: `buf` is writable for its whole length, which is passed.
        while unsafe {
            libc::read(
                self.wake_read.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        } > 0
        {}
    }
}

/// The thread: polls every waiter's socket, sends the ready ones their
/// message.
fn run() {
    let p = loop {
        if let Some(Some(p)) = POLLER.get() {
            break p;
        }
        std::thread::yield_now();
    };
    loop {
        let mut fds = vec![(p.wake_read.as_raw_fd(), libc::POLLIN)];
        fds.extend(p.waiters.lock().iter().map(|w| (w.fd, w.op.events())));
        p.polling.store(true, Ordering::SeqCst);
        let rev = sock::poll(&fds, -1);
        p.polling.store(false, Ordering::SeqCst);
        p.rounds.fetch_add(1, Ordering::SeqCst);
        if rev[0] != 0 {
            p.drain();
        }
        let ready: Vec<(RawFd, i16)> = fds[1..]
            .iter()
            .zip(&rev[1..])
            .filter(|(_, &r)| r != 0)
            .map(|(&(fd, _), &r)| (fd, r))
            .collect();
        if ready.is_empty() {
            continue;
        }
        let fired: Vec<Waiter> = {
            let mut ws = p.waiters.lock();
            let all = std::mem::take(&mut *ws);
            let (fired, kept) = all.into_iter().partition(|w| {
                ready
                    .iter()
                    .any(|&(fd, r)| fd == w.fd && r & (w.op.events() | ERRORS) != 0)
            });
            *ws = kept;
            fired
        };
        p.sent
            .lock()
            .extend(fired.iter().map(|w| (w.sock, w.op, w.pid)));
        for w in fired {
            sched::deliver(w.pid, w.ready);
            sched::external_source(false);
        }
    }
}

/// What ends a wait whatever it waits for.
const ERRORS: i16 = libc::POLLERR | libc::POLLHUP | libc::POLLNVAL;

/// Registers `pid` to get `ready` when socket `sock` (descriptor `fd`)
/// is ready for `op`, or `abort` if it closes first; false if the thread
/// could not start.
pub fn add(sock: u64, fd: RawFd, op: Op, pid: Term, ready: Message, abort: Message) -> bool {
    let Some(p) = poller() else {
        return false;
    };
    sched::external_source(true);
    p.waiters.lock().push(Waiter {
        sock,
        fd,
        op,
        pid,
        ready,
        abort,
    });
    p.wake();
    true
}

/// What [`cancel`] found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cancelled {
    /// A wait, now dropped.
    Waiting,
    /// A wait whose message went already.
    Sent,
    /// Nothing.
    NotFound,
}

/// Drops `pid`'s wait for `op` on socket `sock` (and the record of one
/// whose message went): what there was.
pub fn cancel(sock: u64, op: Op, pid: Term) -> Cancelled {
    let Some(p) = poller() else {
        return Cancelled::NotFound;
    };
    let mut ws = p.waiters.lock();
    let before = ws.len();
    ws.retain(|w| !(w.sock == sock && w.op == op && w.pid == pid));
    let gone = before - ws.len();
    drop(ws);
    for _ in 0..gone {
        sched::external_source(false);
    }
    let mut sent = p.sent.lock();
    let before = sent.len();
    sent.retain(|&(s, o, who)| !(s == sock && o == op && who == pid));
    let was_sent = sent.len() < before;
    if gone > 0 {
        Cancelled::Waiting
    } else if was_sent {
        Cancelled::Sent
    } else {
        Cancelled::NotFound
    }
}

/// How many wait for `op` on socket `sock` (`info/1`'s counts).
pub fn count(sock: u64, op: Op) -> usize {
    poller().map_or(0, |p| {
        p.waiters
            .lock()
            .iter()
            .filter(|w| w.sock == sock && w.op == op)
            .count()
    })
}

/// Drops every wait on socket `sock`, which is closing, and answers them;
/// waits (up to a second) for the thread to leave a `poll(2)` that holds
/// the socket, so that it is closed when the caller drops it.
pub(super) fn forget(sock: u64) -> Vec<Waiter> {
    let Some(p) = poller() else {
        return Vec::new();
    };
    let gone: Vec<Waiter> = {
        let mut ws = p.waiters.lock();
        let all = std::mem::take(&mut *ws);
        let (gone, kept) = all.into_iter().partition(|w| w.sock == sock);
        *ws = kept;
        gone
    };
    p.sent.lock().retain(|&(s, _, _)| s != sock);
    if !gone.is_empty() {
        let round = p.rounds.load(Ordering::SeqCst);
        p.wake();
        let until = Instant::now() + Duration::from_secs(1);
        while p.polling.load(Ordering::SeqCst)
            && p.rounds.load(Ordering::SeqCst) == round
            && Instant::now() < until
        {
            std::thread::yield_now();
        }
        for _ in &gone {
            sched::external_source(false);
        }
    }
    gone
}
