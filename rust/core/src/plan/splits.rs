//! Splits: runs of whole record batches of one file, about a target size each, with the node
//! rendezvous hashing prefers for the file.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::plan::pruning::{column_stats, file_may_match, ColumnDomain};
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
                out.extend(plan_file_splits(one, target, column_ids, &record.columns));
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
/// columns' share of the file.
pub fn plan_file_splits(
    files: &[DataFile],
    target_bytes: u64,
    column_ids: Option<&[u32]>,
    columns: &[ColumnRecord],
) -> Vec<Split> {
    let target = target_bytes.max(1);
    let mut splits = Vec::new();
    for file in files {
        let share = projected_share(file, column_ids, columns);
        let mut start = 0;
        let (mut bytes, mut rows) = (0u64, 0u64);
        for (i, (&b, &r)) in file.batch_bytes.iter().zip(&file.batch_rows).enumerate() {
            bytes += (b as f64 * share).round() as u64;
            rows += r;
            if bytes >= target {
                splits.push(Split {
                    preferred_node: None,
                    path: file.path.clone(),
                    batch_start: start,
                    batch_end: i + 1,
                    bytes,
                    rows,
                });
                start = i + 1;
                bytes = 0;
                rows = 0;
            }
        }
        if start < file.batch_bytes.len() {
            splits.push(Split {
                preferred_node: None,
                path: file.path.clone(),
                batch_start: start,
                batch_end: file.batch_bytes.len(),
                bytes,
                rows,
            });
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
        }
    }

    #[test]
    fn splits_group_batches_by_bytes_and_cover_every_batch_once() {
        let splits = plan_file_splits(&[file(vec![40, 40, 40, 10, 100, 5])], 80, None, &[]);
        let ranges: Vec<_> = splits
            .iter()
            .map(|s| (s.batch_start, s.batch_end))
            .collect();
        assert_eq!(ranges, vec![(0, 2), (2, 5), (5, 6)]);
        assert_eq!(splits.iter().map(|s| s.rows).sum::<u64>(), 60);
    }

    #[test]
    fn a_file_without_batches_makes_no_split() {
        assert!(plan_file_splits(&[file(vec![])], 10, None, &[]).is_empty());
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
        let count = |ids: Option<&[u32]>| plan_file_splits(&[f.clone()], 40, ids, &[]).len();
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
}
