//! Protocol v2 against a real ZooKeeper, through `handle_json` as the Java plugin calls it: time
//! travel resolved in Rust, pruning by column id, splits sized by the projected columns and the
//! live split_target_size, real row counts after column changes, and lock holders built from
//! query ids.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{Array, ArrayRef, Int64Array, StringArray};
use serde_json::{json, Value};
use support::ZooKeeperServer;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::presto::to_presto::to_presto;
use zkarrow_core::protocol::handle_json;
use zkarrow_core::protocol::sink::{PageSink, SinkRequest};
use zkarrow_core::storage::records::DataFile;
use zkarrow_core::{Error, ErrorCode};

fn open(zk: &ZooKeeperServer, warehouse: &Path, extra: Value) -> Catalog {
    support::open_catalog(zk, "/zkarrow/v2", warehouse, extra)
}

/// One request through the protocol, as JSON both ways.
fn call(cat: &Catalog, request: Value) -> Result<Value, Error> {
    handle_json(cat, &request.to_string()).map(|answer| serde_json::from_str(&answer).unwrap())
}

fn ok(cat: &Catalog, request: Value) -> Value {
    call(cat, request.clone()).unwrap_or_else(|e| panic!("{request}: {e}"))
}

fn create(cat: &Catalog, table: &str, columns: Value) -> Value {
    let _ = call(cat, json!({"op": "create_schema", "schema": "s"}));
    ok(
        cat,
        json!({"op": "create_table", "schema": "s", "table": table, "columns": columns}),
    )["table"]
        .clone()
}

fn get_table(cat: &Catalog, table: &str) -> Value {
    ok(
        cat,
        json!({"op": "get_table", "schema": "s", "table": table}),
    )["table"]
        .clone()
}

/// Writes `pages` (each: one array per table column, in order) through a page sink into one
/// file (one record batch per page) and commits it as an INSERT would; returns the file.
fn insert(cat: &Catalog, table: &str, pages: Vec<Vec<ArrayRef>>) -> DataFile {
    let t = get_table(cat, table);
    let columns: Vec<Value> = t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"name": c["name"], "type": c["type"], "id": c["id"]}))
        .collect();
    let sink: SinkRequest = serde_json::from_value(json!({
        "dir": t["data_dir"], "columns": columns, "compression": null,
        "target_file_bytes": null, "prefix": "q-insert",
        // one record batch per page, as these tests count batches by the pages they write
        "settings": {"write_batch_rows": "1000"},
    }))
    .unwrap();
    let mut sink = PageSink::open(&sink).unwrap();
    for page in &pages {
        let rows = page[0].len();
        let blocks = page
            .iter()
            .map(|a| to_presto(a.as_ref()).unwrap())
            .collect();
        sink.write_page(rows, blocks).unwrap();
    }
    let files = sink.finish().unwrap();
    assert_eq!(files.len(), 1, "one file under the default target size");
    ok(
        cat,
        json!({"op": "commit", "schema": "s", "table": table, "operation": "append",
               "files": files, "base_snapshot_id": null, "table_id": t["id"],
               "query_id": "q-insert", "lock_timeout_ms": null}),
    );
    files.into_iter().next().unwrap()
}

fn ints(values: impl IntoIterator<Item = i64>) -> ArrayRef {
    Arc::new(Int64Array::from_iter_values(values))
}

fn strings(rows: usize, width: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(
        (0..rows).map(|i| format!("{i:0width$}")),
    ))
}

/// The splits `plan_splits` answers for `column_ids` (null: every column id of the table).
fn splits(
    cat: &Catalog,
    table: &str,
    column_ids: Value,
    domains: Value,
    target: Value,
) -> Vec<Value> {
    let column_ids = if column_ids.is_null() {
        let t = get_table(cat, table);
        Value::Array(
            t["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].clone())
                .collect(),
        )
    } else {
        column_ids
    };
    ok(
        cat,
        json!({"op": "plan_splits", "schema": "s", "table": table, "column_ids": column_ids,
               "snapshot_id": null, "domains": domains, "target_split_bytes": target}),
    )["splits"]
        .as_array()
        .unwrap()
        .clone()
}

fn paths(splits: &[Value]) -> Vec<String> {
    let mut paths: Vec<String> = splits
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    paths.dedup();
    paths
}

fn column_id(table: &Value, name: &str) -> u64 {
    table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no column {name} in {table}"))["id"]
        .as_u64()
        .unwrap()
}

fn at_least(column_id: u64, low: i64) -> Value {
    json!([{"column_id": column_id, "null_allowed": false,
            "ranges": [{"low": low, "low_inclusive": true, "high": null, "high_inclusive": false}]}])
}

#[test]
fn resolve_version_by_id_text_timestamp_and_before() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));
    create(&cat, "t", json!([{"name": "a", "type": "bigint"}]));
    for i in 0..2 {
        std::thread::sleep(Duration::from_millis(5)); // distinct commit times
        insert(&cat, "t", vec![vec![ints([i])]]);
    }
    let history = ok(
        &cat,
        json!({"op": "snapshots", "schema": "s", "table": "t"}),
    )["snapshots"]
        .as_array()
        .unwrap()
        .clone();
    let committed: Vec<i64> = history
        .iter()
        .rev()
        .map(|s| s["committed_at_ms"].as_i64().unwrap())
        .collect();
    assert_eq!(committed.len(), 3);
    assert!(committed[0] < committed[1] && committed[1] < committed[2]);

    let resolve = |version: Value, timestamp_ms: Value, before: bool| {
        call(
            &cat,
            json!({"op": "resolve_version", "schema": "s", "table": "t", "version": version,
                   "timestamp_ms": timestamp_ms, "before": before}),
        )
        .map(|a| a["snapshot_id"].as_i64().unwrap())
    };
    assert_eq!(resolve(json!(2), Value::Null, false).unwrap(), 2);
    assert_eq!(resolve(json!("2"), Value::Null, false).unwrap(), 2);
    assert_eq!(resolve(json!(" 3 "), Value::Null, false).unwrap(), 3);
    assert_eq!(resolve(json!(3), Value::Null, true).unwrap(), 2);
    assert_eq!(resolve(json!(99), Value::Null, true).unwrap(), 3);
    assert_eq!(resolve(Value::Null, json!(committed[1]), false).unwrap(), 2);
    assert_eq!(resolve(Value::Null, json!(committed[1]), true).unwrap(), 1);
    assert_eq!(
        resolve(Value::Null, json!(committed[2] + 60_000), false).unwrap(),
        3
    );

    let e = resolve(json!(99), Value::Null, false).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ErrorCode::SnapshotNotFound, "Table s.t has no snapshot 99")
    );
    let e = resolve(json!(1), Value::Null, true).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            ErrorCode::SnapshotNotFound,
            "Table s.t has no snapshot before 1"
        )
    );
    let e = resolve(json!("latest"), Value::Null, false).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(
        e.message,
        "zkarrow table versions are bigint snapshot ids, not 'latest': use FOR VERSION AS OF <snapshot id> (see \"t$snapshots\")"
    );
    let e = resolve(Value::Null, json!(1_714_521_600_000i64), false).unwrap_err();
    assert_eq!(e.code, ErrorCode::SnapshotNotFound);
    assert_eq!(
        e.message,
        "Table s.t has no snapshot committed at or before 2024-05-01T00:00:00Z (or it has expired)"
    );
    let e = resolve(Value::Null, json!(committed[0]), true).unwrap_err();
    assert!(
        e.message
            .starts_with("Table s.t has no snapshot committed before "),
        "{e}"
    );
    let e = resolve(json!(2), json!(committed[1]), false).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument, "{e}");
    let e = resolve(Value::Null, Value::Null, false).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument, "{e}");
}

#[test]
fn pruning_finds_statistics_by_column_id() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));
    let t = create(
        &cat,
        "t",
        json!([{"name": "a", "type": "bigint"}, {"name": "b", "type": "bigint"}]),
    );
    let low = insert(&cat, "t", vec![vec![ints(1..=10), ints(0..10)]]);
    let high = insert(&cat, "t", vec![vec![ints(100..=110), ints(0..11)]]);
    assert_eq!(low.columns["a"].column_id, Some(column_id(&t, "a") as u32));
    assert!(low.columns["a"].bytes.is_some_and(|b| b >= 80));

    let a = column_id(&t, "a");
    let kept = paths(&splits(
        &cat,
        "t",
        Value::Null,
        at_least(a, 50),
        Value::Null,
    ));
    assert_eq!(
        kept,
        vec![high.path.clone()],
        "the file with a <= 10 is skipped"
    );
    let none = splits(&cat, "t", Value::Null, at_least(a, 1000), Value::Null);
    assert!(none.is_empty(), "{none:?}");
    // b's statistics never decide a's domain
    let b = column_id(&t, "b");
    assert_eq!(
        paths(&splits(&cat, "t", Value::Null, at_least(b, 5), Value::Null)).len(),
        2
    );

    // Dropped and re-added under the same name: another column, not pruned by the old one's stats.
    ok(
        &cat,
        json!({"op": "drop_column", "schema": "s", "table": "t", "name": "a", "query_id": "q1"}),
    );
    let t = ok(
        &cat,
        json!({"op": "add_column", "schema": "s", "table": "t", "name": "a", "type": "bigint",
               "query_id": "q2"}),
    )["table"]
        .clone();
    let new_a = column_id(&t, "a");
    assert_ne!(new_a, a);
    let kept = splits(&cat, "t", Value::Null, at_least(new_a, 50), Value::Null);
    assert_eq!(
        paths(&kept).len(),
        2,
        "no file is pruned by a dropped column's statistics"
    );
}

#[test]
fn files_of_old_manifests_without_column_ids_are_not_pruned() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));
    let t = create(&cat, "old", json!([{"name": "v", "type": "bigint"}]));
    // what a v1 writer described: statistics by name only, no column_id, no bytes
    let mut file = support::write_int64_file(
        &Path::new(t["data_dir"].as_str().unwrap()).join("old.arrow"),
        vec![1, 2, 3],
    );
    let stats = file.columns.get_mut("v").unwrap();
    stats.column_id = None;
    stats.bytes = None;
    let mut file_json = serde_json::to_value(&file).unwrap();
    assert!(file_json["columns"]["v"].get("column_id").is_none());
    file_json["columns"]["v"]
        .as_object_mut()
        .unwrap()
        .remove("bytes");
    ok(
        &cat,
        json!({"op": "commit", "schema": "s", "table": "old", "operation": "append",
               "files": [file_json], "table_id": t["id"], "query_id": "q-old"}),
    );
    let v = column_id(&t, "v");
    let kept = splits(&cat, "old", Value::Null, at_least(v, 1000), Value::Null);
    assert_eq!(
        paths(&kept),
        vec![file.path.clone()],
        "no id: the file is kept"
    );
    // the old manifest loads and lists the file as it was
    let files = ok(&cat, json!({"op": "files", "schema": "s", "table": "old"}))["files"].clone();
    assert_eq!(
        files[0]["columns"]["v"],
        json!({"null_count": 0, "min": 1, "max": 3})
    );
}

#[test]
fn splits_follow_the_live_setting_and_the_projected_columns_bytes() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));
    let t = create(
        &cat,
        "wide",
        json!([{"name": "k", "type": "bigint"}, {"name": "text", "type": "varchar"}]),
    );
    let rows = 1000;
    let page = || vec![ints(0..rows as i64), strings(rows, 200)];
    let first = insert(&cat, "wide", (0..8).map(|_| page()).collect());
    let second = insert(&cat, "wide", (0..8).map(|_| page()).collect());
    let k = column_id(&t, "k");
    let (k_bytes, text_bytes) = (
        first.columns["k"].bytes.unwrap(),
        first.columns["text"].bytes.unwrap(),
    );
    assert!(
        k_bytes * 20 < text_bytes,
        "k {k_bytes} B, text {text_bytes} B"
    );

    let batch_bytes = first.batch_bytes[0];
    let batches = first.batch_bytes.len() + second.batch_bytes.len();
    assert_eq!(batches, 16);

    // target_split_bytes null: the live split_target_size
    ok(
        &cat,
        json!({"op": "set_config", "key": "split_target_size", "value": "1B"}),
    );
    let tiny = splits(&cat, "wide", Value::Null, json!([]), Value::Null).len();
    ok(
        &cat,
        json!({"op": "set_config", "key": "split_target_size", "value": "1GB"}),
    );
    let huge = splits(&cat, "wide", Value::Null, json!([]), Value::Null).len();
    assert_eq!(
        (tiny, huge),
        (16, 2),
        "split_target_size 1B: a split per batch; 1GB: per file"
    );

    // sized by the projected columns' bytes: two batches of every column per split, while k
    // alone weighs a few percent of a batch
    let target = json!(batch_bytes * 2);
    let every_column = splits(&cat, "wide", Value::Null, json!([]), target.clone()).len();
    let k_only = splits(&cat, "wide", json!([k]), json!([]), target.clone()).len();
    assert_eq!(every_column, 8);
    assert_eq!(k_only, 2);
    let k_split = &splits(&cat, "wide", json!([k]), json!([]), target.clone())[0];
    assert!(
        k_split["bytes"].as_u64().unwrap() < batch_bytes,
        "{k_split}"
    );

    // a scan of no column (count(*)): one split per file, whatever the target
    let none = splits(&cat, "wide", json!([]), json!([]), json!(1));
    assert_eq!(none.len(), 2);
    assert_eq!(paths(&none), vec![first.path.clone(), second.path.clone()]);
    assert!(
        none.iter().all(|s| s["rows"] == json!(8 * rows)),
        "{none:?}"
    );
}

#[test]
fn column_changes_answer_the_real_row_count() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));
    create(&cat, "t", json!([{"name": "a", "type": "bigint"}]));
    insert(&cat, "t", vec![vec![ints(0..1500)]]);
    let added = ok(
        &cat,
        json!({"op": "add_column", "schema": "s", "table": "t", "name": "b", "type": "varchar",
               "query_id": "q-add"}),
    );
    assert_eq!(added["table"]["row_count"], json!(1500));
    let renamed = ok(
        &cat,
        json!({"op": "rename_column", "schema": "s", "table": "t", "name": "b", "new_name": "c",
               "query_id": null}),
    );
    assert_eq!(renamed["table"]["row_count"], json!(1500));
    let dropped = ok(
        &cat,
        json!({"op": "drop_column", "schema": "s", "table": "t", "name": "c"}),
    );
    assert_eq!(dropped["table"]["row_count"], json!(1500));
}

#[test]
fn snapshot_procedures_check_their_arguments_in_rust() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));
    create(&cat, "t", json!([{"name": "a", "type": "bigint"}]));
    let expire = |older_than: Value, retain_last: Value| {
        call(
            &cat,
            json!({"op": "expire_snapshots", "schema": "s", "table": "t",
                   "older_than": older_than, "retain_last": retain_last}),
        )
    };
    let e = expire(Value::Null, json!(0)).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(
        e.message,
        "The argument retain_last must be at least 1 (the current snapshot is always kept), not 0"
    );
    let e = expire(json!("yesterday"), Value::Null).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(
        e.message,
        "The argument older_than must be an age such as 30m, 12h or 7d (older than that long ago) or an ISO-8601 instant such as 2024-05-01T00:00:00Z, not 'yesterday'"
    );
    // defaults (7d, 1) and both forms of older_than
    assert_eq!(
        expire(Value::Null, Value::Null).unwrap(),
        json!({"expired": []})
    );
    assert_eq!(
        expire(json!("0s"), json!(1)).unwrap(),
        json!({"expired": []})
    );
    insert(&cat, "t", vec![vec![ints([1])]]);
    let future =
        zkarrow_core::units::format_instant_iso(zkarrow_core::storage::records::now_ms() + 60_000);
    assert_eq!(
        expire(json!(future), json!(1)).unwrap(),
        json!({"expired": [1]})
    );

    let e = call(
        &cat,
        json!({"op": "rollback_to_snapshot", "schema": "s", "table": "t", "snapshot_id": 0,
               "query_id": "q"}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "The argument snapshot_id must be a positive snapshot id, not 0 (see \"t$snapshots\")"
    );
    let orphans = ok(
        &cat,
        json!({"op": "remove_orphan_files", "schema": "s", "table": "t", "older_than": null,
               "dry_run": null, "query_id": "q"}),
    );
    assert_eq!(orphans, json!({"dry_run": false, "files": []}));
}

#[test]
fn a_lock_taken_for_a_query_names_this_catalogs_node() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let node = json!({"node_id": "worker-9", "host": "127.0.0.1", "http_address": "127.0.0.1:8089",
                      "presto_version": "test", "zkarrow_version": "test", "started_at_ms": 1,
                      "coordinator": false});
    let cat = open(
        &zk,
        wh.path(),
        json!({"node": node, "settings": {"lock_wait_timeout": "20s"}}),
    );
    create(&cat, "t", json!([{"name": "a", "type": "bigint"}]));

    // another client holds the lock, so the request's lock node waits in line where we can see it
    let other = open(&zk, wh.path(), json!({}));
    let client = other.zk().client();
    let prefix =
        zookeeper_client::LockPrefix::new_curator("/zkarrow/v2/locks/s/t", "lock-").unwrap();
    let options = zookeeper_client::LockOptions::new(zookeeper_client::Acls::anyone_all())
        .with_ancestor_options(
            zookeeper_client::CreateMode::Persistent
                .with_acls(zookeeper_client::Acls::anyone_all()),
        )
        .unwrap();
    let lock = zkarrow_core::runtime::block_on(client.lock(prefix, b"blocker", options)).unwrap();

    std::thread::scope(|scope| {
        let waiting = scope.spawn(|| {
            call(
                &cat,
                json!({"op": "add_column", "schema": "s", "table": "t", "name": "b",
                       "type": "bigint", "query_id": "20261130_000000_00042_abcde"}),
            )
        });
        let deadline = Instant::now() + Duration::from_secs(15);
        let ours = loop {
            let locks = ok(&cat, json!({"op": "locks"}))["locks"]
                .as_array()
                .unwrap()
                .clone();
            if let Some(l) = locks.iter().find(|l| l["zkarrow"] == json!(true)) {
                break l.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no zkarrow lock node appeared: {locks:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(ours["holder"]["node"], json!("worker-9"), "{ours}");
        assert_eq!(
            ours["holder"]["query_id"],
            json!("20261130_000000_00042_abcde")
        );
        zkarrow_core::runtime::block_on(async move { drop(lock) });
        let answer = waiting.join().unwrap().unwrap();
        assert_eq!(answer["table"]["columns"].as_array().unwrap().len(), 2);
    });
}

/// The rows of the record batches the splits cover.
fn split_rows(splits: &[Value]) -> u64 {
    splits.iter().map(|s| s["rows"].as_u64().unwrap()).sum()
}

fn between(column_id: u64, low: i64, high: i64) -> Value {
    json!([{"column_id": column_id, "null_allowed": false,
            "ranges": [{"low": low, "low_inclusive": true, "high": high, "high_inclusive": true}]}])
}

#[test]
fn record_batches_are_pruned_by_their_statistics() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), json!({}));

    // A file zkarrow writes in key order, 100 rows per record batch: 10 batches.
    let t = create(
        &cat,
        "keyed",
        json!([{"name": "k", "type": "bigint"}, {"name": "s", "type": "varchar"}]),
    );
    let columns: Vec<Value> = t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"name": c["name"], "type": c["type"], "id": c["id"]}))
        .collect();
    let sink: SinkRequest = serde_json::from_value(json!({
        "dir": t["data_dir"], "columns": columns, "compression": "zstd",
        "target_file_bytes": null, "prefix": "q-keyed",
        "settings": {"write_batch_rows": "100"},
    }))
    .unwrap();
    let mut sink = PageSink::open(&sink).unwrap();
    for page in 0..20 {
        let keys = ints(page * 50..(page + 1) * 50);
        let labels = strings(50, 3);
        let blocks = vec![
            to_presto(keys.as_ref()).unwrap(),
            to_presto(labels.as_ref()).unwrap(),
        ];
        sink.write_page(50, blocks).unwrap();
    }
    let files = sink.finish().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].batch_rows, vec![100; 10]);
    ok(
        &cat,
        json!({"op": "commit", "schema": "s", "table": "keyed", "operation": "append",
               "files": files, "table_id": t["id"], "query_id": "q-keyed"}),
    );
    let listed = ok(
        &cat,
        json!({"op": "files", "schema": "s", "table": "keyed"}),
    )["files"]
        .clone();
    assert_eq!(
        listed[0]["batch_columns"]["k"]["min"],
        json!([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]),
        "the manifest keeps each batch's statistics"
    );

    let k = column_id(&t, "k");
    let all = splits(&cat, "keyed", Value::Null, json!([]), json!(1 << 30));
    assert_eq!(split_rows(&all), 1000);
    let one = splits(
        &cat,
        "keyed",
        Value::Null,
        between(k, 420, 480),
        json!(1 << 30),
    );
    assert_eq!(one.len(), 1);
    assert_eq!(
        (one[0]["batch_start"].clone(), one[0]["batch_end"].clone()),
        (json!(4), json!(5))
    );
    assert_eq!(split_rows(&one), 100, "one batch of ten");
    let two = splits(
        &cat,
        "keyed",
        Value::Null,
        between(k, 250, 349),
        json!(1 << 30),
    );
    assert_eq!(split_rows(&two), 200);
    // two ranges far apart: two runs, never one split over the batches between them
    let mut apart = between(k, 5, 5);
    apart[0]["ranges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"low": 990, "low_inclusive": true, "high": null, "high_inclusive": false}));
    let runs = splits(&cat, "keyed", Value::Null, apart, json!(1 << 30));
    let ranges: Vec<(u64, u64)> = runs
        .iter()
        .map(|s| {
            (
                s["batch_start"].as_u64().unwrap(),
                s["batch_end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ranges, vec![(0, 1), (9, 10)]);

    // a renamed column keeps its id and its statistics
    ok(
        &cat,
        json!({"op": "rename_column", "schema": "s", "table": "keyed", "name": "k",
               "new_name": "key", "query_id": "q-rename"}),
    );
    let renamed = splits(
        &cat,
        "keyed",
        Value::Null,
        between(k, 420, 480),
        json!(1 << 30),
    );
    assert_eq!(split_rows(&renamed), 100);

    // A foreign file of 5 batches, registered: its batch statistics are computed at registration
    // and found through the column's file name, also after a rename.
    let dir = wh.path().join("foreign");
    std::fs::create_dir_all(&dir).unwrap();
    {
        use arrow::array::RecordBatch;
        use arrow::datatypes::{DataType, Field, Schema};
        let schema = Arc::new(Schema::new(vec![Field::new("v", DataType::Int64, true)]));
        let file = std::fs::File::create(dir.join("part-0.arrow")).unwrap();
        let mut w = arrow::ipc::writer::FileWriter::try_new(file, &schema).unwrap();
        for b in 0..5 {
            let values: ArrayRef = Arc::new(Int64Array::from_iter(
                (b * 10..b * 10 + 10).map(|v| (v % 10 != 3 || b == 2).then_some(v)),
            ));
            w.write(&RecordBatch::try_new(schema.clone(), vec![values]).unwrap())
                .unwrap();
        }
        w.finish().unwrap();
    }
    ok(
        &cat,
        json!({"op": "register_table", "schema": "s", "table": "foreign",
               "path": dir.to_string_lossy()}),
    );
    ok(
        &cat,
        json!({"op": "rename_column", "schema": "s", "table": "foreign", "name": "v",
               "new_name": "w", "query_id": "q-rename-2"}),
    );
    let f = get_table(&cat, "foreign");
    let w = column_id(&f, "w");
    let hit = splits(
        &cat,
        "foreign",
        Value::Null,
        between(w, 31, 38),
        json!(1 << 30),
    );
    assert_eq!(split_rows(&hit), 10, "batch 3 only");
    // IS NULL: the batches with a NULL (all but batch 2)
    let nulls = json!([{"column_id": w, "null_allowed": true, "ranges": []}]);
    let with_nulls = splits(&cat, "foreign", Value::Null, nulls, json!(1 << 30));
    assert_eq!(split_rows(&with_nulls), 40);
    assert_eq!(with_nulls.len(), 2, "runs 0..2 and 3..5");
}
