//! Tables in S3-compatible object storage: a real server (versitygw, tests/s3/s3-server.sh) on
//! loopback and a real ZooKeeper. Writes, time travel, projected reads that fetch only what they
//! need, create-only manifests, GC, DROP, registration and the allowed roots, and a store that
//! goes away mid-scan.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use support::s3::S3Server;
use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::Operation;
use zkarrow_core::catalog::ddl::{data_dir, ColumnSpec};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::object;
use zkarrow_core::storage::records::{now_ms, DataFile};
use zkarrow_core::storage::store;
use zkarrow_core::storage::writer::{TableWriter, WriterOptions};
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

/// Each test has its own server and bucket: a process reaches a bucket one way.
fn open(zk: &ZooKeeperServer, s3: &S3Server, root: &str, extra: serde_json::Value) -> Catalog {
    let mut fields = s3.catalog_fields();
    fields["gc_min_grace_ms"] = serde_json::json!(0);
    if let (Some(base), Some(more)) = (fields.as_object_mut(), extra.as_object()) {
        base.extend(more.clone());
    }
    let warehouse = format!("s3://{}/wh", s3.bucket);
    support::open_catalog(zk, root, Path::new(&warehouse), fields)
}

fn spec() -> Vec<ColumnSpec> {
    vec![
        ColumnSpec {
            name: "id".into(),
            presto_type: "bigint".into(),
            id: None,
        },
        ColumnSpec {
            name: "name".into(),
            presto_type: "varchar".into(),
            id: None,
        },
    ]
}

/// Writes rows `ids` (names `name-<id>` padded to make the name column the big one) with
/// zkarrow's writer into `dir`.
fn write(dir: &Path, ids: std::ops::Range<i64>, query: &str) -> Vec<DataFile> {
    let schema = zkarrow_core::storage::writer::arrow_schema(&spec()).unwrap();
    let mut writer = TableWriter::new(
        dir,
        schema.clone(),
        WriterOptions {
            file_prefix: query.into(),
            batch_rows: 10_000,
            ..WriterOptions::default()
        },
    )
    .unwrap();
    let ids: Vec<i64> = ids.collect();
    let names: Vec<String> = ids
        .iter()
        .map(|i| format!("name-{i}-{}", "x".repeat(200)))
        .collect();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(ids)),
        Arc::new(StringArray::from(names)),
    ];
    writer
        .write(&RecordBatch::try_new(schema, columns).unwrap())
        .unwrap();
    writer.finish().unwrap()
}

fn commit(cat: &Catalog, table: &str, op: Operation, files: Vec<DataFile>, query: &str) -> i64 {
    support::commit_files(cat, ("s", table), op, files, query)
}

/// The ids a scan of every split of `table` (at `snapshot`) returns, sorted, reading only `id`.
fn ids(cat: &Catalog, table: &str, snapshot: Option<i64>) -> zkarrow_core::Result<Vec<i64>> {
    let splits = block_on(cat.plan_splits("s", table, snapshot, None, &[], None))?;
    let mut ids = support::read_int64(&splits, "id")?;
    ids.sort_unstable();
    Ok(ids)
}

/// Every object key of the bucket, from the server's own backend directory.
fn objects(s3: &S3Server) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let base = s3.data_dir().join(&s3.bucket);
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.retain(|k| !k.contains(".sgwtmp"));
    out.sort();
    out
}

#[test]
fn a_table_in_a_bucket_writes_reads_travels_in_time_collects_garbage_and_drops() {
    let zk = ZooKeeperServer::start();
    let s3 = S3Server::start("lake-a");
    let cat = open(&zk, &s3, "/zkarrow/s3a", serde_json::json!({}));
    block_on(cat.create_schema("s")).unwrap();
    let table = block_on(cat.create_table("s", "t", &spec(), &Default::default())).unwrap();
    assert!(
        table.location.starts_with("s3://lake-a/wh/s/"),
        "{}",
        table.location
    );
    let data = data_dir(&table.metadata_location);
    assert!(store::is_object(&data));

    let first = write(&data, 0..1000, "q1");
    assert!(first
        .iter()
        .all(|f| f.path.starts_with("s3://lake-a/wh/s/")));
    assert_eq!(commit(&cat, "t", Operation::Append, first, "q1"), 2);
    assert_eq!(
        commit(
            &cat,
            "t",
            Operation::Append,
            write(&data, 1000..1500, "q2"),
            "q2"
        ),
        3
    );
    assert_eq!(ids(&cat, "t", None).unwrap(), (0..1500).collect::<Vec<_>>());
    // time travel reads the older snapshot's manifests from the bucket
    assert_eq!(
        ids(&cat, "t", Some(2)).unwrap(),
        (0..1000).collect::<Vec<_>>()
    );
    let history = block_on(cat.snapshots("s", "t")).unwrap();
    assert_eq!(history.len(), 3);

    // every file zkarrow wrote is an object under the table's prefix, no local directory made
    let keys = objects(&s3);
    assert!(
        keys.iter()
            .any(|k| k.contains("/data/q1-") && k.ends_with(".arrow")),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k.contains("/metadata/snap-")),
        "{keys:?}"
    );
    assert!(
        !Path::new("s3:").exists(),
        "no local directory named after the URL"
    );

    // an orphan (a writer that died after its upload) goes with GC; committed files stay
    let orphan = write(&data, 5000..5010, "q-dead");
    std::thread::sleep(Duration::from_millis(1100));
    let removed =
        block_on(cat.remove_orphan_files("s", "t", now_ms(), false, LockHolder::default()))
            .unwrap();
    assert_eq!(removed.files, vec![orphan[0].path.clone()]);
    assert!(!store::is_file(Path::new(&orphan[0].path)).unwrap());
    assert_eq!(ids(&cat, "t", None).unwrap().len(), 1500);

    // expiry then GC removes what only the expired snapshot named
    let expired = block_on(cat.expire_snapshots("s", "t", now_ms() + 1, 1)).unwrap();
    assert_eq!(expired, vec![2, 1]);

    // DROP deletes the table's objects, and only them
    let before = objects(&s3).len();
    assert!(before > 0);
    block_on(cat.drop_table("s", "t", LockHolder::default())).unwrap();
    let left = objects(&s3);
    assert!(left.is_empty(), "objects left after DROP: {left:?}");
}

#[test]
fn a_one_column_projection_fetches_that_column_not_the_object() {
    let zk = ZooKeeperServer::start();
    let s3 = S3Server::start("lake-b");
    let cat = open(&zk, &s3, "/zkarrow/s3b", serde_json::json!({}));
    block_on(cat.create_schema("s")).unwrap();
    let table = block_on(cat.create_table("s", "p", &spec(), &Default::default())).unwrap();
    let files = write(&data_dir(&table.metadata_location), 0..100_000, "q1");
    let object_bytes: u64 = files.iter().map(|f| f.bytes).sum();
    commit(&cat, "p", Operation::Append, files, "q1");

    let before = object::fetched();
    assert_eq!(ids(&cat, "p", None).unwrap().len(), 100_000);
    let first = object::fetched();
    let read = first.bytes - before.bytes;
    // id is 8 bytes a row (800 KB), name about 210: the projection fetches a few percent
    assert!(
        read * 10 < object_bytes,
        "a scan of id fetched {read} of {object_bytes} bytes"
    );
    // the second scan finds the footer in the node's cache: fewer requests, fewer bytes
    ids(&cat, "p", None).unwrap();
    let second = object::fetched();
    assert!(
        second.requests - first.requests < first.requests - before.requests,
        "cached footers: {} requests then {}",
        first.requests - before.requests,
        second.requests - first.requests
    );
    eprintln!(
        "one-column scan: {read} bytes fetched of {object_bytes} ({:.1}%), {} requests; again: {} bytes, {} requests",
        100.0 * read as f64 / object_bytes as f64,
        first.requests - before.requests,
        second.bytes - first.bytes,
        second.requests - first.requests
    );
}

#[test]
fn manifests_are_create_only_and_locations_stay_inside_the_allowed_roots() {
    let zk = ZooKeeperServer::start();
    let s3 = S3Server::start("lake-c");
    let cat = open(&zk, &s3, "/zkarrow/s3c", serde_json::json!({}));
    block_on(cat.create_schema("s")).unwrap();

    // create-only: a second put of the same name is refused, the first stays
    let path = PathBuf::from(format!("s3://{}/wh/probe/once.json", s3.bucket));
    store::write_new(&path, b"first").unwrap();
    let again = store::write_new(&path, b"second").unwrap_err();
    assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists, "{again}");
    assert_eq!(store::read(&path).unwrap(), b"first");
    assert!(store::remove_file(&path).unwrap());
    assert!(!store::remove_file(&path).unwrap(), "already gone");

    // register Arrow files that another tool wrote under a prefix of the bucket
    let outside = format!("s3://{}/wh/external/events", s3.bucket);
    let files = write(Path::new(&outside), 0..50, "ext");
    assert_eq!(files.len(), 1);
    let registered = block_on(cat.register_table("s", "events", &outside)).unwrap();
    assert!(registered.external);
    assert_eq!(
        ids(&cat, "events", None).unwrap(),
        (0..50).collect::<Vec<_>>()
    );
    // dropping a registered table leaves the files it did not write
    block_on(cat.drop_table("s", "events", LockHolder::default())).unwrap();
    assert!(store::is_file(Path::new(&files[0].path)).unwrap());

    // a location outside the warehouse (another bucket, a sibling prefix, a local path) is refused
    for location in [
        "s3://other-bucket/wh/x".to_string(),
        format!("s3://{}/elsewhere", s3.bucket),
        format!("s3://{}/wh/../escape", s3.bucket),
        "/tmp/zkarrow-not-allowed".to_string(),
    ] {
        let e = block_on(cat.register_table("s", "bad", &location)).unwrap_err();
        assert!(
            matches!(
                e.code,
                ErrorCode::LocationNotAllowed | ErrorCode::InvalidArgument
            ),
            "{location}: {e}"
        );
    }
}

#[test]
fn a_store_that_goes_away_fails_the_scan_clearly_and_serves_again_after() {
    let zk = ZooKeeperServer::start();
    let s3 = S3Server::start("lake-d");
    let cat = open(&zk, &s3, "/zkarrow/s3d", serde_json::json!({}));
    block_on(cat.create_schema("s")).unwrap();
    let table = block_on(cat.create_table("s", "d", &spec(), &Default::default())).unwrap();
    commit(
        &cat,
        "d",
        Operation::Append,
        write(&data_dir(&table.metadata_location), 0..20_000, "q1"),
        "q1",
    );
    assert_eq!(ids(&cat, "d", None).unwrap().len(), 20_000);

    s3.stop();
    let started = std::time::Instant::now();
    let e = ids(&cat, "d", None).unwrap_err();
    assert_eq!(e.code, ErrorCode::IoError, "{e}");
    assert!(
        e.message.contains("s3://lake-d/wh/s/"),
        "names the object: {e}"
    );
    assert!(!e.message.contains(&s3.secret_key), "no secret in: {e}");
    assert!(!e.message.contains(&s3.access_key), "no key in: {e}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the failure came after {:?}",
        started.elapsed()
    );

    s3.restart();
    assert_eq!(ids(&cat, "d", None).unwrap().len(), 20_000);
}
