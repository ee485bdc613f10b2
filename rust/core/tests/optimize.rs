//! Compaction (`optimize`) against a real ZooKeeper: small files become one, rows stay the same,
//! a concurrent append is kept (it commutes), a concurrent overwrite wins (optimize fails with
//! COMMIT_CONFLICT and leaves nothing behind), schema changes come out right, registered files stay.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::util::display::array_value_to_string;
use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::{data_dir, ColumnSpec};
use zkarrow_core::catalog::optimize::{OptimizePhase, OptimizeProgress, OptimizeReport};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::protocol::scan::{Scan, ScanRequest};
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::records::{DataFile, TableRecord, COLUMN_ID_KEY};
use zkarrow_core::storage::writer::{arrow_schema, Compression, TableWriter, WriterOptions};
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

const TARGET: u64 = 128 << 20;

fn open(zk: &ZooKeeperServer, warehouse: &Path, root: &str) -> Catalog {
    support::open_catalog(zk, root, warehouse, serde_json::json!({}))
}

fn holder(query: &str) -> LockHolder {
    LockHolder {
        node: "test".into(),
        query_id: Some(query.into()),
        since_ms: 0,
    }
}

fn spec(columns: &[(&str, &str)]) -> Vec<ColumnSpec> {
    columns
        .iter()
        .map(|(name, t)| ColumnSpec {
            name: (*name).into(),
            presto_type: (*t).into(),
            id: None,
        })
        .collect()
}

fn fresh(cat: &Catalog, table: &str) -> TableRecord {
    block_on(cat.get_table("s", table)).unwrap().unwrap()
}

/// Writes `columns` (one array per table column, in order) as a sink does: the table's columns
/// with their ids, its compression, a file named after the query.
fn write_file(record: &TableRecord, query: &str, columns: Vec<ArrayRef>) -> Vec<DataFile> {
    let specs: Vec<ColumnSpec> = record
        .columns
        .iter()
        .map(|c| ColumnSpec {
            name: c.name.clone(),
            presto_type: c.presto_type.clone(),
            id: Some(c.id),
        })
        .collect();
    let schema = arrow_schema(&specs).unwrap();
    let compression = record
        .properties
        .get("compression")
        .map(|c| c.parse::<Compression>().unwrap())
        .unwrap_or_default();
    let options = WriterOptions {
        compression,
        file_prefix: query.into(),
        ..WriterOptions::default()
    };
    let mut w = TableWriter::new(
        &data_dir(&record.metadata_location),
        schema.clone(),
        options,
    )
    .unwrap();
    w.write(&RecordBatch::try_new(schema, columns).unwrap())
        .unwrap();
    w.finish().unwrap()
}

fn commit(cat: &Catalog, table: &str, operation: Operation, files: Vec<DataFile>, query: &str) {
    block_on(cat.commit(CommitRequest {
        schema: "s".into(),
        table: table.into(),
        operation,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id: None,
        holder: holder(query),
        lock_timeout: Duration::from_secs(20),
    }))
    .unwrap();
}

/// One INSERT of the rows `ids` into `s.<table>(id bigint, name varchar)`.
fn insert(cat: &Catalog, table: &str, ids: &[i64], query: &str) {
    let record = fresh(cat, table);
    let names: StringArray = ids
        .iter()
        .map(|i| (i % 5 != 0).then(|| format!("name-{i}")))
        .collect();
    let files = write_file(
        &record,
        query,
        vec![Arc::new(Int64Array::from(ids.to_vec())), Arc::new(names)],
    );
    commit(cat, table, Operation::Append, files, query);
}

/// Every row of the current snapshot as a scan reads it (the table's current columns), as text,
/// sorted.
fn rows(cat: &Catalog, table: &str) -> Vec<String> {
    let record = fresh(cat, table);
    let files = block_on(cat.files_at(&record, None)).unwrap();
    let mut out = Vec::new();
    for f in files {
        let mut scan = Scan::open(&ScanRequest {
            path: f.path.clone(),
            batch_start: 0,
            batch_end: usize::MAX,
            columns: support::scan_columns(&record),
            debug_panic: false,
        })
        .unwrap();
        while let Some(batch) = scan.next_batch().unwrap() {
            for row in 0..batch.num_rows() {
                let values: Vec<String> = batch
                    .columns()
                    .iter()
                    .map(|c| {
                        if c.is_null(row) {
                            "NULL".to_string()
                        } else {
                            array_value_to_string(c, row).unwrap()
                        }
                    })
                    .collect();
                out.push(values.join("|"));
            }
        }
    }
    out.sort();
    out
}

fn files(cat: &Catalog, table: &str) -> Vec<DataFile> {
    let record = fresh(cat, table);
    block_on(cat.files_at(&record, None)).unwrap()
}

fn optimize(
    cat: &Catalog,
    table: &str,
    progress: &mut dyn FnMut(OptimizeProgress),
) -> zkarrow_core::Result<OptimizeReport> {
    block_on(cat.optimize("s", table, TARGET, holder("q-optimize"), progress))
}

fn optimize_files_left(record: &TableRecord) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir(&record.metadata_location))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.trim_start_matches('.').starts_with("optimize-"))
        .collect();
    names.sort();
    names
}

#[test]
fn fifty_small_appends_become_one_file_with_the_same_rows() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), "/zkarrow/opt1");
    block_on(cat.create_schema("s")).unwrap();
    let properties = BTreeMap::from([("compression".to_string(), "zstd".to_string())]);
    block_on(cat.create_table(
        "s",
        "t",
        &spec(&[("id", "bigint"), ("name", "varchar")]),
        &properties,
    ))
    .unwrap();
    for i in 0..50 {
        insert(&cat, "t", &[i], &format!("q-{i}"));
    }
    let before = rows(&cat, "t");
    assert_eq!(before.len(), 50);
    assert_eq!(files(&cat, "t").len(), 50);
    let base = fresh(&cat, "t").current_snapshot_id;

    let mut phases = Vec::new();
    let started = Instant::now();
    let report = optimize(&cat, "t", &mut |p| phases.push(p)).unwrap();
    eprintln!(
        "optimize of 50 one-row files: {:?}, {report:?}",
        started.elapsed()
    );
    assert!(report.committed);
    assert_eq!(
        (
            report.files_before,
            report.rewritten_files,
            report.written_files,
            report.files_after
        ),
        (50, 50, 1, 1)
    );
    assert_eq!((report.rows, report.skipped_files), (50, 0));
    assert_eq!(report.base_snapshot_id, base);
    assert_eq!(report.snapshot_id, base + 1);
    assert_eq!(report.retries, 0);
    assert!(report.bytes_after < report.bytes_before);

    // progress: planned, one step per file, committing, done
    assert_eq!(phases.first().unwrap().phase, OptimizePhase::Planned);
    assert_eq!(phases.first().unwrap().files_total, 50);
    let rewriting: Vec<_> = phases
        .iter()
        .filter(|p| p.phase == OptimizePhase::Rewriting)
        .collect();
    assert_eq!(rewriting.len(), 50);
    assert_eq!(rewriting.last().unwrap().files_done, 50);
    assert_eq!(
        rewriting.last().unwrap().bytes_done,
        report.bytes_before,
        "bytes_done ends at the bytes rewritten"
    );
    assert!(phases.iter().any(|p| p.phase == OptimizePhase::Committing));
    assert_eq!(phases.last().unwrap().phase, OptimizePhase::Done);

    let after = files(&cat, "t");
    assert_eq!(after.len(), 1);
    let name = Path::new(&after[0].path)
        .file_name()
        .unwrap()
        .to_string_lossy();
    assert!(name.starts_with("optimize-"), "{name}");
    assert_eq!(after[0].batch_rows, vec![50], "small batches are merged");
    assert_eq!(rows(&cat, "t"), before);

    // planning sees one file
    let splits = block_on(cat.plan_splits("s", "t", None, None, &[], None)).unwrap();
    let paths: std::collections::BTreeSet<&str> = splits.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths.len(), 1);
    assert_eq!(splits.iter().map(|s| s.rows).sum::<u64>(), 50);

    let history = block_on(cat.snapshots("s", "t")).unwrap();
    assert_eq!(history[0].operation, "replace");
    assert_eq!(
        (
            history[0].summary.added_files,
            history[0].summary.removed_files,
            history[0].summary.added_rows,
            history[0].summary.removed_rows
        ),
        (1, 50, 50, 50)
    );
    // time travel still reads the small files (they stay until their snapshots expire)
    let old = block_on(cat.files_at(&fresh(&cat, "t"), Some(base))).unwrap();
    assert_eq!(old.len(), 50);
    assert!(old.iter().all(|f| Path::new(&f.path).is_file()));

    // nothing to gain now: one file; the snapshot stays
    let again = optimize(&cat, "t", &mut |_| {}).unwrap();
    assert!(!again.committed);
    assert_eq!((again.files_before, again.files_after), (1, 1));
    assert_eq!(again.snapshot_id, report.snapshot_id);
    assert_eq!(fresh(&cat, "t").current_snapshot_id, report.snapshot_id);
    // no write is left in flight
    assert!(block_on(cat.writes_in_flight(&fresh(&cat, "t").id))
        .unwrap()
        .is_empty());

    // a bad target and a missing table
    let e = block_on(cat.optimize("s", "t", 0, holder("q"), &mut |_| {})).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let e = block_on(cat.optimize("s", "nosuch", TARGET, holder("q"), &mut |_| {})).unwrap_err();
    assert_eq!(e.code, ErrorCode::TableNotFound);
}

#[test]
fn an_append_during_the_rewrite_is_kept_and_an_overwrite_wins() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), "/zkarrow/opt2");
    // a second catalog, as another Presto coordinator would be
    let other = open(&zk, wh.path(), "/zkarrow/opt2");
    block_on(cat.create_schema("s")).unwrap();
    let columns = spec(&[("id", "bigint"), ("name", "varchar")]);
    block_on(cat.create_table("s", "t", &columns, &Default::default())).unwrap();
    for i in 0..10 {
        insert(&cat, "t", &[i, i + 100], &format!("q-{i}"));
    }
    let before = rows(&cat, "t");

    // an INSERT commits after optimize read the snapshot and before it commits
    let mut appended = false;
    let report = optimize(&cat, "t", &mut |p| {
        if p.phase == OptimizePhase::Committing && !appended {
            appended = true;
            std::thread::scope(|s| {
                s.spawn(|| insert(&other, "t", &[1000, 1001, 1002], "q-concurrent"))
                    .join()
                    .unwrap()
            });
        }
    })
    .unwrap();
    assert!(appended);
    assert!(report.committed);
    assert_eq!(report.retries, 1, "the replace re-based over the append");
    assert_eq!(report.snapshot_id, report.base_snapshot_id + 2);
    let mut expected = before.clone();
    expected.extend(["1000|NULL", "1001|name-1001", "1002|name-1002"].map(String::from));
    expected.sort();
    assert_eq!(rows(&cat, "t"), expected);
    let now = files(&cat, "t");
    assert_eq!(now.len(), 2, "the compacted file and the appended one");
    assert!(now.iter().any(|f| f.path.contains("q-concurrent")));

    // a TRUNCATE-like overwrite lands meanwhile: optimize fails and leaves nothing behind
    block_on(cat.create_table("s", "u", &columns, &Default::default())).unwrap();
    for i in 0..5 {
        insert(&cat, "u", &[i], &format!("u-{i}"));
    }
    let mut overwritten = false;
    let e = optimize(&cat, "u", &mut |p| {
        if p.phase == OptimizePhase::Committing && !overwritten {
            overwritten = true;
            std::thread::scope(|s| {
                s.spawn(|| {
                    let record = fresh(&other, "u");
                    let files = write_file(
                        &record,
                        "q-overwrite",
                        vec![
                            Arc::new(Int64Array::from(vec![42])),
                            Arc::new(StringArray::from(vec!["only"])),
                        ],
                    );
                    commit(&other, "u", Operation::Overwrite, files, "q-overwrite")
                })
                .join()
                .unwrap()
            });
        }
    })
    .unwrap_err();
    assert!(overwritten);
    assert_eq!(e.code, ErrorCode::CommitConflict, "{e:?}");
    assert_eq!(rows(&cat, "u"), vec!["42|only".to_string()]);
    let left = files(&cat, "u");
    assert_eq!(left.len(), 1);
    assert!(left[0].path.contains("q-overwrite"));
    let record = fresh(&cat, "u");
    assert_eq!(
        block_on(cat.snapshots("s", "u")).unwrap()[0].operation,
        "overwrite"
    );
    assert!(
        optimize_files_left(&record).is_empty(),
        "the new files of the failed optimize are removed: {:?}",
        optimize_files_left(&record)
    );
    assert!(block_on(cat.writes_in_flight(&record.id))
        .unwrap()
        .is_empty());
}

#[test]
fn dropped_and_added_columns_and_registered_files() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), "/zkarrow/opt3");
    block_on(cat.create_schema("s")).unwrap();
    let properties = BTreeMap::from([("compression".to_string(), "lz4".to_string())]);
    block_on(cat.create_table(
        "s",
        "t",
        &spec(&[("a", "bigint"), ("b", "varchar"), ("c", "double")]),
        &properties,
    ))
    .unwrap();
    for i in 0..3i64 {
        let record = fresh(&cat, "t");
        let files = write_file(
            &record,
            &format!("q-old-{i}"),
            vec![
                Arc::new(Int64Array::from(vec![i, i + 10])),
                Arc::new(StringArray::from(vec![Some(format!("b{i}")), None])),
                Arc::new(Float64Array::from(vec![i as f64 + 0.5, -1.0])),
            ],
        );
        commit(&cat, "t", Operation::Append, files, &format!("q-old-{i}"));
    }
    // b goes, d comes, and a new b (another column, another type) comes under the old name
    block_on(cat.drop_column("s", "t", "b", holder("q-alter"))).unwrap();
    block_on(cat.add_column("s", "t", "d", "varchar", holder("q-alter"))).unwrap();
    block_on(cat.add_column("s", "t", "b", "bigint", holder("q-alter"))).unwrap();
    for i in 0..2i64 {
        let record = fresh(&cat, "t");
        let names: Vec<&str> = record.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["a", "c", "d", "b"]);
        let files = write_file(
            &record,
            &format!("q-new-{i}"),
            vec![
                Arc::new(Int64Array::from(vec![100 + i])),
                Arc::new(Float64Array::from(vec![None])),
                Arc::new(StringArray::from(vec![Some(format!("d{i}"))])),
                Arc::new(Int64Array::from(vec![Some(7 * i)])),
            ],
        );
        commit(&cat, "t", Operation::Append, files, &format!("q-new-{i}"));
    }
    let before = rows(&cat, "t");
    assert_eq!(before.len(), 8);
    assert!(
        before.contains(&"0|0.5|NULL|NULL".to_string()),
        "{before:?}"
    );
    let report = optimize(&cat, "t", &mut |_| {}).unwrap();
    assert_eq!(
        (report.rewritten_files, report.written_files, report.rows),
        (5, 1, 8)
    );
    assert_eq!(rows(&cat, "t"), before);
    // the new file holds exactly the table's current columns, by id
    let record = fresh(&cat, "t");
    let now = files(&cat, "t");
    assert_eq!(now.len(), 1);
    let reader = zkarrow_core::storage::arrow_file::open(Path::new(&now[0].path), None).unwrap();
    let ids: Vec<u32> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.metadata()[COLUMN_ID_KEY].parse().unwrap())
        .collect();
    assert_eq!(ids, record.columns.iter().map(|c| c.id).collect::<Vec<_>>());
    let new_b = record.columns.iter().find(|c| c.name == "b").unwrap().id;
    assert_eq!(
        now[0].columns["b"].column_id,
        Some(new_b),
        "statistics of b are the new column's, not the dropped one's"
    );
    assert_eq!(now[0].columns.len(), 4);

    // a registered table: the other tool's files stay, zkarrow's inserts are compacted
    let ext = wh.path().join("exports");
    for (n, values) in [(1, vec![1, 2]), (2, vec![3])] {
        support::write_int64_file(&ext.join(format!("part-{n}.arrow")), values);
    }
    block_on(cat.register_table("s", "r", ext.to_str().unwrap())).unwrap();
    for i in 0..3i64 {
        let record = fresh(&cat, "r");
        let files = write_file(
            &record,
            &format!("q-r-{i}"),
            vec![Arc::new(Int64Array::from(vec![10 + i]))],
        );
        commit(&cat, "r", Operation::Append, files, &format!("q-r-{i}"));
    }
    let before = rows(&cat, "r");
    assert_eq!(before.len(), 6);
    let report = optimize(&cat, "r", &mut |_| {}).unwrap();
    assert_eq!(
        (
            report.files_before,
            report.skipped_files,
            report.rewritten_files,
            report.files_after
        ),
        (5, 2, 3, 3)
    );
    assert_eq!(rows(&cat, "r"), before);
    let registered: Vec<DataFile> = files(&cat, "r")
        .into_iter()
        .filter(|f| f.path.starts_with(ext.to_str().unwrap()))
        .collect();
    assert_eq!(registered.len(), 2);
}
