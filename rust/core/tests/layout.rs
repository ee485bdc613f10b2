//! The snapshot layout (format 2) against a real ZooKeeper: appends share immutable manifests,
//! the snapshot manifest stays small, time travel finds every snapshot through the log, and a
//! table written in format 1 (before) is read and continues in format 2.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::{data_dir, ColumnSpec};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::manifest;
use zkarrow_core::storage::records::{now_ms, DataFile, Manifest, SnapshotSummary, TableRecord};
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

const ROOT: &str = "/zkarrow/layout";

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(
        zk,
        ROOT,
        warehouse,
        serde_json::json!({ "gc_min_grace_ms": 0 }),
    )
}

fn create(cat: &Catalog) -> TableRecord {
    block_on(cat.create_schema("s")).unwrap();
    let spec = vec![ColumnSpec {
        name: "v".into(),
        presto_type: "bigint".into(),
        id: None,
    }];
    block_on(cat.create_table("s", "t", &spec, &Default::default())).unwrap()
}

fn file(record: &TableRecord, value: i64) -> DataFile {
    let dir = data_dir(&record.metadata_location);
    let mut f = support::write_int64_file(&dir.join(format!("f{value}.arrow")), vec![value]);
    f.columns.get_mut("v").unwrap().column_id = Some(1);
    f
}

fn append(cat: &Catalog, files: Vec<DataFile>) -> i64 {
    block_on(cat.commit(CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation: Operation::Append,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id: None,
        holder: LockHolder::default(),
        lock_timeout: Duration::from_secs(10),
    }))
    .unwrap()
    .snapshot_id
}

/// The values (one per file) of snapshot `id`, read through its manifests.
fn values_at(cat: &Catalog, id: Option<i64>) -> BTreeSet<i64> {
    let record = block_on(cat.require_table("s", "t")).unwrap();
    block_on(cat.files_at(&record, id))
        .unwrap()
        .iter()
        .map(|f| f.columns["v"].min.as_ref().unwrap().as_i64().unwrap())
        .collect()
}

#[test]
fn appends_share_manifests_and_time_travel_reads_the_log() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    let record = create(&cat);
    for v in 0..150 {
        assert_eq!(append(&cat, vec![file(&record, v)]), v + 2);
    }
    let record = block_on(cat.require_table("s", "t")).unwrap();
    let totals = record.totals.expect("the record carries its totals");
    assert_eq!((totals.rows, totals.files), (150, 150));
    let dir = Path::new(&record.metadata_location);
    let current = manifest::read(dir, &record.current_manifest).unwrap();
    assert!(
        current.manifests.len() <= 16 && current.log.len() <= 16,
        "{} data manifests, {} log segments",
        current.manifests.len(),
        current.log.len()
    );
    let bytes = std::fs::metadata(dir.join(&record.current_manifest))
        .unwrap()
        .len();
    assert!(bytes < 16_000, "the snapshot manifest is {bytes} bytes");

    // every snapshot by id: snapshot k holds the values 0..k-1
    for id in 1..=151 {
        let expected: BTreeSet<i64> = (0..id - 1).collect();
        assert_eq!(values_at(&cat, Some(id)), expected, "snapshot {id}");
    }
    // by time and before: the same answers as a scan of the whole history
    let history = block_on(cat.snapshots("s", "t")).unwrap();
    assert_eq!(history.len(), 151);
    assert!(history
        .windows(2)
        .all(|w| w[0].snapshot_id == w[1].snapshot_id + 1));
    for entry in history.iter().step_by(7) {
        let t = entry.committed_at_ms;
        for before in [false, true] {
            let expected = history
                .iter()
                .find(|e| {
                    if before {
                        e.committed_at_ms < t
                    } else {
                        e.committed_at_ms <= t
                    }
                })
                .map(|e| e.snapshot_id);
            let got = block_on(cat.resolve_version("s", "t", None, Some(t), before)).ok();
            assert_eq!(got, expected, "timestamp {t}, before {before}");
        }
        let id = entry.snapshot_id;
        let version = zkarrow_core::catalog::snapshots::Version::Id(id);
        let before = block_on(cat.resolve_version("s", "t", Some(&version), None, true)).ok();
        assert_eq!(before, (id > 1).then_some(id - 1));
    }
}

/// Writes `files` of a table as format 1 did: snapshot k's manifest lists every file so far
/// and names its parent's manifest.
fn write_format_1(dir: &Path, table_id: &str, files: &[DataFile]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for k in 0..=files.len() {
        let m = Manifest {
            format_version: 1,
            table_id: table_id.into(),
            snapshot_id: k as i64 + 1,
            parent_snapshot_id: (k > 0).then_some(k as i64),
            parent_manifest: names.last().cloned(),
            committed_at_ms: now_ms() - 1000 + k as i64,
            operation: if k == 0 { "create" } else { "append" }.into(),
            query_id: None,
            summary: SnapshotSummary::default(),
            files: files[..k].to_vec(),
            totals: None,
            manifests: Vec::new(),
            log: Vec::new(),
            recent_log: Vec::new(),
            legacy_parent: None,
            column_stats: None,
        };
        names.push(manifest::write(dir, &m).unwrap());
    }
    names
}

#[test]
fn a_format_1_table_is_read_and_continues_in_format_2() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    let created = create(&cat);
    let old_files: Vec<DataFile> = (0..3).map(|v| file(&created, v)).collect();
    let dir = Path::new(&created.metadata_location);
    let names = write_format_1(dir, &created.id, &old_files);
    let mut record = created.clone();
    record.format_version = 1;
    record.current_snapshot_id = 4;
    record.current_manifest = names[3].clone();
    record.totals = None;
    let path = format!("{ROOT}/schemas/s/t");
    let data = serde_json::to_vec(&record).unwrap();
    block_on(cat.zk().run("set", &path, |c| {
        let (p, d) = (path.clone(), data.clone());
        async move { c.set_data(&p, &d, None).await.map(|_| ()) }
    }))
    .unwrap();
    drop(cat);

    // read as it is
    let cat = open(&zk, wh.path());
    assert_eq!(values_at(&cat, None), BTreeSet::from([0, 1, 2]));
    assert_eq!(values_at(&cat, Some(2)), BTreeSet::from([0]));
    let table = zkarrow_core::protocol::dispatch::handle_json(
        &cat,
        r#"{"op":"get_table","schema":"s","table":"t"}"#,
    )
    .unwrap();
    assert!(table.contains(r#""row_count":3"#), "{table}");
    assert_eq!(block_on(cat.snapshots("s", "t")).unwrap().len(), 4);

    // the next commits continue in format 2 and keep the format-1 history reachable
    for v in 3..15 {
        append(&cat, vec![file(&created, v)]);
    }
    let record = block_on(cat.require_table("s", "t")).unwrap();
    assert_eq!(record.totals.map(|t| t.rows), Some(15));
    let current = manifest::read(dir, &record.current_manifest).unwrap();
    assert_eq!(current.format_version, 2);
    assert_eq!(current.legacy_parent.as_deref(), Some(names[2].as_str()));
    for id in 1..=16 {
        let expected: BTreeSet<i64> = (0..id - 1).collect();
        assert_eq!(values_at(&cat, Some(id)), expected, "snapshot {id}");
    }
    let ids: Vec<i64> = block_on(cat.snapshots("s", "t"))
        .unwrap()
        .iter()
        .map(|e| e.snapshot_id)
        .collect();
    assert_eq!(ids, (1..=16).rev().collect::<Vec<_>>());

    // expiry reaches into the format-1 history; orphan removal keeps what is current
    let future = now_ms() + 60_000;
    let expired = block_on(cat.expire_snapshots("s", "t", future, 2)).unwrap();
    assert_eq!(expired, (1..=14).rev().collect::<Vec<_>>());
    let e = block_on(cat.resolve_version(
        "s",
        "t",
        Some(&zkarrow_core::catalog::snapshots::Version::Id(2)),
        None,
        false,
    ))
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::SnapshotNotFound);
    let removed =
        block_on(cat.remove_orphan_files("s", "t", now_ms(), false, LockHolder::default()))
            .unwrap();
    let removed_names = support::file_names(&removed.files);
    for name in &names {
        assert!(!dir.join(name).exists(), "expiry removed {name}");
    }
    assert!(removed_names.iter().any(|n| n.starts_with("manifest-")));
    assert!(removed_names.iter().all(|n| !n.ends_with(".arrow")));
    assert_eq!(values_at(&cat, None), (0..15).collect());
    assert_eq!(values_at(&cat, Some(15)), (0..14).collect());
}
