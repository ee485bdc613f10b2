//! Arrow arrays in the layout of Presto blocks (see `rust/jni/PROTOCOL.md`, "Pages").
//!
//! A [`PrestoColumn`] exposes, for every buffer of the Presto block it describes, a slice that JNI
//! copies once into a Java array. Where Arrow's bytes already have Presto's layout (integers,
//! float bit patterns, dates, millisecond timestamps, string offsets starting at 0 and string data)
//! the slice borrows the Arrow buffer, so that single JNI copy is the only one. Where the values
//! must change (widening, unit conversion, boolean bytes, decimal encoding, null suppression) the
//! conversion produces an owned vector.
//!
//! Null suppression (struct fields hold only the rows where the struct is not null; null arrays and
//! maps hold no entries) goes through Arrow's `filter` kernel and then converts the filtered array
//! into owned vectors: that case costs one extra copy.

use std::borrow::Cow;

use arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, AsArray, BooleanArray, GenericByteViewArray,
};
use arrow::buffer::{BooleanBuffer, NullBuffer};
use arrow::compute::filter;
use arrow::datatypes::{
    ArrowDictionaryKeyType, ArrowNativeType, ByteViewType, DataType, Date32Type, Date64Type,
    Decimal128Type, Decimal256Type, Decimal32Type, Decimal64Type, Float32Type, Float64Type,
    Int16Type, Int32Type, Int64Type, Int8Type, Time32MillisecondType, Time32SecondType,
    Time64MicrosecondType, Time64NanosecondType, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};

use crate::err;
use crate::error::Result;

/// Column kinds, as `col[0][0]` carries them across JNI.
pub const KIND_BYTE: i32 = 1;
pub const KIND_SHORT: i32 = 2;
pub const KIND_INT: i32 = 3;
pub const KIND_LONG: i32 = 4;
pub const KIND_INT128: i32 = 5;
pub const KIND_VARWIDTH: i32 = 6;
pub const KIND_DICTIONARY: i32 = 7;
pub const KIND_ARRAY: i32 = 8;
pub const KIND_MAP: i32 = 9;
pub const KIND_ROW: i32 = 10;

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
    /// The kind number of PROTOCOL.md (1 = BYTE ... 10 = ROW).
    pub fn kind(&self) -> i32 {
        match self {
            PrestoValues::Bytes(_) => KIND_BYTE,
            PrestoValues::Shorts(_) => KIND_SHORT,
            PrestoValues::Ints(_) => KIND_INT,
            PrestoValues::Longs(_) => KIND_LONG,
            PrestoValues::Int128(_) => KIND_INT128,
            PrestoValues::VarWidth { .. } => KIND_VARWIDTH,
            PrestoValues::Dictionary { .. } => KIND_DICTIONARY,
            PrestoValues::Array { .. } => KIND_ARRAY,
            PrestoValues::Map { .. } => KIND_MAP,
            PrestoValues::Row { .. } => KIND_ROW,
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
    /// The kind number of PROTOCOL.md.
    pub fn kind(&self) -> i32 {
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
    fn push_null(&mut self) -> Result<()> {
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

/// Converts one Arrow array (any offset) into the layout of a Presto block.
pub fn to_presto(array: &dyn Array) -> Result<PrestoColumn<'_>> {
    convert(array, 0, array.len())
}

/// Presto `isNull` flags for positions `start..start + len`, `None` when none is null.
fn null_flags(array: &dyn Array, start: usize, len: usize) -> Option<Vec<bool>> {
    let nulls = array.nulls()?.slice(start, len);
    if nulls.null_count() == 0 {
        return None;
    }
    Some(expand_bits(nulls.inner(), |bit| !bit))
}

/// One value per bit, 64 bits at a time.
fn expand_bits<T>(bits: &BooleanBuffer, f: impl Fn(bool) -> T) -> Vec<T> {
    let mut out = Vec::with_capacity(bits.len());
    let chunks = bits.bit_chunks();
    for word in chunks.iter() {
        out.extend((0..64).map(|i| f(word >> i & 1 == 1)));
    }
    let rest = chunks.remainder_bits();
    out.extend((0..chunks.remainder_len()).map(|i| f(rest >> i & 1 == 1)));
    out
}

fn valid_window(array: &dyn Array, start: usize, len: usize) -> Option<NullBuffer> {
    let nulls = array.nulls()?.slice(start, len);
    (nulls.null_count() > 0).then_some(nulls)
}

fn prim<T: ArrowPrimitiveType>(array: &dyn Array, start: usize, len: usize) -> &[T::Native] {
    &array.as_primitive::<T>().values()[start..start + len]
}

fn map_prim<T: ArrowPrimitiveType, U>(
    array: &dyn Array,
    start: usize,
    len: usize,
    f: impl Fn(T::Native) -> U,
) -> Vec<U> {
    prim::<T>(array, start, len).iter().map(|&v| f(v)).collect()
}

/// The bit patterns of a float array, borrowed.
fn float_bits<T: ArrowPrimitiveType, B: ArrowNativeType>(
    array: &dyn Array,
    start: usize,
    len: usize,
) -> &[B] {
    // `Buffer::typed_data` reinterprets the bytes safely (ArrowNativeType is plain old data and
    // alignment is asserted; f32/f64 buffers are aligned for i32/i64 of the same width).
    let all: &[B] = array.as_primitive::<T>().values().inner().typed_data::<B>();
    &all[start..start + len]
}

fn to_millis(unit: &TimeUnit, v: i64) -> i64 {
    match unit {
        TimeUnit::Second => v.saturating_mul(1000),
        TimeUnit::Millisecond => v,
        TimeUnit::Microsecond => v.div_euclid(1000),
        TimeUnit::Nanosecond => v.div_euclid(1_000_000),
    }
}

fn timestamp_millis<'a>(
    array: &'a dyn Array,
    unit: &TimeUnit,
    start: usize,
    len: usize,
) -> Cow<'a, [i64]> {
    let raw: &[i64] = match unit {
        TimeUnit::Second => prim::<TimestampSecondType>(array, start, len),
        TimeUnit::Millisecond => {
            return Cow::Borrowed(prim::<TimestampMillisecondType>(array, start, len))
        }
        TimeUnit::Microsecond => prim::<TimestampMicrosecondType>(array, start, len),
        TimeUnit::Nanosecond => prim::<TimestampNanosecondType>(array, start, len),
    };
    Cow::Owned(raw.iter().map(|&v| to_millis(unit, v)).collect())
}

fn push_int128(out: &mut Vec<i64>, v: i128) {
    let magnitude = v.unsigned_abs();
    let low = magnitude as u64;
    let mut high = (magnitude >> 64) as u64;
    if v < 0 {
        high |= 1 << 63;
    }
    out.push(low as i64);
    out.push(high as i64);
}

fn int128_values(values: impl Iterator<Item = i128>, len: usize) -> Vec<i64> {
    let mut out = Vec::with_capacity(2 * len);
    for v in values {
        push_int128(&mut out, v);
    }
    out
}

fn offsets_window<O: Copy>(offsets: &[O], start: usize, len: usize) -> Result<&[O]> {
    offsets
        .get(start..start + len + 1)
        .ok_or_else(|| err!(ArrowError, "offsets buffer shorter than the array"))
}

/// i32 offsets rebased to start at 0 (borrowed when they already do).
fn rebase_i32(offsets: &[i32]) -> Cow<'_, [i32]> {
    let first = offsets[0];
    if first == 0 {
        Cow::Borrowed(offsets)
    } else {
        Cow::Owned(offsets.iter().map(|&o| o - first).collect())
    }
}

/// i64 offsets rebased to 0 and narrowed to i32; fails when the span exceeds 2 GiB.
fn rebase_i64(offsets: &[i64]) -> Result<Cow<'static, [i32]>> {
    let first = offsets[0];
    let span = offsets[offsets.len() - 1] - first;
    if span > i32::MAX as i64 {
        return Err(err!(
            InvalidArgument,
            "a large list/binary array spans {span} bytes or elements; Presto blocks hold at most 2 GiB"
        ));
    }
    Ok(Cow::Owned(
        offsets.iter().map(|&o| (o - first) as i32).collect(),
    ))
}

fn var_width_i32<'a>(
    offsets: &'a [i32],
    data: &'a [u8],
    start: usize,
    len: usize,
) -> Result<PrestoValues<'a>> {
    let w = offsets_window(offsets, start, len)?;
    let (first, last) = (w[0] as usize, w[len] as usize);
    Ok(PrestoValues::VarWidth {
        offsets: rebase_i32(w),
        data: Cow::Borrowed(&data[first..last]),
    })
}

fn var_width_i64<'a>(
    offsets: &'a [i64],
    data: &'a [u8],
    start: usize,
    len: usize,
) -> Result<PrestoValues<'a>> {
    let w = offsets_window(offsets, start, len)?;
    let offsets = rebase_i64(w)?;
    let (first, last) = (w[0] as usize, w[len] as usize);
    Ok(PrestoValues::VarWidth {
        offsets,
        data: Cow::Borrowed(&data[first..last]),
    })
}

fn var_width_view<'a, T: ByteViewType + ?Sized>(
    array: &GenericByteViewArray<T>,
    start: usize,
    len: usize,
) -> Result<PrestoValues<'a>> {
    let mut offsets = Vec::with_capacity(len + 1);
    offsets.push(0i32);
    let mut total = 0usize;
    for i in start..start + len {
        if array.is_valid(i) {
            total += AsRef::<[u8]>::as_ref(array.value(i)).len();
        }
        if total > i32::MAX as usize {
            return Err(err!(
                InvalidArgument,
                "a string/binary view array holds more than 2 GiB; Presto blocks hold at most 2 GiB"
            ));
        }
        offsets.push(total as i32);
    }
    let mut data = Vec::with_capacity(total);
    for i in start..start + len {
        if array.is_valid(i) {
            data.extend_from_slice(AsRef::<[u8]>::as_ref(array.value(i)));
        }
    }
    Ok(PrestoValues::VarWidth {
        offsets: Cow::Owned(offsets),
        data: Cow::Owned(data),
    })
}

/// Which part of a child array a nested column keeps.
enum ChildSelection {
    /// The positions `start..start + len`, as they are.
    Window(usize, usize),
    /// The positions of `start..start + len` where the mask is true.
    Mask(BooleanArray, usize, usize),
}

fn select_child<'a>(child: &'a dyn Array, selection: &ChildSelection) -> Result<PrestoColumn<'a>> {
    match selection {
        ChildSelection::Window(start, len) => {
            if start + len > child.len() {
                return Err(err!(
                    ArrowError,
                    "offsets point past the end of the child array ({} > {})",
                    start + len,
                    child.len()
                ));
            }
            convert(child, *start, *len)
        }
        ChildSelection::Mask(mask, start, len) => {
            let sliced: ArrayRef = child.slice(*start, *len);
            let filtered = filter(sliced.as_ref(), mask)?;
            Ok(to_presto(filtered.as_ref())?.into_owned())
        }
    }
}

/// The Presto offsets of a list-like column and the part of the child its elements are.
/// `offsets` are the array's own offsets for the window (not rebased); null positions that own
/// elements lose them (Presto wants null arrays and maps to be empty).
fn list_layout<'a>(
    offsets: Cow<'a, [i32]>,
    child_start: usize,
    is_null: Option<&[bool]>,
) -> (Cow<'a, [i32]>, ChildSelection) {
    let len = offsets.len() - 1;
    let first = offsets[0];
    let span = (offsets[len] - first) as usize;
    let nonempty_null = is_null.is_some_and(|nulls| {
        nulls
            .iter()
            .zip(offsets.windows(2))
            .any(|(&null, w)| null && w[1] != w[0])
    });
    match is_null {
        Some(nulls) if nonempty_null => {
            let mut keep = vec![false; span];
            let mut new_offsets = Vec::with_capacity(len + 1);
            let mut total = 0i32;
            new_offsets.push(0);
            for (i, &null) in nulls.iter().enumerate() {
                let (a, b) = (
                    (offsets[i] - first) as usize,
                    (offsets[i + 1] - first) as usize,
                );
                if !null {
                    keep[a..b].iter_mut().for_each(|k| *k = true);
                    total += (b - a) as i32;
                }
                new_offsets.push(total);
            }
            (
                Cow::Owned(new_offsets),
                ChildSelection::Mask(BooleanArray::from(keep), child_start, span),
            )
        }
        _ => {
            let rebased = match offsets {
                Cow::Borrowed(b) => rebase_i32(b),
                Cow::Owned(o) if first == 0 => Cow::Owned(o),
                Cow::Owned(o) => Cow::Owned(o.iter().map(|&x| x - first).collect()),
            };
            (rebased, ChildSelection::Window(child_start, span))
        }
    }
}

fn array_values<'a>(
    offsets: Cow<'a, [i32]>,
    child_start: usize,
    child: &'a dyn Array,
    is_null: Option<&[bool]>,
) -> Result<PrestoValues<'a>> {
    let (offsets, selection) = list_layout(offsets, child_start, is_null);
    let elements = select_child(child, &selection)?;
    Ok(PrestoValues::Array {
        offsets,
        elements: Box::new(elements),
    })
}

fn dictionary<'a, K: ArrowDictionaryKeyType>(
    array: &'a dyn Array,
    start: usize,
    len: usize,
) -> Result<PrestoColumn<'a>> {
    let dict = array.as_dictionary::<K>();
    let values = dict.values();
    let entries = values.len();
    if entries >= i32::MAX as usize {
        return Err(err!(
            InvalidArgument,
            "dictionary with {entries} entries is too large"
        ));
    }
    let mut dictionary = convert(values.as_ref(), 0, entries)?;
    let keys = &dict.keys().values()[start..start + len];
    // Branch-free passes; keys out of range are looked at again only when there are some
    // (they are allowed at null positions).
    let mut ids: Vec<i32> = keys.iter().map(|k| k.as_usize() as i32).collect();
    let out_of_range = keys.iter().fold(0, |m, k| m.max(k.as_usize())) >= entries;
    let valid = valid_window(dict.keys(), start, len);
    if out_of_range {
        let bad = (0..len).find(|&i| {
            keys[i].as_usize() >= entries && valid.as_ref().is_none_or(|v| v.is_valid(i))
        });
        if let Some(i) = bad {
            return Err(err!(
                ArrowError,
                "dictionary key {:?} is outside the dictionary of {entries} entries",
                keys[i]
            ));
        }
    }
    if let Some(valid) = valid {
        let null_id = entries as i32;
        for i in (!valid.inner()).set_indices() {
            ids[i] = null_id;
        }
        dictionary.push_null()?;
    }
    Ok(PrestoColumn {
        positions: len,
        nulls: None,
        values: PrestoValues::Dictionary {
            ids,
            dictionary: Box::new(dictionary),
        },
    })
}

fn unsupported(data_type: &DataType) -> crate::error::Error {
    err!(
        UnsupportedType,
        "Arrow type {data_type} cannot be converted to a Presto block"
    )
}

/// Converts positions `start..start + len` of `array`.
fn convert(array: &dyn Array, start: usize, len: usize) -> Result<PrestoColumn<'_>> {
    use Cow::{Borrowed, Owned};
    use PrestoValues as V;
    let data_type = array.data_type();
    if let DataType::Dictionary(key, _) = data_type {
        return match key.as_ref() {
            DataType::Int8 => dictionary::<Int8Type>(array, start, len),
            DataType::Int16 => dictionary::<Int16Type>(array, start, len),
            DataType::Int32 => dictionary::<Int32Type>(array, start, len),
            DataType::Int64 => dictionary::<Int64Type>(array, start, len),
            DataType::UInt8 => dictionary::<UInt8Type>(array, start, len),
            DataType::UInt16 => dictionary::<UInt16Type>(array, start, len),
            DataType::UInt32 => dictionary::<UInt32Type>(array, start, len),
            DataType::UInt64 => dictionary::<UInt64Type>(array, start, len),
            _ => Err(unsupported(data_type)),
        };
    }
    let nulls = null_flags(array, start, len);
    let values = match data_type {
        DataType::Boolean => {
            let bits = array.as_boolean().values().slice(start, len);
            V::Bytes(Owned(expand_bits(&bits, i8::from)))
        }
        DataType::Int8 => V::Bytes(Borrowed(prim::<Int8Type>(array, start, len))),
        DataType::Int16 => V::Shorts(Borrowed(prim::<Int16Type>(array, start, len))),
        DataType::Int32 => V::Ints(Borrowed(prim::<Int32Type>(array, start, len))),
        DataType::Int64 => V::Longs(Borrowed(prim::<Int64Type>(array, start, len))),
        DataType::UInt8 => V::Shorts(Owned(map_prim::<UInt8Type, _>(
            array,
            start,
            len,
            i16::from,
        ))),
        DataType::UInt16 => V::Ints(Owned(map_prim::<UInt16Type, _>(
            array,
            start,
            len,
            i32::from,
        ))),
        DataType::UInt32 => V::Longs(Owned(map_prim::<UInt32Type, _>(
            array,
            start,
            len,
            i64::from,
        ))),
        DataType::Float32 => V::Ints(Borrowed(float_bits::<Float32Type, i32>(array, start, len))),
        DataType::Float64 => V::Longs(Borrowed(float_bits::<Float64Type, i64>(array, start, len))),
        DataType::Decimal32(_, _) => V::Longs(Owned(map_prim::<Decimal32Type, _>(
            array,
            start,
            len,
            i64::from,
        ))),
        DataType::Decimal64(_, _) => V::Longs(Borrowed(prim::<Decimal64Type>(array, start, len))),
        DataType::Decimal128(p, _) if *p <= 18 => V::Longs(Owned(map_prim::<Decimal128Type, _>(
            array,
            start,
            len,
            |v| v as i64,
        ))),
        DataType::Decimal128(p, _) if *p <= 38 => {
            let raw = prim::<Decimal128Type>(array, start, len);
            V::Int128(int128_values(raw.iter().copied(), len))
        }
        DataType::Decimal256(p, _) if *p <= 38 => {
            let raw = prim::<Decimal256Type>(array, start, len);
            let mut wide = Vec::with_capacity(len);
            for (i, v) in raw.iter().enumerate() {
                let null = nulls.as_ref().is_some_and(|n| n[i]);
                match v.to_i128() {
                    Some(x) => wide.push(x),
                    None if null => wide.push(0),
                    None => {
                        return Err(err!(
                            InvalidArgument,
                            "decimal256 value {v} does not fit in 38 digits"
                        ))
                    }
                }
            }
            if *p <= 18 {
                V::Longs(Owned(wide.into_iter().map(|v| v as i64).collect()))
            } else {
                V::Int128(int128_values(wide.into_iter(), len))
            }
        }
        DataType::Date32 => V::Ints(Borrowed(prim::<Date32Type>(array, start, len))),
        DataType::Date64 => V::Ints(Owned(map_prim::<Date64Type, _>(array, start, len, |ms| {
            ms.div_euclid(86_400_000) as i32
        }))),
        DataType::Time32(TimeUnit::Second) => V::Longs(Owned(map_prim::<Time32SecondType, _>(
            array,
            start,
            len,
            |s| s as i64 * 1000,
        ))),
        DataType::Time32(TimeUnit::Millisecond) => V::Longs(Owned(map_prim::<
            Time32MillisecondType,
            _,
        >(
            array, start, len, i64::from
        ))),
        DataType::Time64(TimeUnit::Microsecond) => {
            V::Longs(Owned(map_prim::<Time64MicrosecondType, _>(
                array,
                start,
                len,
                |us| us.div_euclid(1000),
            )))
        }
        DataType::Time64(TimeUnit::Nanosecond) => {
            V::Longs(Owned(map_prim::<Time64NanosecondType, _>(
                array,
                start,
                len,
                |ns| ns.div_euclid(1_000_000),
            )))
        }
        DataType::Timestamp(unit, None) => V::Longs(timestamp_millis(array, unit, start, len)),
        DataType::Timestamp(unit, Some(_)) => {
            let millis = timestamp_millis(array, unit, start, len);
            // UTC's zone key is 0, so the packed value is the shifted millis.
            V::Longs(Owned(
                millis.iter().map(|&m| m << TIME_ZONE_SHIFT).collect(),
            ))
        }
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            var_width_i32(a.value_offsets(), a.value_data(), start, len)?
        }
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            var_width_i32(a.value_offsets(), a.value_data(), start, len)?
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            var_width_i64(a.value_offsets(), a.value_data(), start, len)?
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            var_width_i64(a.value_offsets(), a.value_data(), start, len)?
        }
        DataType::Utf8View => var_width_view(array.as_string_view(), start, len)?,
        DataType::BinaryView => var_width_view(array.as_binary_view(), start, len)?,
        DataType::FixedSizeBinary(_) => {
            let a = array.as_fixed_size_binary();
            let size = a.value_length() as usize;
            if size.saturating_mul(len) > i32::MAX as usize {
                return Err(err!(
                    InvalidArgument,
                    "a fixed-size binary array holds more than 2 GiB"
                ));
            }
            V::VarWidth {
                offsets: Owned((0..=len).map(|i| (i * size) as i32).collect()),
                data: Borrowed(&a.value_data()[start * size..(start + len) * size]),
            }
        }
        DataType::List(_) => {
            let a = array.as_list::<i32>();
            let w = offsets_window(a.value_offsets(), start, len)?;
            array_values(
                Borrowed(w),
                w[0] as usize,
                a.values().as_ref(),
                nulls.as_deref(),
            )?
        }
        DataType::LargeList(_) => {
            let a = array.as_list::<i64>();
            let w = offsets_window(a.value_offsets(), start, len)?;
            let narrowed = rebase_i64(w)?;
            array_values(
                narrowed,
                w[0] as usize,
                a.values().as_ref(),
                nulls.as_deref(),
            )?
        }
        DataType::FixedSizeList(_, _) => {
            let a = array.as_fixed_size_list();
            let size = a.value_length() as usize;
            if size.saturating_mul(len) > i32::MAX as usize {
                return Err(err!(
                    InvalidArgument,
                    "a fixed-size list array is too large"
                ));
            }
            let offsets = Owned((0..=len).map(|i| (i * size) as i32).collect());
            array_values(offsets, start * size, a.values().as_ref(), nulls.as_deref())?
        }
        DataType::Map(_, _) => {
            let a = array.as_map();
            let w = offsets_window(a.value_offsets(), start, len)?;
            let (offsets, selection) = list_layout(Borrowed(w), w[0] as usize, nulls.as_deref());
            let keys = select_child(a.keys().as_ref(), &selection)?;
            if keys.nulls.is_some() {
                return Err(err!(
                    InvalidArgument,
                    "a map has a null key; Presto map keys cannot be null"
                ));
            }
            let values = select_child(a.values().as_ref(), &selection)?;
            V::Map {
                offsets,
                keys: Box::new(keys),
                values: Box::new(values),
            }
        }
        DataType::Struct(fields) if !fields.is_empty() => {
            let a = array.as_struct();
            let selection = match valid_window(array, start, len) {
                None => ChildSelection::Window(start, len),
                Some(valid) => {
                    ChildSelection::Mask(BooleanArray::new(valid.into_inner(), None), start, len)
                }
            };
            let fields = a
                .columns()
                .iter()
                .map(|c| select_child(c.as_ref(), &selection))
                .collect::<Result<Vec<_>>>()?;
            V::Row { fields }
        }
        other => return Err(unsupported(other)),
    };
    Ok(PrestoColumn {
        positions: len,
        nulls,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::*;
    use arrow::buffer::{OffsetBuffer, ScalarBuffer};
    use arrow::datatypes::{i256, Field, Fields};
    use std::sync::Arc;

    #[allow(clippy::ptr_arg)]
    fn is_borrowed<T: Clone>(c: &Cow<'_, [T]>) -> bool {
        matches!(c, Cow::Borrowed(_))
    }

    fn longs(c: &PrestoColumn<'_>) -> Vec<i64> {
        match &c.values {
            PrestoValues::Longs(v) => v.to_vec(),
            other => panic!("expected longs, got kind {}", other.kind()),
        }
    }

    fn ints(c: &PrestoColumn<'_>) -> Vec<i32> {
        match &c.values {
            PrestoValues::Ints(v) => v.to_vec(),
            other => panic!("expected ints, got kind {}", other.kind()),
        }
    }

    /// (offsets, strings) of a VarWidth column.
    fn strings(c: &PrestoColumn<'_>) -> (Vec<i32>, Vec<String>) {
        match &c.values {
            PrestoValues::VarWidth { offsets, data } => {
                assert_eq!(offsets.len(), c.positions + 1);
                assert_eq!(offsets[0], 0);
                assert_eq!(*offsets.last().unwrap() as usize, data.len());
                let s = offsets
                    .windows(2)
                    .map(|w| {
                        String::from_utf8_lossy(&data[w[0] as usize..w[1] as usize]).into_owned()
                    })
                    .collect();
                (offsets.to_vec(), s)
            }
            other => panic!("expected varwidth, got kind {}", other.kind()),
        }
    }

    #[test]
    fn kinds() {
        let a = Int64Array::from(vec![1]);
        assert_eq!(to_presto(&a).unwrap().kind(), KIND_LONG);
        let s = StringArray::from(vec!["a"]);
        assert_eq!(to_presto(&s).unwrap().kind(), KIND_VARWIDTH);
        assert_eq!(PrestoValues::Row { fields: vec![] }.kind(), 10);
        assert_eq!(PrestoValues::Bytes(Cow::Owned(vec![])).kind(), 1);
        assert_eq!(PrestoValues::Int128(vec![]).kind(), 5);
    }

    #[test]
    fn integers_are_borrowed_with_nulls() {
        let a = Int64Array::from(vec![Some(1), None, Some(-3)]);
        let c = to_presto(&a).unwrap();
        assert_eq!(c.positions, 3);
        assert_eq!(c.nulls, Some(vec![false, true, false]));
        let PrestoValues::Longs(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        assert_eq!((v[0], v[2]), (1, -3));
        assert_eq!(c.byte_size(), 3 * 8 + 3);

        let a = Int32Array::from(vec![5, 6, 7]);
        let c = to_presto(&a).unwrap();
        assert_eq!(c.nulls, None);
        assert_eq!(ints(&c), vec![5, 6, 7]);

        let a = Int16Array::from(vec![-1, 2]);
        let c = to_presto(&a).unwrap();
        let PrestoValues::Shorts(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        assert_eq!(&v[..], &[-1, 2]);

        let a = Int8Array::from(vec![-1, 2]);
        let c = to_presto(&a).unwrap();
        let PrestoValues::Bytes(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        assert_eq!(&v[..], &[-1, 2]);
    }

    #[test]
    fn sliced_primitives_respect_offset() {
        let a = Int64Array::from(vec![Some(0), Some(1), None, Some(3), Some(4)]);
        let s = a.slice(1, 3);
        let c = to_presto(&s).unwrap();
        assert_eq!(c.positions, 3);
        assert_eq!(c.nulls, Some(vec![false, true, false]));
        let v = longs(&c);
        assert_eq!((v[0], v[2]), (1, 3));
        // a slice without nulls has no null flags
        let arr = a.slice(3, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, None);
        assert_eq!(longs(&c), vec![3, 4]);
    }

    #[test]
    fn unsigned_widen() {
        let arr = UInt8Array::from(vec![255u8, 0]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.values, PrestoValues::Shorts(Cow::Owned(vec![255, 0])));
        let arr = UInt16Array::from(vec![65535u16]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(ints(&c), vec![65535]);
        let arr = UInt32Array::from(vec![u32::MAX]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![u32::MAX as i64]);
        assert!(to_presto(&UInt64Array::from(vec![1u64])).is_err());
    }

    #[test]
    fn booleans_are_bytes() {
        let a = BooleanArray::from(vec![Some(true), None, Some(false), Some(true)]);
        let arr = a.slice(1, 3);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false, false]));
        let PrestoValues::Bytes(v) = &c.values else {
            panic!()
        };
        assert_eq!(&v[1..], &[0, 1]);
    }

    #[test]
    fn floats_are_bit_patterns() {
        let a = Float32Array::from(vec![1.5f32, -0.0, f32::NAN]);
        let arr = a.slice(1, 2);
        let c = to_presto(&arr).unwrap();
        let PrestoValues::Ints(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        assert_eq!(v[0], (-0.0f32).to_bits() as i32);
        assert!(f32::from_bits(v[1] as u32).is_nan());
        let a = Float64Array::from(vec![Some(2.25f64), None]);
        let c = to_presto(&a).unwrap();
        assert_eq!(c.nulls, Some(vec![false, true]));
        let PrestoValues::Longs(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        assert_eq!(f64::from_bits(v[0] as u64), 2.25);
    }

    fn decode_int128(lo: i64, hi: i64) -> i128 {
        let negative = hi < 0;
        let mag = ((hi as u64 & !(1 << 63)) as u128) << 64 | lo as u64 as u128;
        if negative {
            -(mag as i128)
        } else {
            mag as i128
        }
    }

    #[test]
    fn decimals_short_and_long() {
        let a = Decimal128Array::from(vec![Some(12345), None, Some(-987)])
            .with_precision_and_scale(10, 2)
            .unwrap();
        let c = to_presto(&a).unwrap();
        assert_eq!(c.nulls, Some(vec![false, true, false]));
        let v = longs(&c);
        assert_eq!((v[0], v[2]), (12345, -987));

        let big = 12345678901234567890123456789i128;
        let a = Decimal128Array::from(vec![Some(big), Some(-big), None, Some(-1), Some(0)])
            .with_precision_and_scale(38, 4)
            .unwrap();
        let arr = a.slice(0, 5);
        let c = to_presto(&arr).unwrap();
        let PrestoValues::Int128(v) = &c.values else {
            panic!()
        };
        assert_eq!(v.len(), 10);
        assert_eq!(decode_int128(v[0], v[1]), big);
        assert_eq!(decode_int128(v[2], v[3]), -big);
        assert_eq!(v[6], 1);
        assert_eq!(v[7] as u64, 1u64 << 63); // -1: magnitude 1, sign bit in the high word
        assert_eq!((v[8], v[9]), (0, 0));
        assert_eq!(v[1], (big >> 64) as i64);
        assert_eq!(v[0], big as u64 as i64);
        assert_eq!(v[3] as u64, (big >> 64) as u64 | 1 << 63);

        let sliced = a.slice(1, 1);
        let c = to_presto(&sliced).unwrap();
        let PrestoValues::Int128(v) = &c.values else {
            panic!()
        };
        assert_eq!(decode_int128(v[0], v[1]), -big);

        let a = Decimal32Array::from(vec![-5, 7])
            .with_precision_and_scale(9, 1)
            .unwrap();
        assert_eq!(longs(&to_presto(&a).unwrap()), vec![-5, 7]);
        let a = Decimal64Array::from(vec![-5, 7])
            .with_precision_and_scale(18, 1)
            .unwrap();
        let c = to_presto(&a).unwrap();
        let PrestoValues::Longs(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));

        let a = Decimal256Array::from(vec![Some(i256::from_i128(-big)), None])
            .with_precision_and_scale(38, 0)
            .unwrap();
        let c = to_presto(&a).unwrap();
        let PrestoValues::Int128(v) = &c.values else {
            panic!()
        };
        assert_eq!(decode_int128(v[0], v[1]), -big);
        let a = Decimal256Array::from(vec![i256::from_i128(-42)])
            .with_precision_and_scale(10, 0)
            .unwrap();
        assert_eq!(longs(&to_presto(&a).unwrap()), vec![-42]);
    }

    #[test]
    fn dates_times_timestamps() {
        let a = Date32Array::from(vec![19000, -1]);
        let c = to_presto(&a).unwrap();
        let PrestoValues::Ints(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        let a = Date64Array::from(vec![86_400_000 * 3 + 5, -1]);
        assert_eq!(ints(&to_presto(&a).unwrap()), vec![3, -1]);

        let arr = Time32SecondArray::from(vec![3600]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![3_600_000]);
        let arr = Time32MillisecondArray::from(vec![1234]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![1234]);
        let arr = Time64MicrosecondArray::from(vec![1_234_567]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![1234]);
        let arr = Time64NanosecondArray::from(vec![1_234_567_890]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![1234]);

        let arr = TimestampSecondArray::from(vec![-2, 3]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![-2000, 3000]);
        let a = TimestampMillisecondArray::from(vec![Some(5), None]);
        let c = to_presto(&a).unwrap();
        let PrestoValues::Longs(v) = &c.values else {
            panic!()
        };
        assert!(is_borrowed(v));
        assert_eq!(c.nulls, Some(vec![false, true]));
        let arr = TimestampMicrosecondArray::from(vec![-1, 1999]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![-1, 1]);
        let arr = TimestampNanosecondArray::from(vec![-1, 2_000_000]);
        let c = to_presto(&arr).unwrap();
        assert_eq!(longs(&c), vec![-1, 2]);

        let a =
            TimestampMicrosecondArray::from(vec![1_500_000, -1_000]).with_timezone("Europe/Paris");
        let c = to_presto(&a).unwrap();
        assert_eq!(longs(&c), vec![1500 << 12, -1 << 12]);
        assert_eq!(longs(&c)[1] >> 12, -1);
    }

    #[test]
    fn strings_borrowed_and_rebased() {
        let a = StringArray::from(vec![Some("ab"), None, Some(""), Some("cde")]);
        let c = to_presto(&a).unwrap();
        assert_eq!(c.nulls, Some(vec![false, true, false, false]));
        let PrestoValues::VarWidth { offsets, data } = &c.values else {
            panic!()
        };
        assert!(is_borrowed(offsets) && is_borrowed(data));
        assert_eq!(strings(&c).1, vec!["ab", "", "", "cde"]);

        let s = a.slice(2, 2);
        let c = to_presto(&s).unwrap();
        assert_eq!(c.nulls, None);
        let PrestoValues::VarWidth { offsets, data } = &c.values else {
            panic!()
        };
        assert!(!is_borrowed(offsets) && is_borrowed(data));
        assert_eq!(strings(&c), (vec![0, 0, 3], vec!["".into(), "cde".into()]));

        let b = BinaryArray::from(vec![&b"xy"[..], b"z"]);
        assert_eq!(strings(&to_presto(&b.slice(1, 1)).unwrap()).1, vec!["z"]);

        let l = LargeStringArray::from(vec![Some("q"), None, Some("rs")]);
        let arr = l.slice(1, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false]));
        assert_eq!(strings(&c).1, vec!["", "rs"]);
        let lb = LargeBinaryArray::from(vec![&b"abc"[..]]);
        assert_eq!(strings(&to_presto(&lb).unwrap()).1, vec!["abc"]);

        let v = StringViewArray::from(vec![
            Some("short"),
            None,
            Some("a string longer than twelve"),
        ]);
        let arr = v.slice(0, 3);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![false, true, false]));
        assert_eq!(
            strings(&c).1,
            vec!["short", "", "a string longer than twelve"]
        );
        let bv = BinaryViewArray::from(vec![&b"k"[..], b"lm"]);
        assert_eq!(strings(&to_presto(&bv.slice(1, 1)).unwrap()).1, vec!["lm"]);

        let f = FixedSizeBinaryArray::try_from_sparse_iter_with_size(
            vec![Some(b"ab".to_vec()), None, Some(b"cd".to_vec())].into_iter(),
            2,
        )
        .unwrap();
        let arr = f.slice(1, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false]));
        assert_eq!(
            strings(&c),
            (vec![0, 2, 4], vec!["\0\0".into(), "cd".into()])
        );
    }

    fn dict_of<'c>(c: &'c PrestoColumn<'_>) -> (Vec<i32>, &'c PrestoColumn<'c>) {
        let PrestoValues::Dictionary { ids, dictionary } = &c.values else {
            panic!()
        };
        (ids.clone(), dictionary)
    }

    #[test]
    fn dictionary_without_and_with_nulls() {
        let a: DictionaryArray<Int8Type> = vec!["x", "y", "x", "z"].into_iter().collect();
        let c = to_presto(&a).unwrap();
        assert_eq!(c.kind(), KIND_DICTIONARY);
        assert_eq!(c.nulls, None);
        let (ids, d) = dict_of(&c);
        assert_eq!(ids, vec![0, 1, 0, 2]);
        assert_eq!(strings(d).1, vec!["x", "y", "z"]);
        assert_eq!(d.nulls, None);

        let a: DictionaryArray<UInt16Type> = vec![Some("x"), None, Some("y"), None, Some("x")]
            .into_iter()
            .collect();
        let s = a.slice(1, 4);
        let c = to_presto(&s).unwrap();
        assert_eq!(c.positions, 4);
        assert_eq!(c.nulls, None);
        let (ids, d) = dict_of(&c);
        assert_eq!(ids, vec![2, 1, 2, 0]);
        assert_eq!(d.positions, 3);
        assert_eq!(d.nulls, Some(vec![false, false, true]));
        assert_eq!(strings(d).1, vec!["x", "y", ""]);

        // a slice of the same array without nulls needs no null entry
        let arr = a.slice(2, 1);
        let c = to_presto(&arr).unwrap();
        let (ids, d) = dict_of(&c);
        assert_eq!((ids, d.positions), (vec![1], 2));

        let keys = Int32Array::from(vec![0, 5]);
        let bad = DictionaryArray::<Int32Type>::new_unchecked_for_test(keys);
        assert!(to_presto(&bad).is_err());
        let keys = Int32Array::new(
            ScalarBuffer::from(vec![-7, 0]),
            Some(NullBuffer::from(vec![false, true])),
        );
        let junk_at_null = DictionaryArray::<Int32Type>::new_unchecked_for_test(keys);
        let c = to_presto(&junk_at_null).unwrap();
        let (ids, d) = dict_of(&c);
        assert_eq!(ids, vec![1, 0]);
        assert_eq!(d.nulls, Some(vec![false, true]));
    }

    trait BadDict {
        fn new_unchecked_for_test(keys: Int32Array) -> DictionaryArray<Int32Type>;
    }
    impl BadDict for DictionaryArray<Int32Type> {
        fn new_unchecked_for_test(keys: Int32Array) -> DictionaryArray<Int32Type> {
            let values: ArrayRef = Arc::new(StringArray::from(vec!["only"]));
            // SAFETY: deliberately invalid keys, only read through the bounds-checked conversion.
            unsafe { DictionaryArray::new_unchecked(keys, values) }
        }
    }

    fn list_array(rows: Vec<Option<Vec<Option<i64>>>>) -> ListArray {
        ListArray::from_iter_primitive::<Int64Type, _, _>(rows)
    }

    #[test]
    fn lists_with_nulls_at_both_levels_and_slices() {
        let a = list_array(vec![
            Some(vec![Some(1), None]),
            None,
            Some(vec![]),
            Some(vec![Some(4), Some(5), Some(6)]),
        ]);
        let c = to_presto(&a).unwrap();
        assert_eq!(c.nulls, Some(vec![false, true, false, false]));
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert!(is_borrowed(offsets));
        assert_eq!(&offsets[..], &[0, 2, 2, 2, 5]);
        assert_eq!(elements.positions, 5);
        assert_eq!(elements.nulls, Some(vec![false, true, false, false, false]));
        let PrestoValues::Longs(v) = &elements.values else {
            panic!()
        };
        assert!(is_borrowed(v));

        let s = a.slice(2, 2);
        let c = to_presto(&s).unwrap();
        assert_eq!(c.nulls, None);
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 0, 3]);
        assert_eq!(elements.nulls, None);
        assert_eq!(longs(elements), vec![4, 5, 6]);

        let large = LargeListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(1)]),
            Some(vec![Some(2), Some(3)]),
        ]);
        let arr = large.slice(1, 1);
        let c = to_presto(&arr).unwrap();
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 2]);
        assert_eq!(longs(elements), vec![2, 3]);
    }

    #[test]
    fn null_list_with_entries_is_emptied() {
        let values = Int64Array::from(vec![1, 2, 3, 4, 5]);
        let field = Arc::new(Field::new("item", DataType::Int64, true));
        let a = ListArray::new(
            field,
            OffsetBuffer::new(ScalarBuffer::from(vec![0, 2, 4, 5])),
            Arc::new(values),
            Some(NullBuffer::from(vec![true, false, true])),
        );
        let c = to_presto(&a).unwrap();
        assert_eq!(c.nulls, Some(vec![false, true, false]));
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 2, 2, 3]);
        assert_eq!(longs(elements), vec![1, 2, 5]);
    }

    #[test]
    fn fixed_size_lists() {
        let a = FixedSizeListArray::from_iter_primitive::<Int32Type, _, _>(
            vec![
                Some(vec![Some(1), Some(2)]),
                None,
                Some(vec![Some(5), None]),
            ],
            2,
        );
        let arr = a.slice(1, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false]));
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 0, 2]);
        assert_eq!(elements.nulls, Some(vec![false, true]));
        assert_eq!(ints(elements)[0], 5);
        let arr = a.slice(0, 1);
        let c = to_presto(&arr).unwrap();
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 2]);
        assert_eq!(ints(elements), vec![1, 2]);
    }

    fn sample_map() -> MapArray {
        let mut b = MapBuilder::new(None, StringBuilder::new(), Int32Builder::new());
        b.keys().append_value("a");
        b.values().append_value(1);
        b.keys().append_value("b");
        b.values().append_null();
        b.append(true).unwrap();
        b.append(false).unwrap();
        b.keys().append_value("c");
        b.values().append_value(3);
        b.append(true).unwrap();
        b.finish()
    }

    #[test]
    fn maps() {
        let m = sample_map();
        let c = to_presto(&m).unwrap();
        assert_eq!(c.kind(), KIND_MAP);
        assert_eq!(c.nulls, Some(vec![false, true, false]));
        let PrestoValues::Map {
            offsets,
            keys,
            values,
        } = &c.values
        else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 2, 2, 3]);
        assert_eq!(strings(keys).1, vec!["a", "b", "c"]);
        assert_eq!(values.nulls, Some(vec![false, true, false]));
        assert_eq!(ints(values)[2], 3);

        let arr = m.slice(2, 1);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, None);
        let PrestoValues::Map {
            offsets,
            keys,
            values,
        } = &c.values
        else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 1]);
        assert_eq!(strings(keys).1, vec!["c"]);
        assert_eq!(ints(values), vec![3]);
    }

    #[test]
    fn null_map_with_entries_is_emptied() {
        let m = sample_map();
        let (fields, offsets, entries, _, ordered) = m.into_parts();
        // row 0 (two entries) becomes null: its entries must disappear from keys and values
        let m = MapArray::new(
            fields,
            offsets,
            entries,
            Some(NullBuffer::from(vec![false, true, true])),
            ordered,
        );
        let c = to_presto(&m).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false, false]));
        let PrestoValues::Map {
            offsets,
            keys,
            values,
        } = &c.values
        else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 0, 0, 1]);
        assert_eq!(strings(keys).1, vec!["c"]);
        assert_eq!(ints(values), vec![3]);
    }

    fn sample_struct() -> StructArray {
        let ints = Arc::new(Int32Array::from(vec![Some(1), Some(2), None, Some(4)])) as ArrayRef;
        let strs = Arc::new(StringArray::from(vec!["a", "b", "c", "d"])) as ArrayRef;
        StructArray::new(
            Fields::from(vec![
                Field::new("i", DataType::Int32, true),
                Field::new("s", DataType::Utf8, true),
            ]),
            vec![ints, strs],
            Some(NullBuffer::from(vec![true, false, true, true])),
        )
    }

    #[test]
    fn structs_suppress_null_rows() {
        let st = sample_struct();
        let c = to_presto(&st).unwrap();
        assert_eq!(c.kind(), KIND_ROW);
        assert_eq!(c.positions, 4);
        assert_eq!(c.nulls, Some(vec![false, true, false, false]));
        let PrestoValues::Row { fields } = &c.values else {
            panic!()
        };
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].positions, 3);
        assert_eq!(fields[0].nulls, Some(vec![false, true, false]));
        assert_eq!(ints(&fields[0])[0], 1);
        assert_eq!(ints(&fields[0])[2], 4);
        assert_eq!(strings(&fields[1]).1, vec!["a", "c", "d"]);

        // sliced past the null row: fields are borrowed windows
        let arr = st.slice(2, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, None);
        let PrestoValues::Row { fields } = &c.values else {
            panic!()
        };
        assert_eq!(fields[0].nulls, Some(vec![true, false]));
        assert_eq!(strings(&fields[1]).1, vec!["c", "d"]);
        let PrestoValues::VarWidth { data, .. } = &fields[1].values else {
            panic!()
        };
        assert!(is_borrowed(data));

        // sliced over the null row
        let arr = st.slice(1, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false]));
        let PrestoValues::Row { fields } = &c.values else {
            panic!()
        };
        assert_eq!(fields[0].positions, 1);
        assert_eq!(fields[0].nulls, Some(vec![true]));
        assert_eq!(strings(&fields[1]).1, vec!["c"]);
    }

    #[test]
    fn nested_list_of_structs_with_nulls_everywhere() {
        // list<struct<i: int, s: string>> with null lists, null structs and null fields
        let st = sample_struct();
        let field = Arc::new(Field::new("item", st.data_type().clone(), true));
        let list = ListArray::new(
            field,
            OffsetBuffer::new(ScalarBuffer::from(vec![0, 1, 1, 4])),
            Arc::new(st),
            Some(NullBuffer::from(vec![true, false, true])),
        );
        let arr = list.slice(1, 2);
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.nulls, Some(vec![true, false]));
        let PrestoValues::Array { offsets, elements } = &c.values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 0, 3]);
        assert_eq!(elements.positions, 3);
        assert_eq!(elements.nulls, Some(vec![true, false, false]));
        let PrestoValues::Row { fields } = &elements.values else {
            panic!()
        };
        assert_eq!(fields[0].positions, 2);
        assert_eq!(fields[0].nulls, Some(vec![true, false]));
        assert_eq!(strings(&fields[1]).1, vec!["c", "d"]);
        assert!(c.byte_size() > 0);

        // struct containing a list and a dictionary
        let inner = list_array(vec![Some(vec![Some(1)]), None, Some(vec![Some(2), None])]);
        let dict: DictionaryArray<Int32Type> =
            vec![Some("u"), Some("v"), None].into_iter().collect();
        let st = StructArray::new(
            Fields::from(vec![
                Field::new("l", inner.data_type().clone(), true),
                Field::new("d", dict.data_type().clone(), true),
            ]),
            vec![Arc::new(inner), Arc::new(dict)],
            Some(NullBuffer::from(vec![false, true, true])),
        );
        let c = to_presto(&st).unwrap();
        let PrestoValues::Row { fields } = &c.values else {
            panic!()
        };
        assert_eq!(fields[0].nulls, Some(vec![true, false]));
        let PrestoValues::Array { offsets, elements } = &fields[0].values else {
            panic!()
        };
        assert_eq!(&offsets[..], &[0, 0, 2]);
        assert_eq!(elements.nulls, Some(vec![false, true]));
        let (ids, d) = dict_of(&fields[1]);
        assert_eq!(ids.len(), 2);
        assert!(d.nulls.as_ref().unwrap()[ids[1] as usize]);
        assert_eq!(strings(d).1[ids[0] as usize], "v");
    }

    #[test]
    fn unsupported_types_fail() {
        let e = to_presto(&Float16Array::from(vec![half_one()])).unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::UnsupportedType);
        assert!(to_presto(&NullArray::new(2)).is_err());
    }

    fn half_one() -> <arrow::datatypes::Float16Type as ArrowPrimitiveType>::Native {
        <arrow::datatypes::Float16Type as ArrowPrimitiveType>::Native::from_f32(1.0)
    }

    #[test]
    fn empty_arrays() {
        let arr = StringArray::from(Vec::<&str>::new());
        let c = to_presto(&arr).unwrap();
        assert_eq!(strings(&c).0, vec![0]);
        let arr = Int64Array::from(Vec::<i64>::new());
        let c = to_presto(&arr).unwrap();
        assert_eq!(c.positions, 0);
    }

    #[test]
    fn into_owned_keeps_values() {
        let a = StringArray::from(vec!["a", "bc"]);
        let owned: PrestoColumn<'static> = to_presto(&a).unwrap().into_owned();
        drop(a);
        assert_eq!(strings(&owned).1, vec!["a", "bc"]);
    }
}
