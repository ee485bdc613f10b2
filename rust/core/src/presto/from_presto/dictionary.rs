//! Dictionary blocks, materialized with `take` on the converted dictionary.

use arrow::array::{ArrayRef, Int32Array};
use arrow::compute::take;
use arrow::datatypes::DataType;

use super::{check_len, into_arrow, validity};
use crate::err;
use crate::error::Result;
use crate::presto::layout::PrestoColumn;

/// A dictionary block of `ids` into `dictionary`, as an array of `data_type`.
pub(super) fn convert(
    positions: usize,
    nulls: Option<&[bool]>,
    ids: Vec<i32>,
    dictionary: PrestoColumn<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    check_len("DICTIONARY", positions, ids.len(), positions)?;
    let valid = validity(positions, nulls)?;
    let entries = dictionary.positions;
    let dictionary = into_arrow(dictionary, data_type)?;
    let out_of_range = |id: i32| id < 0 || id as usize >= entries;
    let bad = (0..positions)
        .find(|&i| out_of_range(ids[i]) && valid.as_ref().is_none_or(|v| v.is_valid(i)));
    if let Some(i) = bad {
        return Err(err!(
            InvalidArgument,
            "dictionary id {} at position {i} is outside the dictionary of {entries} entries",
            ids[i]
        ));
    }
    let mut ids = ids;
    if valid.is_some() {
        // ids at null positions are not looked at by Presto; make them harmless for `take`.
        ids.iter_mut()
            .filter(|id| out_of_range(**id))
            .for_each(|id| *id = 0);
    }
    let indices = Int32Array::new(ids.into(), valid);
    Ok(take(dictionary.as_ref(), &indices, None)?)
}
