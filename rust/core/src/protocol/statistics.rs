//! `table_statistics`: what Presto's cost-based optimizer gets for a snapshot (SHOW STATS, join
//! ordering). Row count always; per column, when the snapshot keeps column statistics (see
//! `storage::table_stats`): null fraction, distinct values, data size, and low / high values for
//! the types Presto gives a numeric range (its `DoubleRange`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage::records::{ColumnRecord, Manifest};
use crate::storage::stats::ColumnStats;

/// The answer to `table_statistics`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableStatistics {
    pub snapshot_id: i64,
    pub row_count: u64,
    /// One per current column, when the snapshot keeps column statistics (else empty).
    pub columns: Vec<ColumnStatistics>,
}

/// Estimates for one column; an absent member is unknown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnStatistics {
    pub column_id: u32,
    pub null_fraction: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_count: Option<u64>,
    /// The column's bytes in the files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_size: Option<u64>,
    /// The range as Presto's statistics represent the type's values: numbers, decimals as their
    /// value, dates as days, timestamps as milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
}

/// The statistics of snapshot `manifest` of a table whose columns are `columns`.
pub fn table_statistics(manifest: &Manifest, columns: &[ColumnRecord]) -> TableStatistics {
    let row_count = manifest.row_count();
    let columns = match &manifest.column_stats {
        Some(stats) => columns
            .iter()
            .filter_map(|c| Some(column_statistics(c, stats.get(&c.id)?, row_count)))
            .collect(),
        None => Vec::new(),
    };
    TableStatistics {
        snapshot_id: manifest.snapshot_id,
        row_count,
        columns,
    }
}

fn column_statistics(column: &ColumnRecord, stats: &ColumnStats, rows: u64) -> ColumnStatistics {
    let null_count = stats.null_count.min(rows);
    let values = rows - null_count;
    let distinct_count = stats
        .sketch
        .as_ref()
        .filter(|_| has_distinct_count(&column.presto_type))
        // at least one distinct value among non-null ones, and never more than there are
        .map(|s| s.estimate().clamp(values.min(1), values));
    let (low, high) = if values == 0 {
        (None, None)
    } else {
        let scale = range_scale(&column.presto_type);
        let as_double = |v: &Option<Value>| scale.and_then(|s| to_double(v.as_ref()?, s));
        (as_double(&stats.min), as_double(&stats.max))
    };
    ColumnStatistics {
        column_id: column.id,
        null_fraction: if rows == 0 {
            0.0
        } else {
            null_count as f64 / rows as f64
        },
        distinct_count,
        data_size: stats.bytes,
        low,
        high,
    }
}

/// Whether the values of a type are hashed into sketches (nested types are not).
fn has_distinct_count(presto_type: &str) -> bool {
    !["array(", "map(", "row("]
        .iter()
        .any(|p| presto_type.starts_with(p))
}

/// For a type with a numeric range, the decimal scale its statistics are kept in (0 but for
/// decimals); `None` for types without one.
fn range_scale(presto_type: &str) -> Option<u32> {
    match presto_type {
        "tinyint" | "smallint" | "integer" | "bigint" | "real" | "double" | "date"
        | "timestamp" => Some(0),
        t => {
            let args = t.strip_prefix("decimal(")?.strip_suffix(')')?;
            let (_, scale) = args.split_once(',')?;
            scale.trim().parse().ok()
        }
    }
}

/// A statistics bound (a JSON number, or a long decimal's unscaled value as a string) as a
/// double, divided by 10^scale.
fn to_double(v: &Value, scale: u32) -> Option<f64> {
    let unscaled = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.parse::<i128>().ok()? as f64,
        _ => return None,
    };
    let value = unscaled / 10f64.powi(scale as i32);
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges_by_type() {
        assert_eq!(range_scale("bigint"), Some(0));
        assert_eq!(range_scale("decimal(12, 2)"), Some(2));
        assert_eq!(range_scale("decimal(38,10)"), Some(10));
        assert_eq!(range_scale("varchar"), None);
        assert_eq!(range_scale("varchar(10)"), None);
        assert_eq!(range_scale("timestamp with time zone"), None);
        assert_eq!(to_double(&json!(12345), 2), Some(123.45));
        assert_eq!(to_double(&json!("-100000000000000000000"), 10), Some(-1e10));
        assert_eq!(to_double(&json!("abc"), 0), None);
        assert_eq!(to_double(&json!(1.5), 0), Some(1.5));
    }
}
