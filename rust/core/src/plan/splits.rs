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
        self.plan_splits_up_to(
            schema,
            table,
            snapshot_id,
            column_ids,
            domains,
            target_bytes,
            None,
        )
        .await
    }

    /// [`Self::plan_splits`] for a scan that needs at most `row_limit` rows (a LIMIT directly
    /// over the scan; `None`: every row): only the first files and record batches whose
    /// manifest row counts add up to the limit, the last split cut to just enough batches.
    /// With `domains` the limit is not applied: batch statistics only say that rows *may*
    /// match, so the rows the engine keeps after filtering cannot be counted.
    #[allow(clippy::too_many_arguments)]
    pub async fn plan_splits_up_to(
        &self,
        schema: &str,
        table: &str,
        snapshot_id: Option<i64>,
        column_ids: Option<&[u32]>,
        domains: &[ColumnDomain],
        target_bytes: Option<u64>,
        row_limit: Option<u64>,
    ) -> Result<Vec<Split>> {
        let record = self.require_table(schema, table).await?;
        let snapshot = self.snapshot_at(&record, snapshot_id).await?;
        let target = target_bytes.unwrap_or_else(|| self.settings().split_target_bytes);
        let row_limit = row_limit.filter(|_| domains.is_empty());
        let dir = std::path::Path::new(&record.metadata_location);
        // each file is pruned and split as it is read: only the splits stay in memory (with a
        // limit, only the splits of each file's first `limit` rows)
        let files = visit_files(dir, &snapshot, |file, out| {
            if !file_may_match(&file, domains, &record.columns) {
                return;
            }
            let one = std::slice::from_ref(&file);
            let splits = plan_file_splits(one, target, column_ids, domains, &record.columns);
            match row_limit {
                None => out.push(FileSplits::whole(splits)),
                Some(limit) => {
                    let mut prefix = FileSplits::prefix(&file, column_ids, &record.columns, splits);
                    prefix.keep_rows(limit);
                    out.push(prefix);
                }
            }
        })?;
        // the files are in snapshot order: keep splits until the limit's rows are covered
        let mut remaining = row_limit.unwrap_or(u64::MAX);
        let mut splits = Vec::new();
        for mut file in files {
            if remaining == 0 {
                break;
            }
            if row_limit.is_some() {
                remaining = remaining.saturating_sub(file.keep_rows(remaining));
            }
            splits.extend(file.splits);
        }
        let nodes = self.nodes().await?;
        for split in &mut splits {
            split.preferred_node =
                preferred_node(&split.path, &nodes).map(|n| n.http_address.clone());
        }
        Ok(splits)
    }
}

/// The splits of one file; for a limited scan also the rows and split weights of the file's
/// leading record batches, to cut the splits at a row count.
struct FileSplits {
    splits: Vec<Split>,
    batch_rows: Vec<u64>,
    batch_weights: Vec<u64>,
}

impl FileSplits {
    fn whole(splits: Vec<Split>) -> Self {
        FileSplits {
            splits,
            batch_rows: Vec::new(),
            batch_weights: Vec::new(),
        }
    }

    fn prefix(
        file: &DataFile,
        column_ids: Option<&[u32]>,
        columns: &[ColumnRecord],
        splits: Vec<Split>,
    ) -> Self {
        let share = projected_share(file, column_ids, columns);
        FileSplits {
            splits,
            batch_rows: file.batch_rows.clone(),
            batch_weights: file
                .batch_bytes
                .iter()
                .map(|&b| (b as f64 * share).round() as u64)
                .collect(),
        }
    }

    /// Keeps the leading splits that cover `rows` rows (all of them when the file has fewer),
    /// the last one cut after the batch that reaches `rows`; returns the rows kept.
    fn keep_rows(&mut self, rows: u64) -> u64 {
        let mut kept = 0u64;
        let mut count = 0;
        for split in &mut self.splits {
            if kept >= rows {
                break;
            }
            count += 1;
            if kept.saturating_add(split.rows) <= rows {
                kept += split.rows;
                continue;
            }
            // the limit falls inside this split: end it after the batch that reaches it
            let (mut split_rows, mut bytes) = (0u64, 0u64);
            let mut end = split.batch_start;
            while end < split.batch_end && kept.saturating_add(split_rows) < rows {
                split_rows =
                    split_rows.saturating_add(self.batch_rows.get(end).copied().unwrap_or(0));
                bytes = bytes.saturating_add(self.batch_weights.get(end).copied().unwrap_or(0));
                end += 1;
            }
            split.batch_end = end;
            split.rows = split_rows;
            split.bytes = bytes;
            kept = kept.saturating_add(split_rows);
        }
        self.splits.truncate(count);
        kept
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
