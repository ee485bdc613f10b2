//! Splits: runs of whole record batches of one file, about a target size each, with the node
//! rendezvous hashing prefers for the file.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::plan::pruning::{column_stats, file_may_match, BatchPruner, ColumnDomain};
use crate::storage::records::{ColumnRecord, DataFile};
use crate::storage::snapshot::visit_files;
use crate::zk::membership::preferred_node;
use crate::Result;

/// A unit of scan work: a range of record batches of one file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Split {
    pub path: String,
    pub batch_start: usize,
    pub batch_end: usize,
    /// Bytes of the projected columns the split reads (its weight in split planning).
    pub bytes: u64,
    pub rows: u64,
    /// `host:port` of the registered node that rendezvous hashing of the file picks, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_node: Option<String>,
}

impl Catalog {
    /// Splits of the table's snapshot `snapshot_id` (default: the current one) that read the
    /// columns `column_ids` (`None`: every column): runs of whole record batches of one file,
    /// each about `target_bytes` (default: the live `split_target_size`) of the projected
    /// columns' bytes. Files whose statistics prove that no row matches `domains` are skipped.
    pub async fn plan_splits(
        &self,
        schema: &str,
        table: &str,
        snapshot_id: Option<i64>,
        column_ids: Option<&[u32]>,
        domains: &[ColumnDomain],
        target_bytes: Option<u64>,
    ) -> Result<Vec<Split>> {
        let record = self.require_table(schema, table).await?;
        let snapshot = self.snapshot_at(&record, snapshot_id).await?;
        let target = target_bytes.unwrap_or_else(|| self.settings().split_target_bytes);
        let dir = std::path::Path::new(&record.metadata_location);
        // each file is pruned and split as it is read: only the splits stay in memory
        let mut splits = visit_files(dir, &snapshot, |file, out| {
            if file_may_match(&file, domains, &record.columns) {
                let one = std::slice::from_ref(&file);
                out.extend(plan_file_splits(
                    one,
                    target,
                    column_ids,
                    domains,
                    &record.columns,
                ));
            }
        })?;
        let nodes = self.nodes().await?;
        for split in &mut splits {
            split.preferred_node =
                preferred_node(&split.path, &nodes).map(|n| n.http_address.clone());
        }
        Ok(splits)
    }
}

/// The share of a file's bytes that the columns `column_ids` hold (1 when every column is read, or
/// when the file's statistics do not carry every column's bytes); 0 for a scan of no column.
pub fn projected_share(
    file: &DataFile,
    column_ids: Option<&[u32]>,
    columns: &[ColumnRecord],
) -> f64 {
    let Some(ids) = column_ids else {
        return 1.0;
    };
    let all: Option<u64> = file.columns.values().map(|s| s.bytes).sum();
    let Some(all) = all.filter(|&b| b > 0) else {
        return 1.0;
    };
    let projected: u64 = ids
        .iter()
        .filter_map(|&id| column_stats(file, id, columns).and_then(|s| s.bytes))
        .sum();
    (projected as f64 / all as f64).min(1.0)
}

/// Groups consecutive record batches of each file into splits of about `target_bytes` of the
/// projected columns (`column_ids`, `None`: all): a batch weighs its bytes times the projected
/// columns' share of the file. Batches whose statistics prove that no row matches `domains` are
/// skipped: a split is a run of matching batches.
pub fn plan_file_splits(
    files: &[DataFile],
    target_bytes: u64,
    column_ids: Option<&[u32]>,
    domains: &[ColumnDomain],
    columns: &[ColumnRecord],
) -> Vec<Split> {
    let target = target_bytes.max(1);
    let mut splits = Vec::new();
    for file in files {
        let share = projected_share(file, column_ids, columns);
        let pruner = BatchPruner::new(file, domains, columns);
        let split = |start: usize, end: usize, bytes: u64, rows: u64| Split {
            preferred_node: None,
            path: file.path.clone(),
            batch_start: start,
            batch_end: end,
            bytes,
            rows,
        };
        // the open run of matching batches: its first batch, bytes and rows
        let mut run: Option<(usize, u64, u64)> = None;
        for (i, (&b, &r)) in file.batch_bytes.iter().zip(&file.batch_rows).enumerate() {
            if !pruner.may_match(i) {
                if let Some((start, bytes, rows)) = run.take() {
                    splits.push(split(start, i, bytes, rows));
                }
                continue;
            }
            let (start, bytes, rows) = run.get_or_insert((i, 0, 0));
            *bytes += (b as f64 * share).round() as u64;
            *rows += r;
            if *bytes >= target {
                splits.push(split(*start, i + 1, *bytes, *rows));
                run = None;
            }
        }
        if let Some((start, bytes, rows)) = run {
            splits.push(split(start, file.batch_bytes.len(), bytes, rows));
        }
    }
    splits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(batch_bytes: Vec<u64>) -> DataFile {
        DataFile {
            path: "/f".into(),
            rows: batch_bytes.len() as u64 * 10,
            bytes: batch_bytes.iter().sum(),
            batch_rows: vec![10; batch_bytes.len()],
            batch_bytes,
            columns: Default::default(),
            batch_columns: Default::default(),
        }
    }

    #[test]
    fn splits_group_batches_by_bytes_and_cover_every_batch_once() {
        let splits = plan_file_splits(&[file(vec![40, 40, 40, 10, 100, 5])], 80, None, &[], &[]);
        let ranges: Vec<_> = splits
            .iter()
            .map(|s| (s.batch_start, s.batch_end))
            .collect();
        assert_eq!(ranges, vec![(0, 2), (2, 5), (5, 6)]);
        assert_eq!(splits.iter().map(|s| s.rows).sum::<u64>(), 60);
    }

    #[test]
    fn a_file_without_batches_makes_no_split() {
        assert!(plan_file_splits(&[file(vec![])], 10, None, &[], &[]).is_empty());
    }

    #[test]
    fn splits_weigh_the_projected_columns_bytes() {
        use crate::storage::stats::ColumnStats;
        let mut f = file(vec![40, 40, 40, 40]);
        for (name, id, bytes) in [("a", 1, 10), ("b", 2, 30)] {
            let stats = ColumnStats {
                column_id: Some(id),
                bytes: Some(bytes),
                ..ColumnStats::default()
            };
            f.columns.insert(name.into(), stats);
        }
        let count = |ids: Option<&[u32]>| plan_file_splits(&[f.clone()], 40, ids, &[], &[]).len();
        assert_eq!(count(None), 4);
        assert_eq!(count(Some(&[1, 2])), 4);
        assert_eq!(
            count(Some(&[2])),
            2,
            "30 of every 40 bytes: two batches per split"
        );
        assert_eq!(count(Some(&[1])), 1);
        assert_eq!(count(Some(&[])), 1, "no column: one split per file");
        assert_eq!(
            count(Some(&[9])),
            1,
            "a column the file lacks weighs nothing"
        );
    }

    #[test]
    fn splits_are_runs_of_the_batches_that_may_match() {
        use crate::plan::pruning::Range;
        use crate::storage::stats::{BatchStats, ColumnStats};
        use serde_json::json;
        // batch i holds keys 10*i .. 10*i+9
        let mut f = file(vec![40; 8]);
        let stats = ColumnStats {
            column_id: Some(1),
            min: Some(json!(0)),
            max: Some(json!(79)),
            ..ColumnStats::default()
        };
        f.columns.insert("k".into(), stats);
        f.batch_columns.insert(
            "k".into(),
            BatchStats {
                nulls: vec![],
                min: (0..8).map(|i| json!(10 * i)).collect(),
                max: (0..8).map(|i| json!(10 * i + 9)).collect(),
            },
        );
        let keys = |ranges: Vec<(i64, i64)>| {
            vec![ColumnDomain {
                column_id: 1,
                null_allowed: false,
                ranges: ranges
                    .into_iter()
                    .map(|(lo, hi)| Range {
                        low: Some(json!(lo)),
                        low_inclusive: true,
                        high: Some(json!(hi)),
                        high_inclusive: true,
                    })
                    .collect(),
            }]
        };
        let plan = |domains: &[ColumnDomain], target| {
            plan_file_splits(&[f.clone()], target, None, domains, &[])
                .iter()
                .map(|s| (s.batch_start, s.batch_end, s.rows))
                .collect::<Vec<_>>()
        };
        assert_eq!(plan(&keys(vec![(25, 31)]), 1000), vec![(2, 4, 20)]);
        // two runs, never joined over the skipped batches; a run splits by bytes
        assert_eq!(
            plan(&keys(vec![(5, 5), (30, 65)]), 80),
            vec![(0, 1, 10), (3, 5, 20), (5, 7, 20)]
        );
        assert_eq!(plan(&keys(vec![(100, 200)]), 80), vec![]);
        // the last run reaches the end of the file
        assert_eq!(plan(&keys(vec![(70, 100)]), 1000), vec![(7, 8, 10)]);
        // a domain of another column (no statistics) keeps every batch
        let mut other = keys(vec![(25, 31)]);
        other[0].column_id = 2;
        assert_eq!(plan(&other, 1000), vec![(0, 8, 80)]);
    }
}
