//! Strings (checked to be UTF-8) and binaries from variable-width blocks.

use std::sync::Arc;

use arrow::array::{ArrayRef, BinaryArray, StringArray};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::DataType;

use super::{mismatch, offsets, scalar};
use crate::err;
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// A string or binary array.
pub(super) fn convert(
    positions: usize,
    valid: Option<NullBuffer>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use PrestoValues as V;
    let array: ArrayRef = match (data_type, values) {
        (DataType::Utf8, V::VarWidth { offsets: o, data }) => {
            let o = offsets(o, positions, data.len(), "VARWIDTH")?;
            check_utf8(&o, &data)?;
            // SAFETY: offsets checked by `offsets`, UTF-8 and boundaries by `check_utf8`.
            Arc::new(unsafe { StringArray::new_unchecked(o, scalar(data).into_inner(), valid) })
        }
        (DataType::Binary, V::VarWidth { offsets: o, data }) => {
            let o = offsets(o, positions, data.len(), "VARWIDTH")?;
            Arc::new(BinaryArray::try_new(o, scalar(data).into_inner(), valid)?)
        }
        (data_type, values) => return Err(mismatch(&values, data_type)),
    };
    Ok(array)
}

/// Checks that the bytes `offsets` span are UTF-8 and that every offset is on a char boundary
/// (always true for ASCII, the common case, which skips that pass).
fn check_utf8(offsets: &OffsetBuffer<i32>, data: &[u8]) -> Result<()> {
    let (start, end) = (offsets[0] as usize, offsets[offsets.len() - 1] as usize);
    let text = std::str::from_utf8(&data[start..end])
        .map_err(|e| err!(InvalidArgument, "a varchar column is not valid UTF-8: {e}"))?;
    if !text.is_ascii() {
        if let Some(o) = offsets
            .iter()
            .find(|&&o| !text.is_char_boundary(o as usize - start))
        {
            return Err(err!(
                InvalidArgument,
                "a varchar column is not valid UTF-8: offset {o} splits a character"
            ));
        }
    }
    Ok(())
}
