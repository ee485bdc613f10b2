//! File pruning: a file whose per-column statistics cannot satisfy the query's predicate on that
//! column is not scanned. Presto still filters every row it gets, so pruning only has to be safe:
//! when in doubt, a file is kept.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage::records::{ColumnRecord, DataFile};
use crate::storage::stats::ColumnStats;

/// The values a predicate allows for one column (Presto's Domain, simplified): the union of
/// `ranges`, plus NULL when `null_allowed`. Values are in the representation of `ColumnStats`.
/// The column is named by its id: a column dropped and re-added under its name is another column,
/// whose domain the old column's statistics must not decide.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnDomain {
    pub column_id: u32,
    #[serde(default)]
    pub null_allowed: bool,
    pub ranges: Vec<Range>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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

/// The statistics of table column `column_id` in `file`: those the writer tagged with the id, else,
/// for a registered column (it has a `file_name`), those of that name. Files written before
/// protocol v2 carry no ids: their statistics are not used (`None`).
pub fn column_stats<'f>(
    file: &'f DataFile,
    column_id: u32,
    columns: &[ColumnRecord],
) -> Option<&'f ColumnStats> {
    if let Some(stats) = file
        .columns
        .values()
        .find(|s| s.column_id == Some(column_id))
    {
        return Some(stats);
    }
    let file_name = columns
        .iter()
        .find(|c| c.id == column_id)?
        .file_name
        .as_deref()?;
    file.columns
        .get(file_name)
        .filter(|s| s.column_id.is_none())
}

/// False only when the statistics prove that no row of `file` satisfies every domain; `columns`
/// are the table's columns (for the names of registered columns).
pub fn file_may_match(file: &DataFile, domains: &[ColumnDomain], columns: &[ColumnRecord]) -> bool {
    domains.iter().all(|domain| {
        let Some(stats) = column_stats(file, domain.column_id, columns) else {
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
                    column_id: Some(7),
                    null_count: nulls,
                    min: Some(min),
                    max: Some(max),
                    bytes: None,
                },
            )]
            .into(),
        }
    }

    /// A file's statistics tagged with column id 7 against domains of column 7.
    fn file_may_match(f: &DataFile, domains: &[ColumnDomain]) -> bool {
        super::file_may_match(f, domains, &[])
    }

    fn domain(ranges: Vec<Range>, null_allowed: bool) -> Vec<ColumnDomain> {
        vec![ColumnDomain {
            column_id: 7,
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

    #[test]
    fn statistics_are_found_by_column_id_or_registered_file_name() {
        let miss = domain(vec![range(Some(json!(21)), true, None, false)], false);
        let tagged = file(json!(10), json!(20), 0);
        assert!(!file_may_match(&tagged, &miss));
        // another column under the same name (dropped and re-added: id 8): not pruned
        let other = vec![ColumnDomain {
            column_id: 8,
            ..miss[0].clone()
        }];
        assert!(file_may_match(&tagged, &other));
        // statistics without ids: only a registered column's file name finds them
        let mut old = tagged.clone();
        old.columns.get_mut("x").unwrap().column_id = None;
        assert!(super::file_may_match(&old, &miss, &[]));
        let registered = ColumnRecord {
            id: 7,
            name: "renamed".into(),
            presto_type: "bigint".into(),
            file_name: Some("x".into()),
        };
        assert!(!super::file_may_match(
            &old,
            &miss,
            std::slice::from_ref(&registered)
        ));
        let unregistered = ColumnRecord {
            file_name: None,
            ..registered
        };
        assert!(super::file_may_match(&old, &miss, &[unregistered]));
    }
}
