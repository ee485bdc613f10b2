//! Strings and binaries (plain, large, views, fixed-size) as Presto's variable-width blocks:
//! offsets from 0 and exactly the bytes used.

use std::borrow::Cow;

use arrow::array::{Array, AsArray, GenericByteViewArray};
use arrow::datatypes::{ByteViewType, DataType};

use super::unsupported;
use crate::err;
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// Values of a string or binary array.
pub(super) fn values(array: &dyn Array, start: usize, len: usize) -> Result<PrestoValues<'_>> {
    use Cow::{Borrowed, Owned};
    use PrestoValues as V;
    Ok(match array.data_type() {
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
        other => return Err(unsupported(other)),
    })
}

pub(super) fn offsets_window<O: Copy>(offsets: &[O], start: usize, len: usize) -> Result<&[O]> {
    offsets
        .get(start..start + len + 1)
        .ok_or_else(|| err!(ArrowError, "offsets buffer shorter than the array"))
}

/// i32 offsets rebased to start at 0 (borrowed when they already do).
pub(super) fn rebase_i32(offsets: &[i32]) -> Cow<'_, [i32]> {
    let first = offsets[0];
    if first == 0 {
        Cow::Borrowed(offsets)
    } else {
        Cow::Owned(offsets.iter().map(|&o| o - first).collect())
    }
}

/// i64 offsets rebased to 0 and narrowed to i32; fails when the span exceeds 2 GiB.
pub(super) fn rebase_i64(offsets: &[i64]) -> Result<Cow<'static, [i32]>> {
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
