//! Splits: runs of whole record batches of one file, about a target size each, with the node
//! rendezvous hashing prefers for the file.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::plan::pruning::{file_may_match, ColumnDomain};
use crate::storage::records::DataFile;
use crate::zk::membership::preferred_node;
use crate::Result;

/// A unit of scan work: a range of record batches of one file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Split {
    /// `host:port` of the registered node that rendezvous hashing of the file picks, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_node: Option<String>,
    pub path: String,
    pub batch_start: usize,
    pub batch_end: usize,
    pub bytes: u64,
    pub rows: u64,
}

pub const DEFAULT_SPLIT_BYTES: u64 = 64 << 20;

impl Catalog {
    /// Splits of the table's current snapshot: runs of whole record batches of one file, each about
    /// `target_bytes` of Arrow body.
    pub async fn plan_splits(
        &self,
        schema: &str,
        table: &str,
        snapshot_id: Option<i64>,
        domains: &[ColumnDomain],
        target_bytes: Option<u64>,
    ) -> Result<Vec<Split>> {
        let record = self.require_table(schema, table).await?;
        let manifest = self.manifest_at(&record, snapshot_id).await?;
        let files: Vec<DataFile> = manifest
            .files
            .into_iter()
            .filter(|f| file_may_match(f, domains))
            .collect();
        let mut splits = plan_file_splits(&files, target_bytes.unwrap_or(DEFAULT_SPLIT_BYTES));
        let nodes = self.nodes().await?;
        for split in &mut splits {
            split.preferred_node =
                preferred_node(&split.path, &nodes).map(|n| n.http_address.clone());
        }
        Ok(splits)
    }
}

/// Groups consecutive record batches of each file into splits of about `target_bytes`.
pub fn plan_file_splits(files: &[DataFile], target_bytes: u64) -> Vec<Split> {
    let target = target_bytes.max(1);
    let mut splits = Vec::new();
    for file in files {
        let mut start = 0;
        let (mut bytes, mut rows) = (0u64, 0u64);
        for (i, (&b, &r)) in file.batch_bytes.iter().zip(&file.batch_rows).enumerate() {
            bytes += b;
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
        let splits = plan_file_splits(&[file(vec![40, 40, 40, 10, 100, 5])], 80);
        let ranges: Vec<_> = splits
            .iter()
            .map(|s| (s.batch_start, s.batch_end))
            .collect();
        assert_eq!(ranges, vec![(0, 2), (2, 5), (5, 6)]);
        assert_eq!(splits.iter().map(|s| s.rows).sum::<u64>(), 60);
    }

    #[test]
    fn a_file_without_batches_makes_no_split() {
        assert!(plan_file_splits(&[file(vec![])], 10).is_empty());
    }
}
