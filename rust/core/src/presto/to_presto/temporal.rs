//! Dates (days), times (milliseconds of the day) and timestamps (milliseconds; zoned ones packed
//! with UTC's zone key).

use std::borrow::Cow;

use arrow::array::Array;
use arrow::datatypes::{
    DataType, Date32Type, Date64Type, Time32MillisecondType, Time32SecondType,
    Time64MicrosecondType, Time64NanosecondType, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};

use super::{map_prim, prim, unsupported};
use crate::error::Result;
use crate::presto::layout::{PrestoValues, TIME_ZONE_SHIFT};

/// Values of a date, time or timestamp array.
pub(super) fn values(array: &dyn Array, start: usize, len: usize) -> Result<PrestoValues<'_>> {
    use Cow::{Borrowed, Owned};
    use PrestoValues as V;
    Ok(match array.data_type() {
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
        other => return Err(unsupported(other)),
    })
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
