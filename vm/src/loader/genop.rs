//! The generic opcodes of OTP 25 (1..=180), described once.
//!
//! The table itself is `genop_table.rs`, generated from OTP's
//! `beam_opcodes.erl` by `tools/gen-genop.sh`: opcode number, Rust name,
//! Erlang name (as `beam_opcodes.erl` spells it), arity, and whether OTP 25's
//! loader rejects the opcode as obsolete.

macro_rules! genop_table {
    ($(($num:literal, $variant:ident, $name:literal, $arity:literal, $obsolete:literal)),* $(,)?) => {
        /// A generic BEAM opcode.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum GenOp {
            $(
                #[doc = concat!("`", $name, "/", $arity, "`")]
                $variant = $num,
            )*
        }

        impl GenOp {
            /// The opcode with number `n`, if OTP 25 defines one.
            pub fn from_number(n: u8) -> Option<GenOp> {
                match n {
                    $($num => Some(GenOp::$variant),)*
                    _ => None,
                }
            }

            /// The name as `beam_opcodes.erl` spells it.
            pub fn name(self) -> &'static str {
                match self {
                    $(GenOp::$variant => $name,)*
                }
            }

            /// The number of operands in the instruction stream.
            pub fn arity(self) -> usize {
                match self {
                    $(GenOp::$variant => $arity,)*
                }
            }

            /// Whether OTP 25's loader refuses modules that use it.
            pub fn is_obsolete(self) -> bool {
                match self {
                    $(GenOp::$variant => $obsolete,)*
                }
            }
        }
    };
}

include!("genop_table.rs");

/// The highest opcode number OTP 25 knows.
pub const MAX_OPCODE: u8 = 180;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_dense_and_named() {
        for n in 1..=MAX_OPCODE {
            let op = GenOp::from_number(n).expect("every opcode 1..=180 exists");
            assert_eq!(op as u8, n);
            assert!(!op.name().is_empty());
        }
        assert_eq!(GenOp::from_number(0), None);
        assert_eq!(GenOp::from_number(MAX_OPCODE + 1), None);
    }

    #[test]
    fn known_entries() {
        assert_eq!(GenOp::Catch.name(), "catch");
        assert_eq!(GenOp::BsCreateBin.arity(), 6);
        assert!(GenOp::BsStartMatch2.is_obsolete());
        assert!(!GenOp::BsStartMatch4.is_obsolete());
        assert!(GenOp::PutTuple.is_obsolete());
    }
}
