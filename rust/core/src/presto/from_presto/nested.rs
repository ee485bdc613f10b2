//! Lists, maps and structs. Row fields hold only the non-null rows; they are expanded back to
//! full length with Arrow's `take` (null indices at null rows).

use std::sync::Arc;

use arrow::array::{ArrayRef, ListArray, MapArray, StructArray, UInt32Array};
use arrow::buffer::NullBuffer;
use arrow::compute::take;
use arrow::datatypes::DataType;

use super::{check_len, into_arrow, mismatch, offsets};
use crate::err;
use crate::error::Result;
use crate::presto::layout::PrestoValues;

/// A list, map or struct array.
pub(super) fn convert(
    positions: usize,
    valid: Option<NullBuffer>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use PrestoValues as V;
    let array: ArrayRef = match (data_type, values) {
        (
            DataType::List(field),
            V::Array {
                offsets: o,
                elements,
            },
        ) => {
            let elements = into_arrow(*elements, field.data_type())?;
            let o = offsets(o, positions, elements.len(), "ARRAY")?;
            Arc::new(ListArray::try_new(Arc::clone(field), o, elements, valid)?)
        }
        (
            DataType::Map(field, ordered),
            V::Map {
                offsets: o,
                keys,
                values,
            },
        ) => {
            let DataType::Struct(entry_fields) = field.data_type() else {
                return Err(err!(
                    UnsupportedType,
                    "Arrow type {data_type} is not a valid map"
                ));
            };
            if entry_fields.len() != 2 {
                return Err(err!(
                    UnsupportedType,
                    "Arrow type {data_type} is not a valid map"
                ));
            }
            if keys.positions != values.positions {
                return Err(err!(
                    InvalidArgument,
                    "a Presto MAP block has {} keys and {} values",
                    keys.positions,
                    values.positions
                ));
            }
            let entries = keys.positions;
            let keys = into_arrow(*keys, entry_fields[0].data_type())?;
            let values = into_arrow(*values, entry_fields[1].data_type())?;
            let entries_array = StructArray::try_new_with_length(
                entry_fields.clone(),
                vec![keys, values],
                None,
                entries,
            )
            .map_err(|e| err!(InvalidArgument, "invalid Presto MAP block: {e}"))?;
            let o = offsets(o, positions, entries, "MAP")?;
            Arc::new(MapArray::try_new(
                Arc::clone(field),
                o,
                entries_array,
                valid,
                *ordered,
            )?)
        }
        (DataType::Struct(fields), V::Row { fields: columns }) => {
            if columns.len() != fields.len() {
                return Err(err!(
                    InvalidArgument,
                    "a Presto ROW block has {} fields, Arrow type {data_type} has {}",
                    columns.len(),
                    fields.len()
                ));
            }
            let present = positions - valid.as_ref().map_or(0, NullBuffer::null_count);
            // Row fields hold only the non-null rows: index i of a non-null row is its rank.
            let expand = valid.as_ref().map(|v| {
                let mut rank = 0u32;
                let ranks: Vec<u32> = v
                    .iter()
                    .map(|is_valid| {
                        let r = rank;
                        rank += u32::from(is_valid);
                        r
                    })
                    .collect();
                UInt32Array::new(ranks.into(), Some(v.clone()))
            });
            let mut arrays = Vec::with_capacity(columns.len());
            for (field, column) in fields.iter().zip(columns) {
                check_len("ROW field", present, column.positions, present)?;
                let compact = into_arrow(column, field.data_type())?;
                arrays.push(match &expand {
                    Some(indices) => take(compact.as_ref(), indices, None)?,
                    None => compact,
                });
            }
            Arc::new(
                StructArray::try_new_with_length(fields.clone(), arrays, valid, positions)
                    .map_err(|e| err!(InvalidArgument, "invalid Presto ROW block: {e}"))?,
            )
        }
        (data_type, values) => return Err(mismatch(&values, data_type)),
    };
    Ok(array)
}
