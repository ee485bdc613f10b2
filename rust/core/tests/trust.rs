//! The Trust issue's regression tests against a real ZooKeeper: zkarrow never destroys what it
//! does not own, never reads outside its allowed locations, never misdirects a commit, settles
//! lost replies by reading back, syncs manifests, never resurrects a dropped column, never
//! collects a file a write in flight will commit, and names lock holders readably.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use support::proxy::{LostReplyProxy, OP_MULTI};
use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::ColumnSpec;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::protocol::scan::{Scan, ScanRequest};
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::records::DataFile;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

const ROOT: &str = "/zkarrow/trust";

fn open(zk: &ZooKeeperServer, wh: &Path, extra: serde_json::Value) -> Catalog {
    support::open_catalog(zk, ROOT, wh, extra)
}

fn bigint(name: &str) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        presto_type: "bigint".into(),
        id: None,
    }
}

fn at(location: &Path) -> BTreeMap<String, String> {
    BTreeMap::from([("location".to_string(), location.display().to_string())])
}

fn holder(query: &str) -> LockHolder {
    LockHolder {
        node: "test-node".into(),
        query_id: Some(query.into()),
        since_ms: 0,
    }
}

fn append(table: &str, files: Vec<DataFile>, table_id: Option<String>) -> CommitRequest {
    CommitRequest {
        schema: "s".into(),
        table: table.into(),
        operation: Operation::Append,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id,
        holder: holder("q-append"),
        lock_timeout: Duration::from_secs(10),
    }
}

/// A data file of the table, written where its writers write (`<location>/data`).
fn write_into(cat: &Catalog, table: &str, name: &str, values: Vec<i64>) -> DataFile {
    let record = block_on(cat.require_table("s", table)).unwrap();
    let dir = zkarrow_core::catalog::ddl::data_dir(&record.metadata_location);
    support::write_int64_file(&dir.join(name), values)
}

fn rows(cat: &Catalog, table: &str) -> u64 {
    let record = block_on(cat.require_table("s", table)).unwrap();
    block_on(cat.current_manifest(&record)).unwrap().row_count()
}

fn schema(cat: &Catalog) {
    block_on(cat.create_schema("s")).unwrap();
}

// ---------------------------------------------------------------- 1. ownership

#[test]
fn drop_deletes_only_what_the_table_wrote_and_a_used_directory_is_refused() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), serde_json::json!({}));
    schema(&cat);

    // a directory with someone else's files is refused, and stays as it was
    let theirs = wh.path().join("theirs");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("keep.txt"), b"not zkarrow's").unwrap();
    let e = block_on(cat.create_table("s", "t", &[bigint("v")], &at(&theirs))).unwrap_err();
    assert_eq!(e.code, ErrorCode::LocationInUse, "{e}");
    assert!(e.message.contains("not empty"), "{e}");
    assert!(theirs.join("keep.txt").exists());

    // a new directory is fine; a file dropped into it later by someone else survives DROP
    let mine = wh.path().join("mine");
    block_on(cat.create_table("s", "t", &[bigint("v")], &at(&mine))).unwrap();
    let written = write_into(&cat, "t", "q1-0001.arrow", vec![1, 2]);
    block_on(cat.commit(append("t", vec![written.clone()], None))).unwrap();
    std::fs::write(mine.join("data").join("foreign.arrow"), b"someone else's").unwrap();
    std::fs::write(mine.join("notes.txt"), b"someone else's").unwrap();

    // a nested or identical location is refused while t owns it
    for nested in [mine.clone(), mine.join("sub")] {
        let e = block_on(cat.create_table("s", "u", &[bigint("v")], &at(&nested))).unwrap_err();
        assert_eq!(e.code, ErrorCode::LocationInUse, "{e}");
    }

    block_on(cat.drop_table("s", "t", LockHolder::default())).unwrap();
    assert!(
        !Path::new(&written.path).exists(),
        "the table's data file goes"
    );
    assert!(
        mine.join("data/foreign.arrow").exists(),
        "a file zkarrow never wrote stays"
    );
    assert!(mine.join("notes.txt").exists());
    let manifests: Vec<_> = std::fs::read_dir(mine.join("metadata"))
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(manifests.is_empty(), "the table's manifests go");

    // the claim went with the table: the place can be reused once emptied
    std::fs::remove_dir_all(&mine).unwrap();
    block_on(cat.create_table("s", "u", &[bigint("v")], &at(&mine))).unwrap();
}

#[test]
fn two_concurrent_creates_cannot_both_claim_one_location() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cats: Vec<Catalog> = (0..4)
        .map(|_| open(&zk, wh.path(), serde_json::json!({})))
        .collect();
    schema(&cats[0]);
    let place = wh.path().join("contested");
    let won = std::thread::scope(|s| {
        let handles: Vec<_> = cats
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let place = place.clone();
                s.spawn(move || {
                    block_on(c.create_table("s", &format!("t{i}"), &[bigint("v")], &at(&place)))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    let winners = won.iter().filter(|r| r.is_ok()).count();
    assert_eq!(winners, 1, "{won:?}");
    for lost in won.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(lost.code, ErrorCode::LocationInUse, "{lost}");
    }
}

#[test]
fn orphan_removal_and_aborted_ctas_touch_only_zkarrow_files_of_their_own() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), serde_json::json!({ "gc_min_grace_ms": 0 }));
    schema(&cat);
    let mine = wh.path().join("gc");
    block_on(cat.create_table("s", "t", &[bigint("v")], &at(&mine))).unwrap();
    write_into(&cat, "t", "crashed-0001.arrow", vec![1]);
    std::fs::write(mine.join("data/README.md"), b"someone else's").unwrap();
    std::fs::write(
        mine.join("loose.arrow"),
        b"beside, not inside, the data directory",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let report = block_on(cat.remove_orphan_files(
        "s",
        "t",
        zkarrow_core::storage::records::now_ms(),
        false,
        LockHolder::default(),
    ))
    .unwrap();
    let names: Vec<String> = report
        .files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    assert_eq!(names, vec!["crashed-0001.arrow"]);
    assert!(mine.join("data/README.md").exists() && mine.join("loose.arrow").exists());

    // a CREATE TABLE AS that fails removes only its own query's files
    let place = wh.path().join("ctas");
    let mut planned = block_on(cat.plan_new_table("s", "c", &[bigint("v")], &at(&place))).unwrap();
    planned.query_id = Some("q77".into());
    let data = planned.data_dir();
    support::write_int64_file(&data.join("q77-abc.arrow"), vec![1]);
    std::fs::write(data.join("q78-other-writer.arrow"), b"another query's").unwrap();
    block_on(cat.abort_new_table(&planned)).unwrap();
    assert!(!data.join("q77-abc.arrow").exists());
    assert!(data.join("q78-other-writer.arrow").exists());
}

// ---------------------------------------------------------------- 2. confinement

#[test]
fn registration_and_locations_are_confined_to_the_allowed_roots() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.arrow");
    support::write_int64_file(&secret, vec![42]);
    let cat = open(&zk, wh.path(), serde_json::json!({}));
    schema(&cat);

    let escape = format!("{}/../{}", wh.path().display(), outside.path().display());
    let link = wh.path().join("link");
    std::os::unix::fs::symlink(outside.path(), &link).unwrap();
    let tries = [
        secret.display().to_string(),
        escape,
        link.join("secret.arrow").display().to_string(),
    ];
    for path in &tries {
        let e = block_on(cat.register_table("s", "r", path)).unwrap_err();
        assert_eq!(e.code, ErrorCode::LocationNotAllowed, "{path}: {e}");
        assert!(e.message.contains("zkarrow.allowed-locations"), "{e}");
    }
    let e = block_on(cat.create_table("s", "t", &[bigint("v")], &at(&outside.path().join("t"))))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::LocationNotAllowed, "{e}");

    // an administrator can allow more roots
    let allowed = open(
        &zk,
        wh.path(),
        serde_json::json!({ "allowed_locations": [wh.path(), outside.path()] }),
    );
    let t = block_on(allowed.register_table("s", "r", secret.to_str().unwrap())).unwrap();
    assert_eq!(rows(&allowed, "r"), 1);
    // a registered path inside a managed table's location is refused
    block_on(allowed.create_table("s", "m", &[bigint("v")], &at(&wh.path().join("m")))).unwrap();
    let inside = write_into(&allowed, "m", "x.arrow", vec![1]);
    let e = block_on(allowed.register_table("s", "peek", &inside.path)).unwrap_err();
    assert_eq!(e.code, ErrorCode::LocationInUse, "{e}");
    assert!(t.external);
}

// ---------------------------------------------------------------- 4. commits

#[test]
fn a_commit_never_lands_in_a_table_re_created_under_its_name() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), serde_json::json!({}));
    schema(&cat);
    block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new())).unwrap();
    let started = block_on(cat.begin_write("s", "t", "q-insert")).unwrap();
    let file = write_into(&cat, "t", "q-insert-1.arrow", vec![42]);

    // while the INSERT runs, t is renamed away and a new t (double) takes its name
    block_on(cat.rename_table("s", "t", "s", "t_old", LockHolder::default())).unwrap();
    let double = ColumnSpec {
        name: "v".into(),
        presto_type: "double".into(),
        id: None,
    };
    block_on(cat.create_table("s", "t", &[double], &BTreeMap::new())).unwrap();
    let e = block_on(cat.commit(append("t", vec![file.clone()], Some(started.id.clone()))))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::CommitConflict, "{e}");
    assert!(e.message.contains(&started.id), "{e}");
    assert_eq!(rows(&cat, "t"), 0, "the new table got nothing");
    assert_eq!(rows(&cat, "t_old"), 0);

    // dropped and re-created: the same
    block_on(cat.drop_table("s", "t", LockHolder::default())).unwrap();
    block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new())).unwrap();
    let e = block_on(cat.commit(append("t", vec![file], Some(started.id)))).unwrap_err();
    assert_eq!(e.code, ErrorCode::CommitConflict, "{e}");
}

#[test]
fn drop_rename_and_alter_wait_for_the_table_lock() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(
        &zk,
        wh.path(),
        serde_json::json!({ "settings": { "lock_wait_timeout": "700ms" } }),
    );
    schema(&cat);
    block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new())).unwrap();
    let other = open(&zk, wh.path(), serde_json::json!({}));
    let client = other.zk().client();
    let lock = hold_lock(
        &client,
        br#"{"node":"worker-9","query_id":"q-long","since_ms":0}"#,
    );

    let e = block_on(cat.drop_table("s", "t", LockHolder::default())).unwrap_err();
    assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
    let e = block_on(cat.rename_table("s", "t", "s", "u", LockHolder::default())).unwrap_err();
    assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
    let e = block_on(cat.add_column("s", "t", "w", "bigint", LockHolder::default())).unwrap_err();
    assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
    assert!(block_on(cat.get_table("s", "t")).unwrap().is_some());

    block_on(async move { drop(lock) });
    std::thread::sleep(Duration::from_millis(300));
    block_on(cat.drop_table("s", "t", LockHolder::default())).unwrap();
}

fn hold_lock<'c>(
    client: &'c zookeeper_client::Client,
    data: &[u8],
) -> zookeeper_client::LockClient<'c> {
    let dir = format!("{ROOT}/locks/s/t");
    let prefix = zookeeper_client::LockPrefix::new_curator(&dir, "lock-").unwrap();
    let options = zookeeper_client::LockOptions::new(zookeeper_client::Acls::anyone_all())
        .with_ancestor_options(
            zookeeper_client::CreateMode::Persistent
                .with_acls(zookeeper_client::Acls::anyone_all()),
        )
        .unwrap();
    block_on(client.lock(prefix, data, options)).unwrap()
}

// ---------------------------------------------------------------- 5. lost replies

fn through_proxy(proxy: &LostReplyProxy, wh: &Path) -> Catalog {
    let config = serde_json::json!({
        "connect": proxy.connect_string(), "root": ROOT, "warehouse": wh,
    });
    let config = zkarrow_core::config::CatalogConfig::from_json(&config.to_string()).unwrap();
    block_on(Catalog::open(config)).unwrap()
}

#[test]
fn create_commit_and_drop_whose_replies_are_lost_are_settled_by_reading_back() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    // a direct session first: ZooKeeper may drop the very first connections while it starts
    schema(&open(&zk, wh.path(), serde_json::json!({})));
    let proxy = LostReplyProxy::start(zk.port);
    let cat = through_proxy(&proxy, wh.path());

    // CREATE TABLE: the create applied, its reply was lost
    proxy.lose_next_reply(&[OP_MULTI]);
    let created = block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new()));
    assert_eq!(proxy.fired(), 1);
    let created = created.expect("a create that applied is reported as done");
    assert_eq!(
        rows(&cat, "t"),
        0,
        "and the table is readable: its manifest is there"
    );
    let again = block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new()));
    assert_eq!(again.unwrap_err().code, ErrorCode::TableExists);

    // INSERT's commit
    let file = write_into(&cat, "t", "q-1.arrow", vec![7, 8, 9]);
    proxy.lose_next_reply(&[OP_MULTI]);
    let outcome = block_on(cat.commit(append("t", vec![file.clone()], Some(created.id.clone()))));
    assert_eq!(proxy.fired(), 2);
    outcome.expect("a commit that applied is reported as done");
    assert_eq!(rows(&cat, "t"), 3);

    // DROP: the record went; the table's files go too instead of leaking
    proxy.lose_next_reply(&[OP_MULTI]);
    block_on(cat.drop_table("s", "t", LockHolder::default())).expect("the drop applied");
    assert_eq!(proxy.fired(), 3);
    assert!(block_on(cat.get_table("s", "t")).unwrap().is_none());
    assert!(
        !Path::new(&file.path).exists(),
        "the dropped table's data went"
    );
    assert!(!Path::new(&created.metadata_location).exists());
}

// ---------------------------------------------------------------- 6. durable manifests

#[test]
fn manifests_and_their_directory_are_synced_before_the_swap() {
    if let Ok(dir) = std::env::var("ZKARROW_TRUST_WRITE_MANIFEST_IN") {
        // the child: write one snapshot (a data manifest and a snapshot manifest) where the
        // parent traces it
        use zkarrow_core::storage::records::DataFile;
        use zkarrow_core::storage::snapshot::{write_next, Change};
        let file = DataFile::new(
            Path::new("/x.arrow"),
            8,
            vec![1],
            vec![8],
            Default::default(),
        );
        let metadata = Path::new(&dir).join("metadata");
        write_next(
            &metadata,
            "id",
            None,
            "create",
            None,
            Change::Append(vec![file]),
            &[],
        )
        .unwrap();
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().canonicalize().unwrap();
    let trace = dir_path.join("trace.txt");
    let status = std::process::Command::new("strace")
        .args([
            "-f",
            "-y",
            "-e",
            "trace=fsync,fdatasync,rename,renameat,renameat2",
            "-o",
        ])
        .arg(&trace)
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "manifests_and_their_directory_are_synced_before_the_swap",
            "--test-threads=1",
        ])
        .env("ZKARROW_TRUST_WRITE_MANIFEST_IN", &dir_path)
        .stdout(std::process::Stdio::null()) // its "test result" line is not one of this run's
        .status()
        .expect("strace is needed for this test (tests/setup.sh installs it)");
    assert!(status.success());
    let lines: Vec<String> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let find = |what: &dyn Fn(&str) -> bool| lines.iter().position(|l| what(l));
    let metadata = dir_path.join("metadata").display().to_string();
    let synced_tmp = find(&|l: &str| l.contains("sync(") && l.contains(".tmp>"));
    let renamed = find(&|l: &str| l.contains("rename") && l.contains(".tmp"));
    let synced_dir = lines
        .iter()
        .rposition(|l| l.contains("sync(") && l.contains(&format!("<{metadata}>")));
    let synced_parent =
        find(&|l: &str| l.contains("sync(") && l.contains(&format!("<{}>", dir_path.display())));
    let order = (synced_tmp, renamed, synced_dir);
    assert!(
        matches!(order, (Some(a), Some(b), Some(c)) if a < b && b < c),
        "expected fsync(manifest) < rename < fsync(metadata dir), got {order:?} in\n{}",
        lines.join("\n")
    );
    assert!(
        synced_parent.is_some(),
        "the new metadata directory's entry is synced"
    );
}

// ---------------------------------------------------------------- 7. dropped columns

#[test]
fn a_dropped_column_of_a_registered_table_never_reappears() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), serde_json::json!({}));
    schema(&cat);
    let file = wh.path().join("two.arrow");
    write_two_columns(&file);
    block_on(cat.register_table("s", "r", file.to_str().unwrap())).unwrap();
    block_on(cat.drop_column("s", "r", "b", LockHolder::default())).unwrap();
    block_on(cat.add_column("s", "r", "b", "bigint", LockHolder::default())).unwrap();
    let record = block_on(cat.require_table("s", "r")).unwrap();
    let columns = support::scan_columns(&record);
    let mut scan = Scan::open(&ScanRequest {
        path: file.display().to_string(),
        batch_start: 0,
        batch_end: 1,
        columns,
        debug_panic: false,
    })
    .unwrap();
    let batch = scan.next_batch().unwrap().unwrap();
    let b = batch.column_by_name("b").unwrap();
    assert_eq!(b.null_count(), b.len(), "the new b holds no old values");
    assert_eq!(batch.column_by_name("a").unwrap().null_count(), 0);
}

fn write_two_columns(path: &Path) {
    use arrow::array::{ArrayRef, Int64Array, RecordBatch};
    use arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;
    let schema = Arc::new(Schema::new(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("b", DataType::Int64, true),
    ]));
    let a: ArrayRef = Arc::new(Int64Array::from(vec![1, 2]));
    let b: ArrayRef = Arc::new(Int64Array::from(vec![10, 20]));
    let mut w =
        arrow::ipc::writer::FileWriter::try_new(std::fs::File::create(path).unwrap(), &schema)
            .unwrap();
    w.write(&RecordBatch::try_new(schema, vec![a, b]).unwrap())
        .unwrap();
    w.finish().unwrap();
}

// ---------------------------------------------------------------- 8. GC safety

fn age(path: &Path, by: Duration) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn orphan_removal_respects_the_grace_period_and_writes_in_flight() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), serde_json::json!({}));
    schema(&cat);
    block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new())).unwrap();
    let now = zkarrow_core::storage::records::now_ms();
    for too_recent in [now, now + 3_600_000, now - 60_000] {
        let e =
            block_on(cat.remove_orphan_files("s", "t", too_recent, false, LockHolder::default()))
                .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{e}");
        assert!(e.message.contains("zkarrow.gc-min-grace"), "{e}");
    }

    // an INSERT that has run for two hours: its files are old but still in flight
    let started = block_on(cat.begin_write("s", "t", "q-slow")).unwrap();
    let slow = write_into(&cat, "t", "q-slow-0001.arrow", vec![1]);
    let dead = write_into(&cat, "t", "q-dead-0001.arrow", vec![2]);
    for f in [&slow, &dead] {
        age(Path::new(&f.path), Duration::from_secs(7200));
    }
    let cutoff = zkarrow_core::storage::records::now_ms() - 3_600_000;
    let report =
        block_on(cat.remove_orphan_files("s", "t", cutoff, false, LockHolder::default())).unwrap();
    let removed: Vec<PathBuf> = report.files.iter().map(PathBuf::from).collect();
    assert_eq!(removed, vec![PathBuf::from(&dead.path)]);
    assert!(Path::new(&slow.path).exists());
    let committed = block_on(cat.commit(append("t", vec![slow.clone()], Some(started.id.clone()))));
    committed.unwrap();
    assert_eq!(rows(&cat, "t"), 1);

    // a commit whose file was collected fails instead of naming a missing file
    let e = block_on(cat.commit(append("t", vec![dead], Some(started.id)))).unwrap_err();
    assert_eq!(e.code, ErrorCode::CommitConflict, "{e}");
    assert_eq!(rows(&cat, "t"), 1);
}

// ---------------------------------------------------------------- 9. lock messages

#[test]
fn lock_timeouts_name_the_holder_and_its_age_readably() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), serde_json::json!({}));
    schema(&cat);
    block_on(cat.create_table("s", "t", &[bigint("v")], &BTreeMap::new())).unwrap();
    let other = open(&zk, wh.path(), serde_json::json!({}));
    let client = other.zk().client();
    let since = zkarrow_core::storage::records::now_ms() - 90_000;
    let ours = format!(
        r#"{{"node":"worker-7","query_id":"20261130_000000_00001_abcde","since_ms":{since}}}"#
    );
    let mut request = append("t", Vec::new(), None);
    request.lock_timeout = Duration::from_millis(400);

    let lock = hold_lock(&client, ours.as_bytes());
    let e = block_on(cat.commit(request.clone())).unwrap_err();
    assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
    for part in [
        "Presto node 'worker-7'",
        "query 20261130_000000_00001_abcde",
        "1m 30s ago",
        "Z (",
    ] {
        assert!(e.message.contains(part), "'{part}' missing in: {e}");
    }
    assert!(!e.message.contains("since the epoch"), "{e}");
    block_on(async move { drop(lock) });
    std::thread::sleep(Duration::from_millis(300));

    // Curator's InterProcessMutex writes the client's address
    let lock = hold_lock(&client, b"127.0.0.1");
    let e = block_on(cat.commit(request)).unwrap_err();
    assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
    assert!(
        e.message.contains("another client") && e.message.contains("'127.0.0.1'"),
        "{e}"
    );
    assert!(e.message.contains("s ago"), "{e}");
    block_on(async move { drop(lock) });
}
