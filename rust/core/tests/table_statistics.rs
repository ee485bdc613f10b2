//! Table column statistics (`table_statistics`) against a real ZooKeeper: an append folds its
//! files into the parent's statistics, optimize keeps them, an overwrite starts over, a rollback
//! and time travel give back those of the snapshot asked for; data manifests keep no sketches.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use serde_json::{json, Value};
use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::{data_dir, ColumnSpec};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::protocol::handle_json;
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::records::{DataFile, TableRecord};
use zkarrow_core::storage::writer::{arrow_schema, TableWriter, WriterOptions};
use zkarrow_core::zk::lock::LockHolder;

fn holder(query: &str) -> LockHolder {
    LockHolder {
        node: "test".into(),
        query_id: Some(query.into()),
        since_ms: 0,
    }
}

fn fresh(cat: &Catalog) -> TableRecord {
    block_on(cat.get_table("s", "t")).unwrap().unwrap()
}

/// Writes rows `ids` of `s.t(id bigint, name varchar, score double)` as a sink does: `name` is
/// NULL for ids divisible by 5, `score` is `id / 2` (so two ids share a score).
fn write(record: &TableRecord, query: &str, ids: &[i64]) -> Vec<DataFile> {
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
    let options = WriterOptions {
        file_prefix: query.into(),
        ..WriterOptions::default()
    };
    let mut w = TableWriter::new(
        &data_dir(&record.metadata_location),
        schema.clone(),
        options,
    )
    .unwrap();
    let names: StringArray = ids
        .iter()
        .map(|i| (i % 5 != 0).then(|| format!("name-{i}")))
        .collect();
    let scores: Float64Array = ids.iter().map(|i| (i / 2) as f64).collect();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(ids.to_vec())),
        Arc::new(names),
        Arc::new(scores),
    ];
    // two batches: per-file statistics fold across batches too
    let batch = RecordBatch::try_new(schema, columns).unwrap();
    let half = batch.num_rows() / 2;
    w.write(&batch.slice(0, half)).unwrap();
    w.write(&batch.slice(half, batch.num_rows() - half))
        .unwrap();
    w.finish().unwrap()
}

fn commit(cat: &Catalog, operation: Operation, ids: &[i64], query: &str) -> i64 {
    let files = write(&fresh(cat), query, ids);
    block_on(cat.commit(CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id: None,
        holder: holder(query),
        lock_timeout: Duration::from_secs(20),
    }))
    .unwrap()
    .snapshot_id
}

/// The `table_statistics` answer, through the protocol as Java sends it.
fn statistics(cat: &Catalog, snapshot_id: Option<i64>) -> Value {
    let request =
        json!({"op": "table_statistics", "schema": "s", "table": "t", "snapshot_id": snapshot_id});
    serde_json::from_str(&handle_json(cat, &request.to_string()).unwrap()).unwrap()
}

/// The answer's column `name` of `record`.
fn column<'a>(record: &TableRecord, answer: &'a Value, name: &str) -> &'a Value {
    let id = record.columns.iter().find(|c| c.name == name).unwrap().id;
    answer["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column_id"] == json!(id))
        .unwrap_or_else(|| panic!("no statistics for {name} in {answer}"))
}

fn assert_distinct(column: &Value, truth: u64) {
    let estimate = column["distinct_count"].as_u64().unwrap();
    let error = (estimate as f64 - truth as f64).abs() / truth as f64;
    assert!(error <= 0.05, "{estimate} distinct for {truth}: {column}");
}

/// Checks the statistics of a snapshot holding the distinct ids `ids` (any order).
fn assert_describes(record: &TableRecord, answer: &Value, ids: &[i64]) {
    assert_eq!(answer["row_count"], json!(ids.len()));
    let (lo, hi) = (*ids.iter().min().unwrap(), *ids.iter().max().unwrap());
    let id = column(record, answer, "id");
    assert_eq!(id["null_fraction"], json!(0.0));
    assert_eq!(
        (id["low"].as_f64(), id["high"].as_f64()),
        (Some(lo as f64), Some(hi as f64))
    );
    assert_distinct(id, ids.len() as u64);
    assert!(id["data_size"].as_u64().unwrap() >= 8 * ids.len() as u64);

    let name = column(record, answer, "name");
    let nulls = ids.iter().filter(|i| *i % 5 == 0).count();
    assert_eq!(
        name["null_fraction"].as_f64().unwrap(),
        nulls as f64 / ids.len() as f64
    );
    assert_distinct(name, (ids.len() - nulls) as u64);
    // varchar has no numeric range
    assert!(
        name.get("low").is_none() && name.get("high").is_none(),
        "{name}"
    );

    let score = column(record, answer, "score");
    let scores: std::collections::HashSet<i64> = ids.iter().map(|i| i / 2).collect();
    assert_distinct(score, scores.len() as u64);
    assert_eq!(score["low"].as_f64(), Some((lo / 2) as f64));
    assert_eq!(score["high"].as_f64(), Some((hi / 2) as f64));
}

#[test]
fn statistics_follow_appends_optimize_overwrite_rollback_and_time_travel() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = support::open_catalog(&zk, "/zkarrow/stats", wh.path(), json!({}));
    block_on(cat.create_schema("s")).unwrap();
    let columns: Vec<ColumnSpec> = [("id", "bigint"), ("name", "varchar"), ("score", "double")]
        .iter()
        .map(|(name, t)| ColumnSpec {
            name: (*name).into(),
            presto_type: (*t).into(),
            id: None,
        })
        .collect();
    block_on(cat.create_table("s", "t", &columns, &BTreeMap::new())).unwrap();
    let record = fresh(&cat);

    // an empty table: row count 0, no column estimates
    let empty = statistics(&cat, None);
    assert_eq!(
        (&empty["row_count"], &empty["columns"]),
        (&json!(0), &json!([]))
    );

    let first: Vec<i64> = (0..3_000).collect();
    let s1 = commit(&cat, Operation::Append, &first, "q1");
    assert_describes(&record, &statistics(&cat, None), &first);

    // an append folds in: 2,000 new ids, 1,000 repeated rows
    let second: Vec<i64> = (2_000..5_000).collect();
    let s2 = commit(&cat, Operation::Append, &second, "q2");
    let appended = statistics(&cat, None);
    assert_eq!(appended["row_count"], json!(6_000));
    let id = column(&record, &appended, "id");
    assert_distinct(id, 5_000);
    assert_eq!(
        (id["low"].as_f64(), id["high"].as_f64()),
        (Some(0.0), Some(4_999.0))
    );
    let name = column(&record, &appended, "name");
    assert_eq!(name["null_fraction"].as_f64().unwrap(), 1_200.0 / 6_000.0);
    assert_distinct(name, 4_000);

    // optimize rewrites the same rows: same statistics, new snapshot
    let report = block_on(cat.optimize("s", "t", 128 << 20, holder("q-opt"), &mut |_| {})).unwrap();
    assert!(report.committed);
    let optimized = statistics(&cat, None);
    assert_ne!(optimized["snapshot_id"], appended["snapshot_id"]);
    assert_eq!(optimized["columns"], appended["columns"]);

    // an overwrite starts over
    let third: Vec<i64> = (10_000..10_010).collect();
    commit(&cat, Operation::Overwrite, &third, "q3");
    assert_describes(&record, &statistics(&cat, None), &third);

    // time travel reads the statistics of the snapshot asked for
    let at_s1 = statistics(&cat, Some(s1));
    assert_eq!(at_s1["snapshot_id"], json!(s1));
    assert_describes(&record, &at_s1, &first);

    // a rollback makes the older snapshot's statistics current again
    block_on(cat.rollback_to_snapshot("s", "t", s2, holder("q-rb"), Duration::from_secs(20)))
        .unwrap();
    let rolled_back = statistics(&cat, None);
    assert_eq!(rolled_back["row_count"], json!(6_000));
    assert_eq!(rolled_back["columns"], appended["columns"]);

    // data manifests stay lean; snapshot manifests hold bounded sketches
    let metadata = Path::new(&record.metadata_location);
    let mut data_manifests = 0;
    for entry in std::fs::read_dir(metadata).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        if name.starts_with("manifest-") {
            data_manifests += 1;
            assert!(!text.contains("sketch"), "{name} keeps sketches");
        }
        if name.starts_with("snap-") {
            assert!(text.len() < 3 * 6_000, "{name}: {} bytes", text.len());
        }
    }
    assert!(data_manifests > 0);
}
