//! Timers: `receive ... after` timeouts and `erlang:send_after/start_timer`
//! messages, on a hierarchical timer wheel (BEAM's structure, laid out as
//! tokio's).
//!
//! Time is counted in ticks of one millisecond from the wheel's creation;
//! a timer sits in the tick its deadline rounds up to. Six levels of 64
//! slots each cover 64^6 ticks (795 days, past Erlang's longest timeout of
//! 2^32 - 1 ms): level `k`'s slots are 64^k ticks wide, and a timer goes to
//! the lowest level whose current span holds its tick. Advancing the wheel
//! visits only occupied slots (a bit mask per level): a level-0 slot's
//! timers are due; a higher slot's are moved down (cascaded) when the
//! wheel reaches the slot's start. A timer further away than the top
//! level's span (only a caller past Erlang's limits makes one) waits in
//! the top level and is put back there each time its slot comes round.
//!
//! Insertion and cancellation are O(1) (a timer knows its slot and index
//! in it, and leaves by `swap_remove`); cancelled timers leave nothing
//! behind. Timers of ticks the wheel has reached wait in `due`, ordered by
//! exact deadline then creation (ids grow): within a millisecond, and
//! across slots, timers fire in exact deadline order with ties in creation
//! order, as the heap this replaced did. The earliest deadline, which an
//! idle scheduler sleeps until, is the top of `due` or the earliest
//! deadline in the first occupied slot.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

use ahash::AHashMap;
use enigma_vm::process::Message;
use enigma_vm::term::Term;

/// What a timer does when it fires.
pub(crate) enum Action {
    /// Ends the `receive` of process `proc_` if it still waits with this
    /// timer.
    Receive { proc_: u32 },
    /// Sends `msg` to `dest`, a pid or a registered name looked up when
    /// the timer fires.
    Send { dest: Term, msg: Message },
}

/// A pending timer.
pub(crate) struct Timer {
    /// When it fires.
    pub deadline: Instant,
    /// What it does then.
    pub action: Action,
}

/// Bits of a tick number each level decodes: 64 slots a level.
const BITS: u32 = 6;
const SLOTS: u64 = 1 << BITS;
const LEVELS: usize = 6;
/// Ticks the wheel spans.
const HORIZON: u64 = 1 << (BITS as u64 * LEVELS as u64);
/// Nanoseconds a tick.
const TICK_NS: u128 = 1_000_000;

/// Where a pending timer is.
#[derive(Clone, Copy)]
enum Place {
    /// In slot `slot` of level `level`, at `index` in it.
    Wheel { level: u8, slot: u8, index: u32 },
    /// In `due`: its tick has been reached.
    Due,
}

struct Entry {
    timer: Timer,
    tick: u64,
    place: Place,
}

/// One level of the wheel: its slots' timer ids, and which are occupied.
struct Level {
    slots: [Vec<u64>; SLOTS as usize],
    occupied: u64,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            slots: std::array::from_fn(|_| Vec::new()),
            occupied: 0,
        }
    }
}

/// The next slot to visit: its level, slot and first tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Expiration {
    level: usize,
    slot: usize,
    tick: u64,
}

/// Every pending timer, by id (the key of its reference).
pub(crate) struct Timers {
    /// Tick 0.
    origin: Instant,
    /// Every tick up to this one has been reached: its timers are in
    /// `due`, and the wheel holds later ones.
    elapsed: u64,
    levels: Box<[Level; LEVELS]>,
    /// Timers whose tick has been reached, by deadline and id (those
    /// cancelled since are skipped when they reach the top).
    due: BinaryHeap<Reverse<(Instant, u64)>>,
    live: AHashMap<u64, Entry>,
}

impl Default for Timers {
    fn default() -> Self {
        Timers {
            origin: Instant::now(),
            elapsed: 0,
            levels: Box::new(std::array::from_fn(|_| Level::default())),
            due: BinaryHeap::new(),
            live: AHashMap::default(),
        }
    }
}

/// The level a timer of tick `tick` goes to when the wheel is at
/// `elapsed`: the one whose span holds the highest bit in which they
/// differ (the top level beyond the horizon).
fn level_for(elapsed: u64, tick: u64) -> usize {
    let masked = ((elapsed ^ tick) | (SLOTS - 1)).min(HORIZON - 1);
    let significant = 63 - masked.leading_zeros();
    (significant / BITS) as usize
}

/// The slot of tick `tick` at level `level`.
fn slot_for(tick: u64, level: usize) -> usize {
    ((tick >> (level as u32 * BITS)) % SLOTS) as usize
}

impl Level {
    /// The first occupied slot at or after the wheel's position `elapsed`
    /// (wrapping round), with its first tick.
    fn next_expiration(&self, level: usize, elapsed: u64) -> Option<Expiration> {
        if self.occupied == 0 {
            return None;
        }
        let shift = level as u32 * BITS;
        let now_slot = (elapsed >> shift) % SLOTS;
        let ahead = u64::from(self.occupied.rotate_right(now_slot as u32).trailing_zeros());
        let slot = (now_slot + ahead) % SLOTS;
        let level_span = 1u64 << (shift + BITS);
        let mut tick = (elapsed & !(level_span - 1)) + (slot << shift);
        if tick <= elapsed {
            tick += level_span;
        }
        Some(Expiration {
            level,
            slot: slot as usize,
            tick,
        })
    }
}

impl Timers {
    /// Adds timer `id`.
    pub fn insert(&mut self, id: u64, timer: Timer) {
        // Ids are fresh keys; one given twice replaces the first.
        self.cancel(id);
        let tick = self.tick_of(timer.deadline);
        let place = self.place(id, tick, timer.deadline);
        self.live.insert(id, Entry { timer, tick, place });
    }

    /// Removes timer `id`, returning it if it had not fired.
    pub fn cancel(&mut self, id: u64) -> Option<Timer> {
        let e = self.live.remove(&id)?;
        if let Place::Wheel { level, slot, index } = e.place {
            let level = &mut self.levels[level as usize];
            let ids = &mut level.slots[slot as usize];
            ids.swap_remove(index as usize);
            match ids.get(index as usize) {
                Some(moved) => {
                    if let Some(m) = self.live.get_mut(moved) {
                        m.place = e.place;
                    }
                }
                None if ids.is_empty() => level.occupied &= !(1 << slot),
                None => {}
            }
        }
        Some(e.timer)
    }

    /// Timer `id`, if pending.
    pub fn get(&self, id: u64) -> Option<&Timer> {
        self.live.get(&id).map(|e| &e.timer)
    }

    /// The earliest pending deadline.
    pub fn next_deadline(&mut self) -> Option<Instant> {
        let due = self.due_top().map(|(deadline, _)| deadline);
        let wheel = self.next_expiration().map(|e| {
            let ids = &self.levels[e.level].slots[e.slot];
            let earliest = ids
                .iter()
                .filter_map(|id| self.live.get(id))
                .map(|entry| entry.timer.deadline)
                .min();
            // A timer beyond the horizon sits in a slot that comes round
            // before its deadline: wake when the slot ends, to move it on.
            let slot_end = self.instant_of(e.tick + (1 << (e.level as u32 * BITS)));
            earliest.map_or(slot_end, |d| d.min(slot_end))
        });
        match (due, wheel) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Takes out the earliest timer whose deadline is at or before `now`.
    pub fn pop_due(&mut self, now: Instant) -> Option<Timer> {
        self.advance(self.tick_of(now));
        let (deadline, id) = self.due_top()?;
        if deadline > now {
            return None;
        }
        self.due.pop();
        self.live.remove(&id).map(|e| e.timer)
    }

    /// Whether no timer is pending.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// The tick a deadline falls in (rounded up: a timer never fires
    /// early).
    fn tick_of(&self, t: Instant) -> u64 {
        let ns = t.saturating_duration_since(self.origin).as_nanos();
        u64::try_from(ns.div_ceil(TICK_NS)).unwrap_or(u64::MAX)
    }

    /// The instant tick `tick` ends at (the far future past the clock's
    /// range).
    fn instant_of(&self, tick: u64) -> Instant {
        let far = Duration::from_secs(u64::from(u32::MAX));
        self.origin
            .checked_add(Duration::from_millis(tick))
            .or_else(|| self.origin.checked_add(far))
            .unwrap_or(self.origin)
    }

    /// Puts timer `id` of tick `tick` where it belongs: `due` once the
    /// wheel has reached its tick, else its slot.
    fn place(&mut self, id: u64, tick: u64, deadline: Instant) -> Place {
        if tick <= self.elapsed {
            self.due.push(Reverse((deadline, id)));
            return Place::Due;
        }
        let level = level_for(self.elapsed, tick);
        let slot = slot_for(tick, level);
        let l = &mut self.levels[level];
        let index = l.slots[slot].len() as u32;
        l.slots[slot].push(id);
        l.occupied |= 1 << slot;
        Place::Wheel {
            level: level as u8,
            slot: slot as u8,
            index,
        }
    }

    /// The next occupied slot: the lowest level's first (a level's
    /// timers all come before any slot of the levels above starts).
    fn next_expiration(&self) -> Option<Expiration> {
        let elapsed = self.elapsed;
        (self.levels.iter().enumerate()).find_map(|(k, l)| l.next_expiration(k, elapsed))
    }

    /// Moves the wheel to tick `target`: the timers of every tick up to it
    /// go to `due`, those of higher slots reached on the way move down.
    fn advance(&mut self, target: u64) {
        while let Some(e) = self.next_expiration().filter(|e| e.tick <= target) {
            self.elapsed = e.tick;
            let level = &mut self.levels[e.level];
            let mut ids = std::mem::take(&mut level.slots[e.slot]);
            level.occupied &= !(1 << e.slot);
            for &id in &ids {
                let Some(entry) = self.live.get(&id) else {
                    continue;
                };
                let (tick, deadline) = (entry.tick, entry.timer.deadline);
                let place = self.place(id, tick, deadline);
                if let Some(entry) = self.live.get_mut(&id) {
                    entry.place = place;
                }
            }
            // Keep the slot's allocation unless a timer went back to it.
            let slot = &mut self.levels[e.level].slots[e.slot];
            if slot.is_empty() {
                ids.clear();
                *slot = ids;
            }
        }
        self.elapsed = self.elapsed.max(target);
    }

    /// The earliest entry of `due` still pending (cancelled ones dropped).
    fn due_top(&mut self) -> Option<(Instant, u64)> {
        while let Some(&Reverse((deadline, id))) = self.due.peek() {
            if self
                .live
                .get(&id)
                .is_some_and(|e| matches!(e.place, Place::Due))
            {
                return Some((deadline, id));
            }
            self.due.pop();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn timer(at: Instant, n: u64) -> Timer {
        Timer {
            deadline: at,
            action: Action::Receive { proc_: n as u32 },
        }
    }

    fn proc_of(t: Timer) -> u32 {
        match t.action {
            Action::Receive { proc_ } => proc_,
            Action::Send { .. } => u32::MAX,
        }
    }

    fn fire_until(t: &mut Timers, now: Instant) -> Vec<u32> {
        std::iter::from_fn(|| t.pop_due(now)).map(proc_of).collect()
    }

    /// Ids in slots and in `due`, against the live timers.
    fn check_places(t: &Timers) {
        let mut in_slots = 0;
        for (k, level) in t.levels.iter().enumerate() {
            for (s, ids) in level.slots.iter().enumerate() {
                assert_eq!(level.occupied >> s & 1 == 1, !ids.is_empty());
                for (i, id) in ids.iter().enumerate() {
                    let e = &t.live[id];
                    assert!(matches!(e.place, Place::Wheel { level, slot, index }
                        if (level as usize, slot as usize, index as usize) == (k, s, i)));
                    assert!(e.tick > t.elapsed);
                    in_slots += 1;
                }
            }
        }
        let due = t.live.values().filter(|e| matches!(e.place, Place::Due));
        assert_eq!(in_slots + due.count(), t.live.len());
    }

    #[test]
    fn fire_in_deadline_order_ties_in_creation_order() {
        let base = Instant::now();
        let mut t = Timers::default();
        t.insert(1, timer(base + Duration::from_millis(30), 1));
        t.insert(2, timer(base + Duration::from_millis(10), 2));
        t.insert(3, timer(base + Duration::from_millis(20), 3));
        t.insert(4, timer(base + Duration::from_millis(10), 4));
        assert_eq!(t.next_deadline(), Some(base + Duration::from_millis(10)));
        assert!(t.pop_due(base).is_none());
        assert_eq!(
            fire_until(&mut t, base + Duration::from_millis(100)),
            [2, 4, 3, 1]
        );
        assert!(t.is_empty());
    }

    #[test]
    fn cancelled_timers_never_fire_and_leave_nothing() {
        let base = Instant::now();
        let mut t = Timers::default();
        for id in 0..1000u64 {
            t.insert(id, timer(base + Duration::from_millis(id * 37), id));
        }
        for id in (0..1000u64).filter(|id| id % 10 != 0) {
            assert!(t.cancel(id).is_some());
        }
        assert!(t.cancel(1).is_none());
        assert!(t.get(5).is_none() && t.get(10).is_some());
        check_places(&t);
        let slotted: usize = t
            .levels
            .iter()
            .flat_map(|l| l.slots.iter())
            .map(Vec::len)
            .sum();
        assert_eq!(slotted + t.due.len(), 100);
        let fired = fire_until(&mut t, base + Duration::from_secs(100));
        assert_eq!(fired, (0..100).map(|i| i * 10).collect::<Vec<u32>>());
        assert_eq!(t.next_deadline(), None);
    }

    #[test]
    fn sub_millisecond_deadlines_keep_their_order_and_never_fire_early() {
        let base = Instant::now();
        let mut t = Timers::default();
        let at = |us: u64| base + Duration::from_micros(us);
        t.insert(1, timer(at(5_900), 1));
        t.insert(2, timer(at(5_100), 2));
        t.insert(3, timer(at(5_500), 3));
        assert_eq!(t.next_deadline(), Some(at(5_100)));
        assert_eq!(fire_until(&mut t, at(5_499)), [2]);
        assert_eq!(t.next_deadline(), Some(at(5_500)));
        assert_eq!(fire_until(&mut t, at(5_500)), [3]);
        assert_eq!(fire_until(&mut t, at(6_000)), [1]);
    }

    #[test]
    fn timers_cascade_down_from_every_level() {
        let base = Instant::now();
        let mut t = Timers::default();
        // One timer per level, and a few beside each.
        let delays: Vec<u64> = (0..LEVELS as u32)
            .flat_map(|k| {
                let span = SLOTS.pow(k);
                [span * 2 + 3, span * 2 + 1, span * 63]
            })
            .collect();
        for (i, &ms) in delays.iter().enumerate() {
            t.insert(i as u64, timer(base + Duration::from_millis(ms), i as u64));
        }
        check_places(&t);
        let mut order: Vec<(u64, u32)> = (0..delays.len() as u32)
            .map(|i| (delays[i as usize], i))
            .collect();
        order.sort();
        let mut fired = Vec::new();
        for &(ms, i) in &order {
            let at = base + Duration::from_millis(ms);
            assert_eq!(t.next_deadline(), Some(at), "before timer {i}");
            assert!(t.pop_due(at - Duration::from_micros(1)).is_none());
            fired.extend(fire_until(&mut t, at));
            check_places(&t);
        }
        assert_eq!(fired, order.iter().map(|&(_, i)| i).collect::<Vec<u32>>());
        assert!(t.is_empty());
    }

    #[test]
    fn a_timer_past_the_horizon_waits_for_its_deadline() {
        let base = Instant::now();
        let mut t = Timers::default();
        let far = base + Duration::from_millis(HORIZON * 3 + 12_345);
        t.insert(1, timer(far, 1));
        t.insert(2, timer(base + Duration::from_millis(HORIZON + 5), 2));
        let mut now = base;
        let mut fired = Vec::new();
        // Follow the deadlines the keeper would sleep until.
        while let Some(d) = t.next_deadline() {
            assert!(d >= now && d <= far);
            now = d;
            fired.extend(fire_until(&mut t, now));
            check_places(&t);
        }
        assert_eq!(fired, [2, 1]);
        assert_eq!(now, far);
    }

    #[test]
    fn a_deadline_already_past_fires_at_once() {
        let base = Instant::now();
        let mut t = Timers::default();
        assert!(t.pop_due(base + Duration::from_millis(50)).is_none());
        t.insert(7, timer(base + Duration::from_millis(10), 7));
        assert_eq!(t.next_deadline(), Some(base + Duration::from_millis(10)));
        assert_eq!(fire_until(&mut t, base + Duration::from_millis(50)), [7]);
    }

    /// Random inserts, cancellations and clock steps against a sorted list.
    #[test]
    fn matches_a_sorted_model() {
        let base = Instant::now();
        let mut t = Timers::default();
        let mut model: Vec<(Instant, u64)> = Vec::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut rand = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut now = base;
        for id in 0..20_000u64 {
            match rand(10) {
                0..=4 => {
                    let scale = [1_000, 1_000_000, 100_000_000, 10_000_000_000][rand(4) as usize];
                    let at = now + Duration::from_micros(rand(scale));
                    t.insert(id, timer(at, id));
                    model.push((at, id));
                }
                5 | 6 if !model.is_empty() => {
                    let (_, victim) = model.swap_remove(rand(model.len() as u64) as usize);
                    assert!(t.cancel(victim).is_some());
                }
                _ => {
                    now += Duration::from_micros(rand(5_000_000));
                    model.sort();
                    let cut = model.partition_point(|&(at, _)| at <= now);
                    let expected: Vec<u32> = model.drain(..cut).map(|(_, i)| i as u32).collect();
                    assert_eq!(fire_until(&mut t, now), expected);
                }
            }
            model.sort();
            if id % 97 == 0 {
                assert_eq!(t.next_deadline(), model.first().map(|&(at, _)| at));
                check_places(&t);
            }
        }
        assert_eq!(t.live.len(), model.len());
    }
}
