//! The layout of Presto blocks as they cross JNI (see `rust/jni/PROTOCOL.md`, "Pages"): the block
//! kinds, and a column's buffers ([`PrestoColumn`]), borrowed from Arrow where the layouts agree.

use std::borrow::Cow;
use std::fmt;

use crate::err;
use crate::error::Result;

/// Block kinds, as `col[0][0]` carries them across JNI (PROTOCOL.md: 1 = BYTE ... 10 = ROW).
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Byte = 1,
    Short = 2,
    Int = 3,
    Long = 4,
    Int128 = 5,
    VarWidth = 6,
    Dictionary = 7,
    Array = 8,
    Map = 9,
    Row = 10,
}

impl Kind {
    const ALL: [Kind; 10] = [
        Kind::Byte,
        Kind::Short,
        Kind::Int,
        Kind::Long,
        Kind::Int128,
        Kind::VarWidth,
        Kind::Dictionary,
        Kind::Array,
        Kind::Map,
        Kind::Row,
    ];

    /// The kind whose number is `number`, if any.
    pub fn from_i32(number: i32) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| *k as i32 == number)
    }

    /// The name of PROTOCOL.md, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Byte => "BYTE",
            Kind::Short => "SHORT",
            Kind::Int => "INT",
            Kind::Long => "LONG",
            Kind::Int128 => "INT128",
            Kind::VarWidth => "VARWIDTH",
            Kind::Dictionary => "DICTIONARY",
            Kind::Array => "ARRAY",
            Kind::Map => "MAP",
            Kind::Row => "ROW",
        }
    }
}

impl PartialEq<i32> for Kind {
    fn eq(&self, number: &i32) -> bool {
        *self as i32 == *number
    }
}

/// The kind's number, as it crosses JNI.
impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", *self as i32)
    }
}

/// Presto packs `timestamp with time zone` as `millis << 12 | zone key`; UTC's key is 0.
pub const TIME_ZONE_SHIFT: u32 = 12;

/// One column of a Presto page.
#[derive(Debug, Clone, PartialEq)]
pub struct PrestoColumn<'a> {
    /// Number of positions (rows) of the block.
    pub positions: usize,
    /// Presto's `isNull` array, `None` when no position is null.
    pub nulls: Option<Vec<bool>>,
    pub values: PrestoValues<'a>,
}

/// The buffers of a Presto block; the variant names the block class (see [`PrestoValues::kind`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PrestoValues<'a> {
    Bytes(Cow<'a, [i8]>),
    Shorts(Cow<'a, [i16]>),
    Ints(Cow<'a, [i32]>),
    Longs(Cow<'a, [i64]>),
    /// Two longs per position: low 64 bits of the magnitude, then the high 64 bits of the
    /// magnitude with bit 63 set for negative values (Presto's `UnscaledDecimal128`).
    Int128(Vec<i64>),
    /// `offsets` has `positions + 1` entries and starts at 0; `data` holds exactly the bytes used.
    VarWidth {
        offsets: Cow<'a, [i32]>,
        data: Cow<'a, [u8]>,
    },
    /// `ids` has one entry per position; null positions point at a null dictionary entry.
    Dictionary {
        ids: Vec<i32>,
        dictionary: Box<PrestoColumn<'a>>,
    },
    /// `offsets` has `positions + 1` entries, starts at 0; null positions have no elements.
    Array {
        offsets: Cow<'a, [i32]>,
        elements: Box<PrestoColumn<'a>>,
    },
    Map {
        offsets: Cow<'a, [i32]>,
        keys: Box<PrestoColumn<'a>>,
        values: Box<PrestoColumn<'a>>,
    },
    /// Every field has one position per non-null row.
    Row {
        fields: Vec<PrestoColumn<'a>>,
    },
}

impl PrestoValues<'_> {
    /// The block kind these values are.
    pub fn kind(&self) -> Kind {
        match self {
            PrestoValues::Bytes(_) => Kind::Byte,
            PrestoValues::Shorts(_) => Kind::Short,
            PrestoValues::Ints(_) => Kind::Int,
            PrestoValues::Longs(_) => Kind::Long,
            PrestoValues::Int128(_) => Kind::Int128,
            PrestoValues::VarWidth { .. } => Kind::VarWidth,
            PrestoValues::Dictionary { .. } => Kind::Dictionary,
            PrestoValues::Array { .. } => Kind::Array,
            PrestoValues::Map { .. } => Kind::Map,
            PrestoValues::Row { .. } => Kind::Row,
        }
    }

    /// Approximate bytes held by the buffers (borrowed or owned) of these values.
    pub fn byte_size(&self) -> usize {
        use std::mem::size_of_val;
        match self {
            PrestoValues::Bytes(v) => size_of_val(&v[..]),
            PrestoValues::Shorts(v) => size_of_val(&v[..]),
            PrestoValues::Ints(v) => size_of_val(&v[..]),
            PrestoValues::Longs(v) => size_of_val(&v[..]),
            PrestoValues::Int128(v) => size_of_val(&v[..]),
            PrestoValues::VarWidth { offsets, data } => size_of_val(&offsets[..]) + data.len(),
            PrestoValues::Dictionary { ids, dictionary } => {
                size_of_val(&ids[..]) + dictionary.byte_size()
            }
            PrestoValues::Array { offsets, elements } => {
                size_of_val(&offsets[..]) + elements.byte_size()
            }
            PrestoValues::Map {
                offsets,
                keys,
                values,
            } => size_of_val(&offsets[..]) + keys.byte_size() + values.byte_size(),
            PrestoValues::Row { fields } => fields.iter().map(PrestoColumn::byte_size).sum(),
        }
    }

    /// Copies whatever is still borrowed, so the values outlive the Arrow array.
    pub fn into_owned(self) -> PrestoValues<'static> {
        fn own<T: Clone>(c: Cow<'_, [T]>) -> Cow<'static, [T]> {
            Cow::Owned(c.into_owned())
        }
        #[allow(clippy::boxed_local)] // the box is moved out of the enum being consumed
        fn own_box(c: Box<PrestoColumn<'_>>) -> Box<PrestoColumn<'static>> {
            Box::new((*c).into_owned())
        }
        match self {
            PrestoValues::Bytes(v) => PrestoValues::Bytes(own(v)),
            PrestoValues::Shorts(v) => PrestoValues::Shorts(own(v)),
            PrestoValues::Ints(v) => PrestoValues::Ints(own(v)),
            PrestoValues::Longs(v) => PrestoValues::Longs(own(v)),
            PrestoValues::Int128(v) => PrestoValues::Int128(v),
            PrestoValues::VarWidth { offsets, data } => PrestoValues::VarWidth {
                offsets: own(offsets),
                data: own(data),
            },
            PrestoValues::Dictionary { ids, dictionary } => PrestoValues::Dictionary {
                ids,
                dictionary: own_box(dictionary),
            },
            PrestoValues::Array { offsets, elements } => PrestoValues::Array {
                offsets: own(offsets),
                elements: own_box(elements),
            },
            PrestoValues::Map {
                offsets,
                keys,
                values,
            } => PrestoValues::Map {
                offsets: own(offsets),
                keys: own_box(keys),
                values: own_box(values),
            },
            PrestoValues::Row { fields } => PrestoValues::Row {
                fields: fields.into_iter().map(PrestoColumn::into_owned).collect(),
            },
        }
    }
}

impl PrestoColumn<'_> {
    /// The block kind of this column.
    pub fn kind(&self) -> Kind {
        self.values.kind()
    }

    /// Approximate bytes retained by this column (null flags and all buffers, nested included).
    pub fn byte_size(&self) -> usize {
        self.nulls.as_ref().map_or(0, Vec::len) + self.values.byte_size()
    }

    /// Copies whatever is still borrowed, so the column outlives the Arrow array.
    pub fn into_owned(self) -> PrestoColumn<'static> {
        PrestoColumn {
            positions: self.positions,
            nulls: self.nulls,
            values: self.values.into_owned(),
        }
    }

    /// Appends one null position (used for the null entry of a dictionary).
    pub(crate) fn push_null(&mut self) -> Result<()> {
        fn push<T: Clone>(v: &mut Cow<'_, [T]>, x: T) {
            v.to_mut().push(x);
        }
        match &mut self.values {
            PrestoValues::Bytes(v) => push(v, 0),
            PrestoValues::Shorts(v) => push(v, 0),
            PrestoValues::Ints(v) => push(v, 0),
            PrestoValues::Longs(v) => push(v, 0),
            PrestoValues::Int128(v) => v.extend_from_slice(&[0, 0]),
            PrestoValues::VarWidth { offsets, .. }
            | PrestoValues::Array { offsets, .. }
            | PrestoValues::Map { offsets, .. } => {
                let last = offsets.last().copied().unwrap_or(0);
                push(offsets, last);
            }
            PrestoValues::Row { .. } => {}
            PrestoValues::Dictionary { .. } => {
                return Err(err!(
                    UnsupportedType,
                    "a dictionary whose values are dictionary-encoded is not supported"
                ))
            }
        }
        let n = self.positions;
        self.nulls.get_or_insert_with(|| vec![false; n]).push(true);
        self.positions += 1;
        Ok(())
    }
}
