//! Compaction (`CALL system.optimize`, `zkarrow optimize`): the small files of the current snapshot
//! that zkarrow wrote are read with the table's current columns and rewritten, a group of about
//! `target_file_size` bytes at a time, into one new file per group; then one `replace` snapshot
//! takes the small files out and puts the new ones in.
//!
//! The rewrite runs without the table lock, so INSERTs go on meanwhile; only the commit takes it.
//! A replace re-bases over appends that landed meanwhile (they commute) and fails with
//! COMMIT_CONFLICT when one of the files it takes out is no longer current (a concurrent TRUNCATE,
//! rollback or optimize); then the new files are removed and the table is as the other commit left
//! it. The small files stay on disk for time travel until their snapshots expire (then
//! `remove_orphan_files` collects them).
//!
//! What is rewritten: only files inside the table's own data directory (`<location>/data`), which
//! zkarrow wrote. Registered files (another tool's, outside that directory) are never rewritten,
//! moved or deleted: they are counted in the report as `skipped_files`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use arrow::array::{new_null_array, ArrayRef, RecordBatch};
use arrow::compute::{cast, concat_batches};
use arrow::datatypes::{Field, SchemaRef};
use serde::{Deserialize, Serialize};

use crate::catalog::commit::{CommitRequest, Operation};
use crate::catalog::ddl::{data_dir, remove_owned_file, ColumnSpec};
use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::error::ErrorCode;
use crate::storage::arrow_file;
use crate::storage::records::{ColumnRecord, DataFile, TableRecord, COLUMN_ID_KEY};
use crate::storage::writer::{arrow_schema, Compression, TableWriter, WriterOptions};
use crate::zk::lock::LockHolder;
use crate::{err, Result};

/// Batches of the small files are merged into batches of about this many rows...
const BATCH_ROWS: usize = 1 << 16;
/// ... or this many bytes in memory, whichever comes first.
const BATCH_BYTES: usize = 16 << 20;

/// What an optimize did (or found nothing to do: `committed` false, `snapshot_id` the current one).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OptimizeReport {
    /// Files of the snapshot it read.
    pub files_before: u64,
    /// Files of that snapshot once the replace is applied (appends that landed meanwhile come on
    /// top of these).
    pub files_after: u64,
    /// Small files taken out and rewritten.
    pub rewritten_files: u64,
    /// New files written.
    pub written_files: u64,
    /// Rows moved from the rewritten files into the new ones.
    pub rows: u64,
    /// Bytes of the rewritten files, and of the new ones.
    pub bytes_before: u64,
    pub bytes_after: u64,
    /// Registered files (not zkarrow's to rewrite) left as they are.
    pub skipped_files: u64,
    /// The snapshot it read, and the one it committed (the same when nothing was committed).
    pub base_snapshot_id: i64,
    pub snapshot_id: i64,
    pub committed: bool,
    /// How many times the commit re-based over appends that landed during the rewrite.
    pub retries: u32,
}

/// Where an optimize is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptimizePhase {
    /// The files are chosen: `files_total`/`bytes_total` say how much will be rewritten.
    Planned,
    /// One more small file was rewritten.
    Rewriting,
    /// Every new file is written; the commit (which takes the table lock) comes next.
    Committing,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptimizeProgress {
    pub phase: OptimizePhase,
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// Groups of small files, each of about `target` bytes, in snapshot order; a group of one file has
/// nothing to gain and is left out.
pub fn plan_groups(candidates: &[&DataFile], target: u64) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut bytes = 0u64;
    for (i, f) in candidates.iter().enumerate() {
        current.push(i);
        bytes += f.bytes;
        if bytes >= target {
            groups.push(std::mem::take(&mut current));
            bytes = 0;
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// The table's columns in the order a scan asks for them.
fn table_columns(record: &TableRecord) -> Vec<ColumnSpec> {
    record
        .columns
        .iter()
        .map(|c| ColumnSpec {
            name: c.name.clone(),
            presto_type: c.presto_type.clone(),
            id: Some(c.id),
        })
        .collect()
}

fn field_id(field: &Field) -> Option<u32> {
    field
        .metadata()
        .get(COLUMN_ID_KEY)
        .and_then(|v| v.parse().ok())
}

/// Where each table column is in a file, as a scan finds it (protocol/scan.rs): by id in files
/// zkarrow wrote, by registered name otherwise; `None`: the file predates the column (NULLs).
fn column_positions(file: &SchemaRef, columns: &[ColumnRecord]) -> Vec<Option<usize>> {
    let fields = file.fields();
    let has_ids = fields.iter().any(|f| field_id(f).is_some());
    columns
        .iter()
        .map(|c| {
            if has_ids {
                fields.iter().position(|f| field_id(f) == Some(c.id))
            } else if let Some(name) = &c.file_name {
                fields
                    .iter()
                    .position(|f| f.name().eq_ignore_ascii_case(name))
            } else {
                None
            }
        })
        .collect()
}

/// A batch of a file as a batch of the table's current columns (dropped columns left out, added
/// ones NULL, types as the table stores them).
fn to_table_batch(
    batch: &RecordBatch,
    positions: &[Option<usize>],
    target: &SchemaRef,
    path: &str,
) -> Result<RecordBatch> {
    let rows = batch.num_rows();
    let columns = positions
        .iter()
        .zip(target.fields())
        .map(|(at, field)| match at {
            None => Ok(new_null_array(field.data_type(), rows)),
            Some(i) => {
                let column = batch.column(*i);
                if column.data_type() == field.data_type() {
                    Ok(column.clone())
                } else {
                    cast(column, field.data_type()).map_err(|e| {
                        err!(
                            SchemaMismatch,
                            "column '{}' of '{path}' cannot become {}: {e}",
                            field.name(),
                            field.data_type()
                        )
                    })
                }
            }
        })
        .collect::<Result<Vec<ArrayRef>>>()?;
    Ok(RecordBatch::try_new_with_options(
        target.clone(),
        columns,
        &arrow::array::RecordBatchOptions::new().with_row_count(Some(rows)),
    )?)
}

/// Collects small batches into bigger ones before they reach the writer.
struct Coalescer {
    schema: SchemaRef,
    pending: Vec<RecordBatch>,
    rows: usize,
    bytes: usize,
}

impl Coalescer {
    fn push(&mut self, batch: RecordBatch, writer: &mut TableWriter) -> Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        self.rows += batch.num_rows();
        self.bytes += batch.get_array_memory_size();
        self.pending.push(batch);
        if self.rows >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            self.flush(writer)?;
        }
        Ok(())
    }

    fn flush(&mut self, writer: &mut TableWriter) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = if self.pending.len() == 1 {
            self.pending.pop().expect("one batch")
        } else {
            concat_batches(&self.schema, &self.pending)?
        };
        self.pending.clear();
        (self.rows, self.bytes) = (0, 0);
        writer.write(&batch)
    }
}

impl Catalog {
    /// The files of the table's current snapshot.
    async fn current_files(&self, record: &TableRecord) -> Result<Vec<DataFile>> {
        self.files_at(record, None).await
    }

    /// Rewrites the small files of `schema.table` (below `target_file_size` bytes, written by
    /// zkarrow) into files of about that size, as one `replace` snapshot (see the module doc).
    /// `progress` hears of every file rewritten.
    pub async fn optimize(
        &self,
        schema: &str,
        table: &str,
        target_file_size: u64,
        holder: LockHolder,
        progress: &mut dyn FnMut(OptimizeProgress),
    ) -> Result<OptimizeReport> {
        if target_file_size == 0 {
            return Err(err!(
                InvalidArgument,
                "target_file_size must be positive (a size such as 128MB)"
            ));
        }
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let record = self
            .read_back(&self.table_path(&schema, &table))
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        let files = self.current_files(&record).await?;
        let data = data_dir(&record.metadata_location);
        let owned = |f: &DataFile| Path::new(&f.path).parent() == Some(data.as_path());
        let skipped_files = files.iter().filter(|f| !owned(f)).count() as u64;
        let candidates: Vec<&DataFile> = files
            .iter()
            .filter(|f| owned(f) && f.bytes < target_file_size)
            .collect();
        let groups = plan_groups(&candidates, target_file_size);
        let base = record.current_snapshot_id;
        let mut report = OptimizeReport {
            files_before: files.len() as u64,
            files_after: files.len() as u64,
            rewritten_files: 0,
            written_files: 0,
            rows: 0,
            bytes_before: 0,
            bytes_after: 0,
            skipped_files,
            base_snapshot_id: base,
            snapshot_id: base,
            committed: false,
            retries: 0,
        };
        let chosen: Vec<&DataFile> = groups
            .iter()
            .flat_map(|g| g.iter().map(|&i| candidates[i]))
            .collect();
        let mut step = OptimizeProgress {
            phase: OptimizePhase::Planned,
            files_done: 0,
            files_total: chosen.len() as u64,
            bytes_done: 0,
            bytes_total: chosen.iter().map(|f| f.bytes).sum(),
        };
        progress(step);
        if groups.is_empty() {
            step.phase = OptimizePhase::Done;
            progress(step);
            return Ok(report);
        }

        // in flight until committed: orphan removal spares the files named after this write
        let write_id = format!(
            "optimize-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let began = self
            .begin_write(&record.schema, &record.name, &write_id)
            .await?;
        if began.id != record.id {
            let _ = self.end_write(&began.id, &write_id).await;
            return Err(err!(
                CommitConflict,
                "{schema}.{table} was dropped and re-created while optimize started: run it again"
            ));
        }
        let outcome = self
            .rewrite_and_commit(&record, &groups, &candidates, &write_id, holder, &mut |s| {
                step.phase = s.phase;
                step.files_done = s.files_done;
                step.bytes_done = s.bytes_done;
                progress(step)
            })
            .await;
        let _ = self.end_write(&record.id, &write_id).await;
        let (written, commit) = outcome?;
        report.rewritten_files = chosen.len() as u64;
        report.written_files = written.len() as u64;
        report.files_after = report.files_before - report.rewritten_files + report.written_files;
        report.rows = written.iter().map(|f| f.rows).sum();
        report.bytes_before = chosen.iter().map(|f| f.bytes).sum();
        report.bytes_after = written.iter().map(|f| f.bytes).sum();
        report.snapshot_id = commit.snapshot_id;
        report.retries = commit.retries;
        report.committed = true;
        step.phase = OptimizePhase::Done;
        progress(step);
        Ok(report)
    }

    /// Writes one file per group and commits the replace; removes the new files when nothing
    /// was committed.
    async fn rewrite_and_commit(
        &self,
        record: &TableRecord,
        groups: &[Vec<usize>],
        candidates: &[&DataFile],
        write_id: &str,
        holder: LockHolder,
        progress: &mut dyn FnMut(OptimizeProgress),
    ) -> Result<(Vec<DataFile>, crate::catalog::commit::CommitOutcome)> {
        let written = self.rewrite(record, groups, candidates, write_id, progress)?;
        let files_done = groups.iter().map(|g| g.len() as u64).sum();
        let bytes_done = groups.iter().flatten().map(|&i| candidates[i].bytes).sum();
        progress(OptimizeProgress {
            phase: OptimizePhase::Committing,
            files_done,
            files_total: files_done,
            bytes_done,
            bytes_total: bytes_done,
        });
        let removed_files: Vec<String> = groups
            .iter()
            .flatten()
            .map(|&i| candidates[i].path.clone())
            .collect();
        let outcome = self
            .commit(CommitRequest {
                schema: record.schema.clone(),
                table: record.name.clone(),
                operation: Operation::Replace,
                files: written.clone(),
                removed_files,
                base_snapshot_id: Some(record.current_snapshot_id),
                table_id: Some(record.id.clone()),
                holder,
                lock_timeout: self
                    .settings()
                    .lock_wait_timeout
                    .max(Duration::from_millis(1)),
            })
            .await;
        match outcome {
            Ok(commit) => Ok((written, commit)),
            Err(e) => {
                if self.committed_nothing(record, &e, &written).await {
                    for f in &written {
                        let _ = remove_owned_file(Path::new(&f.path));
                    }
                }
                Err(e)
            }
        }
    }

    /// Whether a failed commit surely left the new files out of the table: a commit whose
    /// outcome is unknown (ZooKeeper lost with the write in flight) may have named them, and
    /// then they must stay.
    async fn committed_nothing(
        &self,
        record: &TableRecord,
        error: &crate::Error,
        written: &[DataFile],
    ) -> bool {
        if !matches!(
            error.code,
            ErrorCode::ZookeeperUnavailable | ErrorCode::ZookeeperError
        ) {
            return true;
        }
        let path = self.table_path(&record.schema, &record.name);
        let Ok(Some(now)) = self.read_back(&path).await else {
            return false;
        };
        let Ok(files) = self.current_files(&now).await else {
            return false;
        };
        let ours: HashSet<&str> = written.iter().map(|f| f.path.as_str()).collect();
        !files.iter().any(|f| ours.contains(f.path.as_str()))
    }

    /// One new file per group, in the table's current columns and compression.
    fn rewrite(
        &self,
        record: &TableRecord,
        groups: &[Vec<usize>],
        candidates: &[&DataFile],
        write_id: &str,
        progress: &mut dyn FnMut(OptimizeProgress),
    ) -> Result<Vec<DataFile>> {
        let target = arrow_schema(&table_columns(record))?;
        let compression = record
            .properties
            .get("compression")
            .map(|c| Compression::from_str(c))
            .transpose()?
            .unwrap_or_default();
        let options = WriterOptions {
            // one file per group: a group is already about the target size
            target_file_bytes: u64::MAX,
            compression,
            file_prefix: write_id.to_string(),
            batch_rows: self.settings().write_batch_rows,
            batch_bytes: self.settings().write_batch_bytes,
        };
        let dir: PathBuf = data_dir(&record.metadata_location);
        let total_files = groups.iter().map(|g| g.len() as u64).sum();
        let total_bytes = groups.iter().flatten().map(|&i| candidates[i].bytes).sum();
        let mut step = OptimizeProgress {
            phase: OptimizePhase::Rewriting,
            files_done: 0,
            files_total: total_files,
            bytes_done: 0,
            bytes_total: total_bytes,
        };
        // a writer dropped unfinished (an error below) deletes its file; finished ones go here
        let mut written: Vec<DataFile> = Vec::new();
        let result = (|| {
            for group in groups {
                let mut writer = TableWriter::new(&dir, target.clone(), options.clone())?;
                let mut coalescer = Coalescer {
                    schema: target.clone(),
                    pending: Vec::new(),
                    rows: 0,
                    bytes: 0,
                };
                let mut rows = 0u64;
                for &i in group {
                    let file = candidates[i];
                    let reader = arrow_file::open(Path::new(&file.path), None)?;
                    let positions = column_positions(&reader.schema(), &record.columns);
                    for batch in reader {
                        let batch = to_table_batch(&batch?, &positions, &target, &file.path)?;
                        rows += batch.num_rows() as u64;
                        coalescer.push(batch, &mut writer)?;
                    }
                    step.files_done += 1;
                    step.bytes_done += file.bytes;
                    progress(step);
                }
                coalescer.flush(&mut writer)?;
                let expected: u64 = group.iter().map(|&i| candidates[i].rows).sum();
                let files = writer.finish()?;
                written.extend(files.iter().cloned());
                let got: u64 = files.iter().map(|f| f.rows).sum();
                if got != expected || rows != expected {
                    return Err(err!(
                        Internal,
                        "optimize of {}.{} read {rows} rows and wrote {got} where the snapshot names {expected}: nothing was committed",
                        record.schema,
                        record.name
                    ));
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            for f in &written {
                let _ = remove_owned_file(Path::new(&f.path));
            }
            return Err(e);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: u64) -> DataFile {
        DataFile::new(
            Path::new("/x.arrow"),
            bytes,
            vec![1],
            vec![bytes],
            Default::default(),
        )
    }

    #[test]
    fn groups_of_about_the_target_and_never_of_one_file() {
        let files: Vec<DataFile> = [10, 10, 10, 10, 10, 10, 10].map(file).to_vec();
        let refs: Vec<&DataFile> = files.iter().collect();
        assert_eq!(
            plan_groups(&refs, 30),
            vec![vec![0, 1, 2], vec![3, 4, 5]],
            "the last file alone is left"
        );
        assert_eq!(plan_groups(&refs, 1000), vec![(0..7).collect::<Vec<_>>()]);
        assert!(plan_groups(&refs[..1], 1000).is_empty());
        assert!(plan_groups(&[], 1000).is_empty());
        let files: Vec<DataFile> = [25, 25, 25].map(file).to_vec();
        let refs: Vec<&DataFile> = files.iter().collect();
        assert_eq!(plan_groups(&refs, 30), vec![vec![0, 1]]);
    }
}
