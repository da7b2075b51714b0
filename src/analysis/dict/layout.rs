//! Bit layout of the compiled dictionary: `build.rs` writes it and
//! `decompound.rs` reads it, both through `#[path]` to this one file, so the
//! two can never disagree.

/// A `words.fst` value: Zipf × 100 in the low 16 bits …
pub const ZIPF_BITS: u64 = 0xFFFF;
/// … then the noun flag.
pub const NOUN_BIT: u64 = 1 << 16;
/// A `parts.values` entry is a `words.fst` value plus this "present" bit,
/// three times: for the key itself, …
pub const PRESENT_BIT: u64 = 1 << 17;
/// … for the key plus a final `e` (18 bits from here) …
pub const PLUS_E_SHIFT: u32 = 18;
/// … and for the key plus `en`.
pub const PLUS_EN_SHIFT: u32 = 36;
/// A text map value (`forms.fst`, `splits.fst`): the value's offset into the
/// text blob above this shift, its byte length below it.
pub const TEXT_OFFSET_SHIFT: u32 = 16;
/// The byte length part of a text map value.
pub const TEXT_LEN_MASK: u64 = (1 << TEXT_OFFSET_SHIFT) - 1;
