//! File pruning: a file whose per-column statistics cannot satisfy the query's predicate on that
//! column is not scanned. Presto still filters every row it gets, so pruning only has to be safe:
//! when in doubt, a file is kept.

use std::cmp::Ordering;

use serde::Deserialize;
use serde_json::Value;

use crate::storage::records::DataFile;

/// The values a predicate allows for one column (Presto's Domain, simplified): the union of
/// `ranges`, plus NULL when `null_allowed`. Values are in the representation of `ColumnStats`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ColumnDomain {
    pub column: String,
    pub ranges: Vec<Range>,
    #[serde(default)]
    pub null_allowed: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Range {
    pub low: Option<Value>,
    #[serde(default)]
    pub low_inclusive: bool,
    pub high: Option<Value>,
    #[serde(default)]
    pub high_inclusive: bool,
}

/// Orders two statistics values of one column; `None` when they cannot be compared.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
        },
        (Value::String(x), Value::String(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Could some value in `[min, max]` fall in `range`? Unknown comparisons answer yes.
fn overlaps(range: &Range, min: Option<&Value>, max: Option<&Value>) -> bool {
    if let (Some(low), Some(max)) = (&range.low, max) {
        match compare(max, low) {
            Some(Ordering::Less) => return false,
            Some(Ordering::Equal) if !range.low_inclusive => return false,
            _ => {}
        }
    }
    if let (Some(high), Some(min)) = (&range.high, min) {
        match compare(min, high) {
            Some(Ordering::Greater) => return false,
            Some(Ordering::Equal) if !range.high_inclusive => return false,
            _ => {}
        }
    }
    true
}

/// False only when the statistics prove that no row of `file` satisfies every domain.
pub fn file_may_match(file: &DataFile, domains: &[ColumnDomain]) -> bool {
    domains.iter().all(|domain| {
        let Some(stats) = file.columns.get(&domain.column) else {
            return true;
        };
        let has_nulls = stats.null_count > 0;
        let all_null = stats.null_count >= file.rows;
        if domain.null_allowed && has_nulls {
            return true;
        }
        if all_null {
            return false; // only NULLs, and NULL is not allowed
        }
        domain
            .ranges
            .iter()
            .any(|r| overlaps(r, stats.min.as_ref(), stats.max.as_ref()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::stats::ColumnStats;
    use serde_json::json;

    fn file(min: Value, max: Value, nulls: u64) -> DataFile {
        DataFile {
            path: "/f".into(),
            rows: 10,
            bytes: 1,
            batch_rows: vec![10],
            batch_bytes: vec![1],
            columns: [(
                "x".to_string(),
                ColumnStats {
                    null_count: nulls,
                    min: Some(min),
                    max: Some(max),
                },
            )]
            .into(),
        }
    }

    fn domain(ranges: Vec<Range>, null_allowed: bool) -> Vec<ColumnDomain> {
        vec![ColumnDomain {
            column: "x".into(),
            ranges,
            null_allowed,
        }]
    }

    fn range(low: Option<Value>, li: bool, high: Option<Value>, hi: bool) -> Range {
        Range {
            low,
            low_inclusive: li,
            high,
            high_inclusive: hi,
        }
    }

    #[test]
    fn prunes_files_whose_range_misses_the_predicate() {
        let f = file(json!(10), json!(20), 0);
        assert!(!file_may_match(
            &f,
            &domain(vec![range(Some(json!(21)), true, None, false)], false)
        ));
        assert!(!file_may_match(
            &f,
            &domain(vec![range(Some(json!(20)), false, None, false)], false)
        ));
        assert!(file_may_match(
            &f,
            &domain(vec![range(Some(json!(20)), true, None, false)], false)
        ));
        assert!(!file_may_match(
            &f,
            &domain(vec![range(None, false, Some(json!(10)), false)], false)
        ));
        let point = |v| range(Some(json!(v)), true, Some(json!(v)), true);
        assert!(file_may_match(
            &f,
            &domain(vec![point(3), point(15)], false)
        ));
        assert!(!file_may_match(
            &f,
            &domain(vec![point(3), point(25)], false)
        ));
    }

    #[test]
    fn keeps_files_when_nulls_are_wanted_or_values_are_not_comparable() {
        let f = file(json!("b"), json!("d"), 2);
        assert!(file_may_match(&f, &domain(vec![], true)));
        assert!(!file_may_match(
            &f,
            &domain(vec![range(Some(json!("e")), true, None, false)], false)
        ));
        assert!(file_may_match(
            &f,
            &domain(vec![range(Some(json!(1)), true, None, false)], false)
        ));
        let all_null = file(json!(null), json!(null), 10);
        assert!(!file_may_match(
            &all_null,
            &domain(vec![range(None, false, None, false)], false)
        ));
        let unknown = DataFile {
            columns: Default::default(),
            ..f
        };
        assert!(file_may_match(&unknown, &domain(vec![], false)));
    }
}
