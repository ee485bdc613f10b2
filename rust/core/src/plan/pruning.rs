//! File and record batch pruning: a file (or a record batch of a file, on the per-batch statistics
//! the writer or registration keeps) whose per-column statistics cannot satisfy the query's
//! predicate on that column is not scanned. Presto still filters every row it gets, so pruning
//! only has to be safe: when in doubt, a file or batch is kept.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage::records::{ColumnRecord, DataFile};
use crate::storage::stats::{BatchStats, ColumnStats};

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
    column_entry(file, column_id, columns).map(|(_, stats)| stats)
}

/// [`column_stats`] with the name the file's statistics are kept under.
fn column_entry<'f>(
    file: &'f DataFile,
    column_id: u32,
    columns: &[ColumnRecord],
) -> Option<(&'f str, &'f ColumnStats)> {
    if let Some((name, stats)) = file
        .columns
        .iter()
        .find(|(_, s)| s.column_id == Some(column_id))
    {
        return Some((name, stats));
    }
    let file_name = columns
        .iter()
        .find(|c| c.id == column_id)?
        .file_name
        .as_deref()?;
    file.columns
        .get_key_value(file_name)
        .filter(|(_, s)| s.column_id.is_none())
        .map(|(name, stats)| (name.as_str(), stats))
}

/// Could some of `rows` rows, with `null_count` NULLs and other values in `[min, max]`, satisfy
/// `domain`?
fn may_match(
    domain: &ColumnDomain,
    null_count: u64,
    rows: u64,
    min: Option<&Value>,
    max: Option<&Value>,
) -> bool {
    if domain.null_allowed && null_count > 0 {
        return true;
    }
    if null_count >= rows {
        return false; // only NULLs, and NULL is not allowed
    }
    domain.ranges.iter().any(|r| overlaps(r, min, max))
}

/// False only when the statistics prove that no row of `file` satisfies every domain; `columns`
/// are the table's columns (for the names of registered columns).
pub fn file_may_match(file: &DataFile, domains: &[ColumnDomain], columns: &[ColumnRecord]) -> bool {
    domains.iter().all(|domain| {
        let Some(stats) = column_stats(file, domain.column_id, columns) else {
            return true;
        };
        may_match(
            domain,
            stats.null_count,
            file.rows,
            stats.min.as_ref(),
            stats.max.as_ref(),
        )
    })
}

/// Decides which record batches of one file may hold a row that satisfies every domain, from the
/// file's per-batch statistics (found by column id as [`column_stats`] finds a column's). A column
/// without per-batch statistics never excludes a batch.
pub struct BatchPruner<'f, 'd> {
    file: &'f DataFile,
    /// The domains of columns with per-batch statistics in the file.
    domains: Vec<(&'d ColumnDomain, &'f BatchStats)>,
}

impl<'f, 'd> BatchPruner<'f, 'd> {
    pub fn new(file: &'f DataFile, domains: &'d [ColumnDomain], columns: &[ColumnRecord]) -> Self {
        let domains = if file.batch_columns.is_empty() {
            Vec::new()
        } else {
            domains
                .iter()
                .filter_map(|d| {
                    let (name, _) = column_entry(file, d.column_id, columns)?;
                    Some((d, file.batch_columns.get(name)?))
                })
                .collect()
        };
        BatchPruner { file, domains }
    }

    /// False only when the statistics prove that no row of batch `index` satisfies every domain.
    pub fn may_match(&self, index: usize) -> bool {
        let batches = self.file.batch_rows.len();
        let Some(&rows) = self.file.batch_rows.get(index) else {
            return true;
        };
        self.domains.iter().all(|(domain, stats)| {
            let Some((nulls, min, max)) = stats.batch(index, batches) else {
                return true;
            };
            may_match(domain, nulls, rows, min, max)
        })
    }
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
                    sketch: None,
                },
            )]
            .into(),
            batch_columns: Default::default(),
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

    /// A file of four batches of 10 rows: column "x" (id 7) holds 0..10, 10..20, NULLs only,
    /// and 30..40 with 3 NULLs.
    fn batched() -> DataFile {
        let mut f = file(json!(0), json!(39), 13);
        f.rows = 40;
        f.batch_rows = vec![10; 4];
        f.batch_bytes = vec![1; 4];
        f.batch_columns.insert(
            "x".into(),
            BatchStats {
                nulls: vec![0, 0, 10, 3],
                min: vec![json!(0), json!(10), Value::Null, json!(30)],
                max: vec![json!(9), json!(19), Value::Null, json!(39)],
            },
        );
        f
    }

    fn matching(f: &DataFile, domains: &[ColumnDomain], columns: &[ColumnRecord]) -> Vec<usize> {
        let pruner = BatchPruner::new(f, domains, columns);
        (0..f.batch_rows.len())
            .filter(|&i| pruner.may_match(i))
            .collect()
    }

    #[test]
    fn prunes_batches_by_range_and_nulls() {
        let f = batched();
        let between = |lo, hi| {
            domain(
                vec![range(Some(json!(lo)), true, Some(json!(hi)), true)],
                false,
            )
        };
        assert_eq!(matching(&f, &between(12, 15), &[]), vec![1]);
        assert_eq!(matching(&f, &between(9, 10), &[]), vec![0, 1]);
        assert_eq!(matching(&f, &between(20, 29), &[]), Vec::<usize>::new());
        let above = domain(vec![range(Some(json!(19)), false, None, false)], false);
        assert_eq!(matching(&f, &above, &[]), vec![3]);
        // IS NULL: the batches that hold NULLs
        assert_eq!(matching(&f, &domain(vec![], true), &[]), vec![2, 3]);
        // IS NOT NULL (every value, no NULL): all but the batch of NULLs
        let not_null = domain(vec![range(None, false, None, false)], false);
        assert_eq!(matching(&f, &not_null, &[]), vec![0, 1, 3]);
        // a bound of another type is not comparable: kept
        let text = domain(vec![range(Some(json!("a")), true, None, false)], false);
        assert_eq!(matching(&f, &text, &[]), vec![0, 1, 3]);
        // no domains: every batch
        assert_eq!(matching(&f, &[], &[]), vec![0, 1, 2, 3]);
    }

    #[test]
    fn batches_without_statistics_are_kept() {
        let between = domain(
            vec![range(Some(json!(12)), true, Some(json!(15)), true)],
            false,
        );
        // a manifest written before: no per-batch statistics
        let mut old = batched();
        old.batch_columns.clear();
        assert_eq!(matching(&old, &between, &[]), vec![0, 1, 2, 3]);
        // statistics of another batch count are not used
        let mut short = batched();
        short.batch_columns.get_mut("x").unwrap().min.pop();
        assert_eq!(matching(&short, &between, &[]), vec![0, 1, 2, 3]);
        // unknown bounds: the batch is kept
        let mut unknown = batched();
        unknown.batch_columns.get_mut("x").unwrap().max[0] = Value::Null;
        assert_eq!(matching(&unknown, &between, &[]), vec![0, 1]);
        // absent nulls mean no NULL; absent bounds mean none known
        let mut lean = batched();
        let x = lean.batch_columns.get_mut("x").unwrap();
        x.nulls.clear();
        x.max.clear();
        assert_eq!(matching(&lean, &between, &[]), vec![0, 1, 2]);
        assert_eq!(
            matching(&lean, &domain(vec![], true), &[]),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn batch_statistics_are_found_by_column_id_or_registered_file_name() {
        let between = domain(
            vec![range(Some(json!(12)), true, Some(json!(15)), true)],
            false,
        );
        let f = batched();
        // the column renamed in the table: statistics still found by id
        assert_eq!(matching(&f, &between, &[]), vec![1]);
        // a column re-added under the same name (id 8): nothing pruned
        let other = vec![ColumnDomain {
            column_id: 8,
            ..between[0].clone()
        }];
        assert_eq!(matching(&f, &other, &[]), vec![0, 1, 2, 3]);
        // a registered file (no ids): found through the column's file name only
        let mut registered_file = batched();
        registered_file.columns.get_mut("x").unwrap().column_id = None;
        assert_eq!(matching(&registered_file, &between, &[]), vec![0, 1, 2, 3]);
        let renamed = ColumnRecord {
            id: 7,
            name: "renamed".into(),
            presto_type: "bigint".into(),
            file_name: Some("x".into()),
        };
        assert_eq!(
            matching(&registered_file, &between, std::slice::from_ref(&renamed)),
            vec![1]
        );
    }
}
