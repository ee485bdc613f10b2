//! Dictionary arrays as Presto dictionary blocks: ids, and the converted dictionary with one null
//! entry appended that null positions point at.

use arrow::array::{Array, AsArray};
use arrow::datatypes::{
    ArrowDictionaryKeyType, ArrowNativeType, DataType, Int16Type, Int32Type, Int64Type, Int8Type,
    UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};

use super::{unsupported, valid_window};
use crate::err;
use crate::error::Result;
use crate::presto::layout::{PrestoColumn, PrestoValues};

/// Converts positions `start..start + len` of a dictionary array whose keys are `key`.
pub(super) fn convert<'a>(
    array: &'a dyn Array,
    key: &DataType,
    start: usize,
    len: usize,
) -> Result<PrestoColumn<'a>> {
    match key {
        DataType::Int8 => dictionary::<Int8Type>(array, start, len),
        DataType::Int16 => dictionary::<Int16Type>(array, start, len),
        DataType::Int32 => dictionary::<Int32Type>(array, start, len),
        DataType::Int64 => dictionary::<Int64Type>(array, start, len),
        DataType::UInt8 => dictionary::<UInt8Type>(array, start, len),
        DataType::UInt16 => dictionary::<UInt16Type>(array, start, len),
        DataType::UInt32 => dictionary::<UInt32Type>(array, start, len),
        DataType::UInt64 => dictionary::<UInt64Type>(array, start, len),
        _ => Err(unsupported(array.data_type())),
    }
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
    let mut dictionary = super::convert(values.as_ref(), 0, entries)?;
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
