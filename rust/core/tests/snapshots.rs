//! History, time travel, rollback, expiry and orphan removal against a real ZooKeeper.

mod support;

use std::path::Path;
use std::time::Duration;

use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::Operation;
use zkarrow_core::catalog::ddl::{data_dir, ColumnSpec};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::plan::pruning::{ColumnDomain, Range};
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::records::{now_ms, DataFile};
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(
        zk,
        "/zkarrow/snap",
        warehouse,
        serde_json::json!({ "gc_min_grace_ms": 0 }),
    )
}

/// A file of column `v` (id 1), described as zkarrow's writer describes it (statistics tagged
/// with the column id, which pruning needs since protocol v2).
fn write(dir: &Path, name: &str, values: Vec<i64>) -> DataFile {
    let mut file = support::write_int64_file(&dir.join(name), values);
    file.columns.get_mut("v").unwrap().column_id = Some(1);
    file
}

fn commit(cat: &Catalog, operation: Operation, files: Vec<DataFile>, query: &str) -> i64 {
    support::commit_files(cat, ("s", "t"), operation, files, query)
}

fn rows_at(cat: &Catalog, snapshot: Option<i64>) -> u64 {
    let record = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    block_on(cat.snapshot_at(&record, snapshot))
        .unwrap()
        .row_count()
}

#[test]
fn history_time_travel_rollback_expiry_and_orphans() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    block_on(cat.create_schema("s")).unwrap();
    let spec = vec![ColumnSpec {
        name: "v".into(),
        presto_type: "bigint".into(),
        id: None,
    }];
    let table = block_on(cat.create_table("s", "t", &spec, &Default::default())).unwrap();
    let data = data_dir(&table.metadata_location);

    assert_eq!(
        commit(
            &cat,
            Operation::Append,
            vec![write(&data, "a.arrow", vec![1, 2, 3])],
            "q-a"
        ),
        2
    );
    assert_eq!(
        commit(
            &cat,
            Operation::Append,
            vec![write(&data, "b.arrow", vec![10, 20])],
            "q-b"
        ),
        3
    );
    assert_eq!(
        commit(
            &cat,
            Operation::Overwrite,
            vec![write(&data, "c.arrow", vec![100])],
            "q-c"
        ),
        4
    );

    let history = block_on(cat.snapshots("s", "t")).unwrap();
    let ids: Vec<i64> = history.iter().map(|s| s.snapshot_id).collect();
    assert_eq!(ids, vec![4, 3, 2, 1]);
    assert_eq!(history[0].operation, "overwrite");
    assert_eq!(history[0].query_id.as_deref(), Some("q-c"));
    assert_eq!(
        (
            history[0].summary.added_rows,
            history[0].summary.removed_rows
        ),
        (1, 5)
    );
    assert_eq!(
        (
            history[0].summary.added_files,
            history[0].summary.removed_files
        ),
        (1, 2)
    );
    assert_eq!(history[1].total_rows, 5);

    assert_eq!(rows_at(&cat, None), 1);
    assert_eq!(rows_at(&cat, Some(3)), 5);
    assert_eq!(rows_at(&cat, Some(2)), 3);
    let record = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    let e = block_on(cat.snapshot_at(&record, Some(99))).unwrap_err();
    assert_eq!(e.code, ErrorCode::SnapshotNotFound);

    // Pruning by statistics: only b.arrow can hold v >= 10 at snapshot 3.
    let domain = ColumnDomain {
        column_id: 1,
        ranges: vec![Range {
            low: Some(serde_json::json!(10)),
            low_inclusive: true,
            high: None,
            high_inclusive: false,
        }],
        null_allowed: false,
    };
    let splits = block_on(cat.plan_splits("s", "t", Some(3), None, &[domain], None)).unwrap();
    assert_eq!(splits.len(), 1);
    assert!(splits[0].path.ends_with("b.arrow"));

    let back = block_on(cat.rollback_to_snapshot(
        "s",
        "t",
        3,
        LockHolder::default(),
        Duration::from_secs(5),
    ))
    .unwrap();
    assert_eq!(back.snapshot_id, 5);
    assert_eq!(rows_at(&cat, None), 5);
    assert_eq!(
        block_on(cat.snapshots("s", "t")).unwrap()[0].operation,
        "rollback"
    );

    // A commit that crashed after writing its data file, and a stray temporary file.
    write(&data, "crashed.arrow", vec![7]);
    std::fs::write(data.join(".half.arrow.tmp"), b"partial").unwrap();
    let future = now_ms() + 60_000;
    std::thread::sleep(Duration::from_millis(20));
    let refused = block_on(cat.remove_orphan_files("s", "t", future, false, LockHolder::default()));
    assert_eq!(
        refused.unwrap_err().code,
        ErrorCode::InvalidArgument,
        "a cutoff in the future is refused"
    );
    let now = now_ms();
    let dry =
        block_on(cat.remove_orphan_files("s", "t", now, true, LockHolder::default())).unwrap();
    let names = support::file_names(&dry.files);
    assert_eq!(names, vec![".half.arrow.tmp", "crashed.arrow"]);
    assert!(
        data.join("crashed.arrow").exists(),
        "a dry run removes nothing"
    );
    let grace =
        block_on(cat.remove_orphan_files("s", "t", now - 60_000, false, LockHolder::default()))
            .unwrap();
    assert!(
        grace.files.is_empty(),
        "files younger than the grace period are spared"
    );

    // Expire all but the newest two (5 and 4): every data file is still named by one of them.
    let expired = block_on(cat.expire_snapshots("s", "t", future, 2)).unwrap();
    assert_eq!(expired, vec![3, 2, 1]);
    assert_eq!(block_on(cat.snapshots("s", "t")).unwrap().len(), 2);
    let removed =
        block_on(cat.remove_orphan_files("s", "t", now, false, LockHolder::default())).unwrap();
    let names = support::file_names(&removed.files);
    // the data manifests that only the expired snapshots named go too
    let (metadata, data_names): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| n.starts_with("manifest-"));
    assert_eq!(data_names, vec![".half.arrow.tmp", "crashed.arrow"]);
    assert!(!metadata.is_empty());
    let record = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    for (snapshot, rows) in [(Some(4), 1), (None, 5)] {
        let files = block_on(cat.files_at(&record, snapshot)).expect("its manifests stay");
        assert_eq!(files.iter().map(|f| f.rows).sum::<u64>(), rows);
    }
    assert!(
        data.join("a.arrow").exists() && data.join("b.arrow").exists(),
        "live files stay"
    );
    assert_eq!(rows_at(&cat, None), 5);
    assert_eq!(
        block_on(cat.expire_snapshots("s", "t", future, 0))
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
}
