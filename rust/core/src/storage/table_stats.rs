//! Statistics of a table's columns as a whole (nulls, bounds, bytes, distinct-value sketch), kept
//! in each format-2 snapshot manifest by column id, for Presto's cost-based optimizer.
//!
//! They are folded from the statistics of the files a commit adds, never recomputed from the
//! snapshot's files (data manifests do not keep sketches): an append folds its files into the
//! parent's, an overwrite starts over, a replace (compaction) keeps the parent's. A snapshot
//! whose statistics cannot cover every row (a file described before sketches existed, or a parent
//! without them) has none.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::storage::records::{ColumnRecord, DataFile};
use crate::storage::sketch::Sketch;
use crate::storage::stats::{merge_bound, ColumnStats};

/// Column statistics of a whole snapshot, by table column id.
pub type TableStats = BTreeMap<u32, ColumnStats>;

/// Folds `files` into `stats`, which describe `rows` rows so far (all of them, for every column
/// of `columns`). `None` when a file carries no sketches: then nothing covers every row.
pub fn fold(
    mut stats: TableStats,
    mut rows: u64,
    files: &[DataFile],
    columns: &[ColumnRecord],
) -> Option<TableStats> {
    for file in files {
        if file.columns.values().any(|c| c.sketch.is_none()) {
            return None;
        }
        for column in columns {
            let entry = stats.entry(column.id).or_insert_with(|| ColumnStats {
                column_id: Some(column.id),
                // a column added after these rows were written reads as NULL in them
                null_count: rows,
                bytes: Some(0),
                sketch: Some(Sketch::default()),
                ..ColumnStats::default()
            });
            match file_column(file, column) {
                Some(part) => add(entry, rows, part, file.rows),
                // the file predates the column: NULL in every row
                None => entry.null_count += file.rows,
            }
        }
        rows += file.rows;
    }
    Some(stats)
}

/// Adds the statistics `part` of `part_rows` rows to `entry` (of `rows` rows).
fn add(entry: &mut ColumnStats, rows: u64, part: &ColumnStats, part_rows: u64) {
    let had_values = entry.null_count < rows;
    let has_values = part.null_count < part_rows;
    if has_values {
        if had_values {
            entry.min = merge_bound(&entry.min, &part.min, Ordering::Less);
            entry.max = merge_bound(&entry.max, &part.max, Ordering::Greater);
        } else {
            entry.min = part.min.clone();
            entry.max = part.max.clone();
        }
    }
    entry.null_count += part.null_count;
    entry.bytes = entry.bytes.zip(part.bytes).map(|(a, b)| a + b);
    if let (Some(sketch), Some(other)) = (entry.sketch.as_mut(), part.sketch.as_ref()) {
        sketch.merge(other);
    }
}

/// The statistics of table column `column` in `file`: those tagged with its id (files zkarrow
/// wrote), else those under its name in registered files.
fn file_column<'f>(file: &'f DataFile, column: &ColumnRecord) -> Option<&'f ColumnStats> {
    if let Some(stats) = file
        .columns
        .values()
        .find(|s| s.column_id == Some(column.id))
    {
        return Some(stats);
    }
    let name = column.file_name.as_deref()?;
    file.columns.get(name).filter(|s| s.column_id.is_none())
}

/// `files` without their sketches: what a data manifest keeps.
pub fn without_sketches(mut files: Vec<DataFile>) -> Vec<DataFile> {
    for file in &mut files {
        for column in file.columns.values_mut() {
            column.sketch = None;
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Int64Array;
    use serde_json::json;

    fn column(id: u32) -> ColumnRecord {
        ColumnRecord {
            id,
            name: format!("c{id}"),
            presto_type: "bigint".into(),
            file_name: None,
        }
    }

    fn file(values: &[(u32, Vec<Option<i64>>)], rows: u64) -> DataFile {
        let columns = values
            .iter()
            .map(|(id, v)| {
                let array = Int64Array::from(v.clone());
                let mut s = ColumnStats::compute(&array).with_sketch(&array);
                s.column_id = Some(*id);
                (format!("c{id}"), s)
            })
            .collect();
        DataFile::new(std::path::Path::new("f"), 1, vec![rows], vec![1], columns)
    }

    #[test]
    fn folds_nulls_bounds_and_distinct_values() {
        let cols = [column(1), column(2)];
        let a = file(&[(1, vec![Some(5), None]), (2, vec![None, None])], 2);
        let b = file(&[(1, vec![Some(-3), Some(5)]), (2, vec![Some(7), None])], 2);
        let stats = fold(TableStats::new(), 0, &[a, b], &cols).unwrap();
        let c1 = &stats[&1];
        assert_eq!(c1.null_count, 1);
        assert_eq!(
            (c1.min.clone(), c1.max.clone()),
            (Some(json!(-3)), Some(json!(5)))
        );
        assert_eq!(c1.sketch.as_ref().unwrap().estimate(), 2);
        // an all-NULL part does not make the bounds unknown
        let c2 = &stats[&2];
        assert_eq!(c2.null_count, 3);
        assert_eq!(
            (c2.min.clone(), c2.max.clone()),
            (Some(json!(7)), Some(json!(7)))
        );
    }

    #[test]
    fn added_columns_are_null_in_older_rows_and_old_files_give_none() {
        let one = [column(1)];
        let stats = fold(
            TableStats::new(),
            0,
            &[file(&[(1, vec![Some(1)])], 1)],
            &one,
        )
        .unwrap();
        let both = [column(1), column(2)];
        let next = file(&[(1, vec![Some(2)]), (2, vec![Some(9)])], 1);
        let stats = fold(stats, 1, std::slice::from_ref(&next), &both).unwrap();
        assert_eq!(stats[&2].null_count, 1);
        assert_eq!(stats[&2].min, Some(json!(9)));
        assert!(fold(stats, 2, &without_sketches(vec![next]), &both).is_none());
    }
}
