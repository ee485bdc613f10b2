//! Dates, times (milliseconds of the day) and timestamps (zoned ones unpacked to UTC millis).

use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::{ArrayRef, Time32MillisecondArray, TimestampMillisecondArray};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, TimeUnit};

use super::primitive::primitive;
use super::{check_len, mismatch};
use crate::err;
use crate::error::Result;
use crate::presto::layout::{PrestoValues, TIME_ZONE_SHIFT};

/// A date, time or timestamp array.
pub(super) fn convert(
    positions: usize,
    valid: Option<NullBuffer>,
    values: PrestoValues<'_>,
    data_type: &DataType,
) -> Result<ArrayRef> {
    use PrestoValues as V;
    let array: ArrayRef = match (data_type, values) {
        (DataType::Date32, V::Ints(v)) => Arc::new(primitive::<arrow::datatypes::Date32Type>(
            v, positions, valid, "INT",
        )?),
        (DataType::Time32(TimeUnit::Millisecond), V::Longs(v)) => {
            check_len("LONG", positions, v.len(), positions)?;
            if let Some(bad) = v.iter().find(|&&x| i32::try_from(x).is_err()) {
                return Err(err!(
                    InvalidArgument,
                    "time value {bad} ms is out of range for Arrow time32(ms)"
                ));
            }
            let narrow: Vec<i32> = v.iter().map(|&x| x as i32).collect();
            Arc::new(Time32MillisecondArray::new(narrow.into(), valid))
        }
        (DataType::Timestamp(TimeUnit::Millisecond, None), V::Longs(v)) => {
            Arc::new(primitive::<arrow::datatypes::TimestampMillisecondType>(
                v, positions, valid, "LONG",
            )?)
        }
        (DataType::Timestamp(TimeUnit::Millisecond, Some(tz)), V::Longs(v)) => {
            check_len("LONG", positions, v.len(), positions)?;
            // Packed `millis << 12 | zone key`: the millis are UTC whatever the zone.
            let millis: Vec<i64> = match v {
                Cow::Owned(mut packed) => {
                    packed.iter_mut().for_each(|x| *x >>= TIME_ZONE_SHIFT);
                    packed
                }
                Cow::Borrowed(packed) => packed.iter().map(|&x| x >> TIME_ZONE_SHIFT).collect(),
            };
            Arc::new(
                TimestampMillisecondArray::new(millis.into(), valid).with_timezone(Arc::clone(tz)),
            )
        }
        (data_type, values) => return Err(mismatch(&values, data_type)),
    };
    Ok(array)
}
