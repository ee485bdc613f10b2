//! The commit protocol against a real ZooKeeper: concurrent appends, conflicting overwrites, locks.

mod support;

use std::path::Path;
use std::time::Duration;

use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::manifest;
use zkarrow_core::storage::records::DataFile;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(zk, "/zkarrow/commit", warehouse, serde_json::json!({}))
}

fn data_file(path: &Path, value: i64) -> DataFile {
    support::write_int64_file(path, vec![value])
}

fn request(
    operation: Operation,
    files: Vec<DataFile>,
    base: Option<i64>,
    who: &str,
) -> CommitRequest {
    CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: base,
        table_id: None,
        holder: LockHolder {
            node: who.into(),
            query_id: Some(format!("q-{who}")),
            since_ms: 0,
        },
        lock_timeout: Duration::from_secs(30),
    }
}

fn setup(zk: &ZooKeeperServer, wh: &Path) -> Catalog {
    let cat = open(zk, wh);
    block_on(cat.create_schema("s")).unwrap();
    let first = wh.join("first.arrow");
    data_file(&first, -1);
    block_on(cat.register_table("s", "t", first.to_str().unwrap())).unwrap();
    cat
}

#[test]
fn eight_writers_appending_concurrently_lose_no_commit() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = setup(&zk, wh.path());
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let catalog = open(&zk, wh.path());
            let dir = wh.path().to_path_buf();
            std::thread::spawn(move || {
                let mut retries = 0;
                for i in 0..25 {
                    let file = data_file(&dir.join(format!("w{w}-{i}.arrow")), w * 100 + i);
                    let out = block_on(catalog.commit(request(
                        Operation::Append,
                        vec![file],
                        None,
                        &format!("w{w}"),
                    )))
                    .unwrap();
                    retries += out.retries;
                }
                retries
            })
        })
        .collect();
    let retries: u32 = writers.into_iter().map(|h| h.join().unwrap()).sum();
    println!("200 concurrent commits needed {retries} re-bases");

    let table = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    assert_eq!(table.current_snapshot_id, 201);
    let current = block_on(cat.files_at(&table, None)).unwrap();
    assert_eq!(
        current.len(),
        201,
        "every appended file is in the last snapshot"
    );
    assert_eq!(
        table.totals.unwrap().files,
        201,
        "and in the record's totals"
    );
    let mut values: Vec<i64> = current
        .iter()
        .map(|f| f.columns["v"].min.as_ref().unwrap().as_i64().unwrap())
        .collect();
    values.sort();
    let mut expected: Vec<i64> = (0..8)
        .flat_map(|w| (0..25).map(move |i| w * 100 + i))
        .collect();
    expected.push(-1);
    expected.sort();
    assert_eq!(values, expected);
    // The parent chain walks back through all 201 snapshots.
    let (mut seen, mut at) = (0, Some(table.current_manifest.clone()));
    while let Some(name) = at {
        let m = manifest::read(Path::new(&table.metadata_location), &name).unwrap();
        assert_eq!(m.snapshot_id, 201 - seen);
        seen += 1;
        at = m.parent_manifest;
    }
    assert_eq!(seen, 201);
    assert!(
        block_on(cat.lock_holders("s", "t")).unwrap().is_empty(),
        "every lock was released"
    );
}

#[test]
fn an_overwrite_planned_on_an_old_snapshot_conflicts_and_changes_nothing() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = setup(&zk, wh.path());
    let a = data_file(&wh.path().join("a.arrow"), 1);
    block_on(cat.commit(request(Operation::Append, vec![a], None, "a"))).unwrap();
    let b = data_file(&wh.path().join("b.arrow"), 2);
    let metadata = block_on(cat.get_table("s", "t"))
        .unwrap()
        .unwrap()
        .metadata_location;
    let before = std::fs::read_dir(&metadata).unwrap().count();
    let e = block_on(cat.commit(request(Operation::Overwrite, vec![b.clone()], Some(1), "b")))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::CommitConflict, "{e}");
    assert!(e.message.contains("snapshot 1 to 2"), "{e}");
    let table = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    assert_eq!(table.current_snapshot_id, 2);
    let after = std::fs::read_dir(&table.metadata_location).unwrap().count();
    assert_eq!(
        after, before,
        "the failed commit left no metadata file behind"
    );

    let out = block_on(cat.commit(request(Operation::Overwrite, vec![b], Some(2), "b"))).unwrap();
    assert_eq!(out.snapshot_id, 3);
    let table = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    assert_eq!(block_on(cat.files_at(&table, None)).unwrap().len(), 1);
    let m = block_on(cat.current_manifest(&table)).unwrap();
    assert_eq!(m.operation, "overwrite");
    assert_eq!((m.summary.added_files, m.summary.removed_files), (1, 2)); // b in; first, a out
}

#[test]
fn a_held_lock_times_out_with_an_error_that_names_the_holder() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = setup(&zk, wh.path());
    let other = open(&zk, wh.path());
    let client = other.zk().client();
    let holder = br#"{"node":"worker-7","query_id":"20261125_000000_00001_abcde","since_ms":1}"#;
    let prefix =
        zookeeper_client::LockPrefix::new_curator("/zkarrow/commit/locks/s/t", "lock-").unwrap();
    let options = zookeeper_client::LockOptions::new(zookeeper_client::Acls::anyone_all())
        .with_ancestor_options(
            zookeeper_client::CreateMode::Persistent
                .with_acls(zookeeper_client::Acls::anyone_all()),
        )
        .unwrap();
    let lock = block_on(client.lock(prefix, holder, options)).unwrap();

    let mut req = request(
        Operation::Append,
        vec![data_file(&wh.path().join("x.arrow"), 5)],
        None,
        "me",
    );
    req.lock_timeout = Duration::from_millis(500);
    let e = block_on(cat.commit(req)).unwrap_err();
    assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
    assert!(
        e.message.contains("worker-7") && e.message.contains("20261125_000000_00001_abcde"),
        "{e}"
    );
    assert_eq!(
        block_on(cat.get_table("s", "t"))
            .unwrap()
            .unwrap()
            .current_snapshot_id,
        1
    );
    block_on(async move { drop(lock) }); // the release runs on the runtime
}
