//! The bit syntax rules.

use super::{bad, Tx, R};
use crate::code::instr::{BsAppend, BsCreateBin, BsGet, BsKind, BsSegment, StartU8Eq};
use crate::code::{Fail, Instr, Reg, Span, Src, SrcKind};
use crate::loader::compact::{Operand, Reg as CReg};
use crate::loader::generic::GenInstr;
use crate::loader::genop::GenOp;
use crate::term::Term;

/// `BSF_LITTLE`, `BSF_SIGNED` and `BSF_NATIVE`.
const LITTLE: u32 = 2;
const SIGNED: u32 = 4;
const NATIVE: u32 = 16;

/// The bits of a `bs_get_integer2` that `BsGetUint` can do: a literal size
/// of 1 to 59 bits (an unsigned result is then a small integer), unsigned,
/// and big-endian unless it is at most one byte.
fn uint_bits(get: &BsGet) -> Option<u32> {
    let size = match get.size.kind() {
        SrcKind::Const(t) => t.as_small()?,
        _ => return None,
    };
    let bits = u32::try_from(size).ok()?.checked_mul(get.unit)?;
    let endian_free = get.flags & (LITTLE | NATIVE) == 0 || bits <= 8;
    ((1..=59).contains(&bits) && get.flags & SIGNED == 0 && endian_free).then_some(bits)
}

/// Whether two operands name the same register (either maybe typed).
fn same_reg(a: &Operand, b: &Operand) -> bool {
    let reg = |op: &Operand| match *op {
        Operand::X(n) | Operand::TypedReg(CReg::X(n), _) => Some((false, n)),
        Operand::Y(n) | Operand::TypedReg(CReg::Y(n), _) => Some((true, n)),
        _ => None,
    };
    reg(a).is_some_and(|r| reg(b) == Some(r))
}

impl Tx<'_> {
    /// Bit syntax instructions.
    pub(super) fn binary(&mut self, ins: &GenInstr) -> R<Instr> {
        let a = ins.args.as_slice();
        use GenOp as G;
        Ok(match ins.op {
            G::BsCreateBin => Instr::BsCreateBin(Box::new(self.bs_create_bin(ins)?)),
            G::BsInit2 | G::BsInitBits => {
                let (fail, size) = (self.fail(ins, &a[0])?, self.src(ins, &a[1])?);
                let (words, live) = (self.u(ins, &a[2])?, self.live(ins, &a[3])?);
                let (flags, dst) = (self.flags(ins, &a[4])?, self.reg(ins, &a[5])?);
                if ins.op == G::BsInit2 {
                    Instr::BsInit2 {
                        fail,
                        size,
                        words,
                        live,
                        flags,
                        dst,
                    }
                } else {
                    Instr::BsInitBits {
                        fail,
                        size,
                        words,
                        live,
                        flags,
                        dst,
                    }
                }
            }
            G::BsAdd => Instr::BsAdd {
                fail: self.fail(ins, &a[0])?,
                a: self.src(ins, &a[1])?,
                b: self.src(ins, &a[2])?,
                unit: self.u(ins, &a[3])?,
                dst: self.reg(ins, &a[4])?,
            },
            G::BsAppend => Instr::BsAppend(Box::new(BsAppend {
                fail: self.fail(ins, &a[0])?,
                size: self.src(ins, &a[1])?,
                extra: self.u(ins, &a[2])?,
                live: self.live(ins, &a[3])?,
                unit: self.u(ins, &a[4])?,
                bin: self.src(ins, &a[5])?,
                flags: self.flags(ins, &a[6])?,
                dst: self.reg(ins, &a[7])?,
            })),
            G::BsPrivateAppend => Instr::BsPrivateAppend {
                fail: self.fail(ins, &a[0])?,
                size: self.src(ins, &a[1])?,
                unit: self.u(ins, &a[2])?,
                bin: self.src(ins, &a[3])?,
                flags: self.flags(ins, &a[4])?,
                dst: self.reg(ins, &a[5])?,
            },
            G::BsInitWritable => Instr::BsInitWritable,
            G::BsPutInteger | G::BsPutBinary | G::BsPutFloat => {
                let (fail, size) = (self.fail(ins, &a[0])?, self.src(ins, &a[1])?);
                let (unit, flags, src) = (
                    self.u(ins, &a[2])?,
                    self.flags(ins, &a[3])?,
                    self.src(ins, &a[4])?,
                );
                match ins.op {
                    G::BsPutInteger => Instr::BsPutInteger {
                        fail,
                        size,
                        unit,
                        flags,
                        src,
                    },
                    G::BsPutBinary => Instr::BsPutBinary {
                        fail,
                        size,
                        unit,
                        flags,
                        src,
                    },
                    _ => Instr::BsPutFloat {
                        fail,
                        size,
                        unit,
                        flags,
                        src,
                    },
                }
            }
            G::BsPutString => {
                let (len, off) = (self.u(ins, &a[0])?, self.u(ins, &a[1])?);
                Instr::BsPutString {
                    string: self.string(ins, off, len)?,
                }
            }
            G::BsPutUtf8 | G::BsPutUtf16 | G::BsPutUtf32 => {
                let (fail, flags, src) = (
                    self.fail(ins, &a[0])?,
                    self.flags(ins, &a[1])?,
                    self.src(ins, &a[2])?,
                );
                match ins.op {
                    G::BsPutUtf8 => Instr::BsPutUtf8 { fail, flags, src },
                    G::BsPutUtf16 => Instr::BsPutUtf16 { fail, flags, src },
                    _ => Instr::BsPutUtf32 { fail, flags, src },
                }
            }
            G::BsUtf8Size | G::BsUtf16Size => {
                let (fail, src, dst) = (
                    self.fail(ins, &a[0])?,
                    self.src(ins, &a[1])?,
                    self.reg(ins, &a[2])?,
                );
                if ins.op == G::BsUtf8Size {
                    Instr::BsUtf8Size { fail, src, dst }
                } else {
                    Instr::BsUtf16Size { fail, src, dst }
                }
            }
            G::BsStartMatch3 => Instr::BsStartMatch {
                fail: self.fail(ins, &a[0])?,
                src: self.src(ins, &a[1])?,
                live: self.live(ins, &a[2])?,
                dst: self.reg(ins, &a[3])?,
            },
            G::BsStartMatch4 => {
                let (live, src, dst) = (
                    self.live(ins, &a[1])?,
                    self.src(ins, &a[2])?,
                    self.reg(ins, &a[3])?,
                );
                match &a[0] {
                    Operand::Atom(m) if m.name() == "resume" => {
                        Instr::BsStartMatchResume { src, dst }
                    }
                    Operand::Atom(m) if m.name() == "no_fail" => Instr::BsStartMatch {
                        fail: Fail::NONE,
                        src,
                        live,
                        dst,
                    },
                    f => Instr::BsStartMatch {
                        fail: self.fail(ins, f)?,
                        src,
                        live,
                        dst,
                    },
                }
            }
            G::BsGetInteger2 | G::BsGetFloat2 | G::BsGetBinary2 => {
                let get = Box::new(BsGet {
                    fail: self.fail(ins, &a[0])?,
                    ctx: self.reg(ins, &a[1])?,
                    live: self.live(ins, &a[2])?,
                    size: self.src(ins, &a[3])?,
                    unit: self.u(ins, &a[4])?,
                    flags: self.flags(ins, &a[5])?,
                    dst: self.reg(ins, &a[6])?,
                });
                let (fail, ctx, dst) = (get.fail, get.ctx, get.dst);
                match ins.op {
                    G::BsGetInteger2 => match uint_bits(&get) {
                        Some(8) => Instr::BsGetU8 { fail, ctx, dst },
                        Some(16) => Instr::BsGetU16 { fail, ctx, dst },
                        Some(32) => Instr::BsGetU32 { fail, ctx, dst },
                        Some(bits) => Instr::BsGetUint {
                            fail,
                            ctx,
                            bits,
                            dst,
                        },
                        None => Instr::BsGetInteger2(get),
                    },
                    G::BsGetFloat2 => Instr::BsGetFloat2(get),
                    _ => Instr::BsGetBinary2(get),
                }
            }
            G::BsSkipBits2 => Instr::BsSkipBits2 {
                fail: self.fail(ins, &a[0])?,
                ctx: self.reg(ins, &a[1])?,
                size: self.src(ins, &a[2])?,
                unit: self.u(ins, &a[3])?,
                flags: self.flags(ins, &a[4])?,
            },
            G::BsTestTail2 => Instr::BsTestTail2 {
                fail: self.fail(ins, &a[0])?,
                ctx: self.reg(ins, &a[1])?,
                bits: self.u(ins, &a[2])?,
            },
            G::BsTestUnit => {
                let (fail, ctx) = (self.fail(ins, &a[0])?, self.reg(ins, &a[1])?);
                match self.u(ins, &a[2])? {
                    8 => Instr::BsTestUnit8 { fail, ctx },
                    unit => Instr::BsTestUnit { fail, ctx, unit },
                }
            }
            G::BsMatchString => {
                let (bits, off) = (self.u(ins, &a[2])?, self.u(ins, &a[3])?);
                Instr::BsMatchString {
                    fail: self.fail(ins, &a[0])?,
                    ctx: self.reg(ins, &a[1])?,
                    bits,
                    string: self.string(ins, off, bits.div_ceil(8))?,
                }
            }
            G::BsGetUtf8 | G::BsGetUtf16 | G::BsGetUtf32 => {
                let (fail, ctx) = (self.fail(ins, &a[0])?, self.reg(ins, &a[1])?);
                self.live(ins, &a[2])?;
                let (flags, dst) = (self.flags(ins, &a[3])?, self.reg(ins, &a[4])?);
                match ins.op {
                    G::BsGetUtf8 => Instr::BsGetUtf8 {
                        fail,
                        ctx,
                        flags,
                        dst,
                    },
                    G::BsGetUtf16 => Instr::BsGetUtf16 {
                        fail,
                        ctx,
                        flags,
                        dst,
                    },
                    _ => Instr::BsGetUtf32 {
                        fail,
                        ctx,
                        flags,
                        dst,
                    },
                }
            }
            G::BsSkipUtf8 | G::BsSkipUtf16 | G::BsSkipUtf32 => {
                let (fail, ctx) = (self.fail(ins, &a[0])?, self.reg(ins, &a[1])?);
                self.live(ins, &a[2])?;
                let flags = self.flags(ins, &a[3])?;
                match ins.op {
                    G::BsSkipUtf8 => Instr::BsSkipUtf8 { fail, ctx, flags },
                    G::BsSkipUtf16 => Instr::BsSkipUtf16 { fail, ctx, flags },
                    _ => Instr::BsSkipUtf32 { fail, ctx, flags },
                }
            }
            G::BsGetTail | G::BsGetPosition => {
                let (ctx, dst, live) = (
                    self.reg(ins, &a[0])?,
                    self.reg(ins, &a[1])?,
                    self.live(ins, &a[2])?,
                );
                if ins.op == G::BsGetTail {
                    Instr::BsGetTail { ctx, dst, live }
                } else {
                    Instr::BsGetPosition { ctx, dst, live }
                }
            }
            G::BsSetPosition => Instr::BsSetPosition {
                ctx: self.reg(ins, &a[0])?,
                pos: self.src(ins, &a[1])?,
            },
            op => {
                // Unreachable for a stream from `generic::decode`, which
                // rejects obsolete opcodes; kept as an error, not a panic.
                return Err(bad(
                    ins,
                    format!("{} is not accepted by OTP 25's loader", op.name()),
                ));
            }
        })
    }

    /// `bs_start_match3/4 F Src Live Ctx | bs_get_position Ctx Pos Live2`
    /// as one [`Instr::BsStartMatchPos`], if `start` is a start with a
    /// label or `no_fail` (not `resume`) and `next` reads its context.
    pub(super) fn bs_start_match_pos(
        &mut self,
        start: &GenInstr,
        next: &GenInstr,
    ) -> R<Option<Instr>> {
        if next.op != GenOp::BsGetPosition || start.args.get(3) != next.args.first() {
            return Ok(None);
        }
        let Instr::BsStartMatch {
            fail,
            src,
            live,
            dst,
        } = self.binary(start)?
        else {
            return Ok(None);
        };
        let n = next.args.as_slice();
        let pos_live = self.live(next, &n[2])?;
        let (Ok(live), Ok(pos_live)) = (u16::try_from(live), u16::try_from(pos_live)) else {
            return Ok(None);
        };
        Ok(Some(Instr::BsStartMatchPos {
            pos: self.reg(next, &n[1])?,
            pos_live,
            fail,
            src,
            live,
            dst,
        }))
    }

    /// `bs_get_integer2 F C L 8 1 Flags D | is_eq_exact Ne D Byte` as one
    /// [`Instr::BsGetU8Eq`], if the get is a [`Instr::BsGetU8`] and the
    /// test compares its result with a byte; X registers only (the
    /// interpreter reads them with no test for a Y register).
    pub(super) fn bs_get_u8_eq(&mut self, get: &GenInstr, next: &GenInstr) -> R<Option<Instr>> {
        let (g, n) = (get.args.as_slice(), next.args.as_slice());
        let x = |op: &Operand| matches!(op, Operand::X(_));
        if next.op != GenOp::IsEqExact || g.len() < 7 || n.len() < 3 || !(x(&g[1]) && x(&g[6])) {
            return Ok(None);
        }
        if !matches!(n[0], Operand::Label(l) if l != 0) {
            return Ok(None);
        }
        // Checked on the operands first: translating the test's operands
        // would record its typed registers.
        let byte = |op: &Operand| match *op {
            Operand::Int(v) => u8::try_from(v).ok(),
            _ => None,
        };
        let byte = match (byte(&n[1]), byte(&n[2])) {
            (None, Some(b)) if same_reg(&n[1], &g[6]) => b,
            (Some(b), None) if same_reg(&n[2], &g[6]) => b,
            _ => return Ok(None),
        };
        let Instr::BsGetU8 { fail, ctx, dst } = self.binary(get)? else {
            return Ok(None);
        };
        Ok(Some(Instr::BsGetU8Eq {
            fail,
            ctx,
            dst,
            byte,
            ne: self.target(next, &n[0])?,
            unit: self.unit_at(&n[0], &g[1])?,
        }))
    }

    /// `bs_get_integer2 F C L 8 1 Flags D | select_val D Sfail Table` as
    /// one [`Instr::BsGetU8Select`], if the get is a [`Instr::BsGetU8`]
    /// into another X register than its context's.
    pub(super) fn bs_get_u8_select(&mut self, get: &GenInstr, next: &GenInstr) -> R<Option<Instr>> {
        let (g, n) = (get.args.as_slice(), next.args.as_slice());
        let x = |op: &Operand| matches!(op, Operand::X(_));
        // Checked before translating the select, which adds its table.
        let fits = next.op == GenOp::SelectVal && g.len() == 7 && n.len() == 3;
        if !(fits && x(&g[1]) && x(&g[6]) && g[1] != g[6] && same_reg(&n[0], &g[6])) {
            return Ok(None);
        }
        let Instr::BsGetU8 { fail, ctx, dst } = self.binary(get)? else {
            return Ok(None);
        };
        Ok(Some(Instr::BsGetU8Select {
            fail,
            ctx,
            dst,
            sfail: self.fail(next, &n[1])?,
            table: self.select(next, &n[2], false)?,
        }))
    }

    /// The fail label of the `bs_test_unit F Ctx 8` at label `to`, if that
    /// is what runs there (else none): `BsGetU8Eq` does that test itself.
    fn unit_at(&self, to: &Operand, ctx: &Operand) -> R<Fail> {
        let Operand::Label(l) = *to else {
            return Ok(Fail::NONE);
        };
        let Some(&at) = self.label_at.get(l as usize) else {
            return Ok(Fail::NONE);
        };
        let mut code = self.gen.iter().skip(at);
        match code.find(|i| !matches!(i.op, GenOp::Label | GenOp::Line)) {
            Some(t)
                if t.op == GenOp::BsTestUnit
                    && t.args.get(2) == Some(&Operand::U(8))
                    && t.args.get(1).is_some_and(|c| same_reg(c, ctx)) =>
            {
                self.fail(t, &t.args[0])
            }
            _ => Ok(Fail::NONE),
        }
    }

    /// `bs_start_match3/4 | bs_get_position | bs_get_integer2 | is_eq_exact`
    /// at `i` as one [`Instr::BsStartU8Eq`], if the first two fuse to a
    /// [`Instr::BsStartMatchPos`] and the last two to a
    /// [`Instr::BsGetU8Eq`] on the context it starts, all in X registers.
    pub(super) fn bs_start_u8_eq(&mut self, i: usize) -> R<Option<Instr>> {
        let g = self.gen;
        let Some([start, at, get, eq]) = g.get(i..i + 4) else {
            return Ok(None);
        };
        let shapes = [GenOp::BsGetPosition, GenOp::BsGetInteger2, GenOp::IsEqExact];
        if [at.op, get.op, eq.op] != shapes || get.args.get(1) != start.args.get(3) {
            return Ok(None);
        }
        // The context is checked before translating: an unfused start is
        // translated again on its own.
        let all_x = |ins: &GenInstr, at: usize| matches!(ins.args.get(at), Some(Operand::X(_)));
        let src_x = all_x(
            start,
            if start.op == GenOp::BsStartMatch3 {
                1
            } else {
                2
            },
        );
        if !(src_x && all_x(start, 3) && all_x(at, 1) && all_x(get, 6)) {
            return Ok(None);
        }
        let Some(Instr::BsStartMatchPos {
            fail,
            src,
            live,
            dst: ctx,
            pos,
            pos_live,
        }) = self.bs_start_match_pos(start, at)?
        else {
            return Ok(None);
        };
        if pos == ctx {
            // Unfused, the get would find the position, not the context.
            return Ok(None);
        }
        let (
            Some(src),
            Some(Instr::BsGetU8Eq {
                fail: get_fail,
                dst,
                byte,
                ne,
                unit,
                ..
            }),
        ) = (src.as_reg(), self.bs_get_u8_eq(get, eq)?)
        else {
            return Ok(None);
        };
        let x = |r: Reg| u8::try_from(r.index()).ok().filter(|_| !r.is_y());
        let (Ok(live), Ok(pos_live)) = (u8::try_from(live), u8::try_from(pos_live)) else {
            return Ok(None);
        };
        let (Some(src), Some(ctx), Some(pos), Some(dst)) = (x(src), x(ctx), x(pos), x(dst)) else {
            return Ok(None);
        };
        Ok(Some(Instr::BsStartU8Eq(StartU8Eq {
            fail,
            src,
            ctx,
            pos,
            dst,
            get_fail,
            ne,
            unit,
            byte,
            live,
            pos_live,
        })))
    }

    pub(super) fn bs_create_bin(&mut self, ins: &GenInstr) -> R<BsCreateBin> {
        let a = ins.args.as_slice();
        let items = self.list(ins, &a[5])?;
        if items.len() % 6 != 0 {
            return Err(bad(ins, "segment list is not a multiple of six operands"));
        }
        let mut segments = Vec::with_capacity(items.len() / 6);
        for s in items.chunks_exact(6) {
            let kind = match self.atom(ins, &s[0])?.name() {
                "integer" => BsKind::Integer,
                "float" => BsKind::Float,
                "binary" => BsKind::Binary,
                "utf8" => BsKind::Utf8,
                "utf16" => BsKind::Utf16,
                "utf32" => BsKind::Utf32,
                "string" => BsKind::String,
                "append" => BsKind::Append,
                "private_append" => BsKind::PrivateAppend,
                other => return Err(bad(ins, format!("unknown segment type {other}"))),
            };
            let size = match &s[5] {
                Operand::Atom(a) if matches!(a.name(), "all" | "undefined") => None,
                op => Some(self.src(ins, op)?),
            };
            let (value, string) = if kind == BsKind::String {
                let len = match size.map(|s| s.kind()) {
                    Some(SrcKind::Const(t)) => t.as_small().and_then(|n| u32::try_from(n).ok()),
                    _ => None,
                };
                let len = len.ok_or_else(|| bad(ins, "string segment without a byte count"))?;
                (
                    Src::constant(Term::NIL),
                    self.string(ins, self.u(ins, &s[4])?, len)?,
                )
            } else {
                (self.src(ins, &s[4])?, Span { start: 0, len: 0 })
            };
            segments.push(BsSegment {
                kind,
                segment: self.u(ins, &s[1])?,
                unit: self.u(ins, &s[2])?,
                flags: self.flags(ins, &s[3])?,
                value,
                size,
                string,
            });
        }
        Ok(BsCreateBin {
            fail: self.fail(ins, &a[0])?,
            alloc: self.heap_need(ins, &a[1])?,
            live: self.live(ins, &a[2])?,
            unit: self.u(ins, &a[3])?,
            dst: self.reg(ins, &a[4])?,
            segments: segments.into(),
        })
    }
}
