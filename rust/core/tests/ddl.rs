//! Tables zkarrow writes itself, against a real ZooKeeper: create, write pages, commit, read back,
//! rename, drop.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, ListArray, StringArray};
use arrow::datatypes::Int64Type;
use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::ColumnSpec;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::presto::to_presto::to_presto;
use zkarrow_core::protocol::scan::{Scan, ScanColumn, ScanRequest};
use zkarrow_core::protocol::sink::{PageSink, SinkRequest};
use zkarrow_core::runtime::block_on;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(zk, "/zkarrow/ddl", warehouse, serde_json::json!({}))
}

fn columns() -> Vec<ColumnSpec> {
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
        ColumnSpec {
            name: "tags".into(),
            presto_type: "array(bigint)".into(),
            id: None,
        },
    ]
}

fn page(first: i64, rows: i64) -> (usize, Vec<ArrayRef>) {
    let ids: ArrayRef = Arc::new(Int64Array::from((first..first + rows).collect::<Vec<_>>()));
    let names: ArrayRef = Arc::new(StringArray::from(
        (first..first + rows)
            .map(|i| (i % 3 != 0).then(|| format!("n{i}")))
            .collect::<Vec<_>>(),
    ));
    let tags: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(
        (first..first + rows).map(|i| (i % 4 != 0).then(|| vec![Some(i), None])),
    ));
    (rows as usize, vec![ids, names, tags])
}

#[test]
fn pages_written_by_sinks_commit_as_one_snapshot_and_read_back() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    block_on(cat.create_schema("s")).unwrap();
    let props = BTreeMap::from([("compression".to_string(), "zstd".to_string())]);
    let table = block_on(cat.create_table("s", "t", &columns(), &props)).unwrap();
    assert_eq!(
        block_on(cat.create_table("s", "t", &columns(), &props))
            .unwrap_err()
            .code,
        ErrorCode::TableExists
    );

    // Two "workers", each a sink with its own pages.
    let data_dir = zkarrow_core::catalog::ddl::data_dir(&table.metadata_location);
    let mut fragments = Vec::new();
    for (worker, first) in [(0, 0), (1, 1000)] {
        let mut sink = PageSink::open(&SinkRequest {
            dir: data_dir.to_string_lossy().to_string(),
            columns: columns(),
            compression: Some("zstd".into()),
            target_file_bytes: Some(1 << 20),
            prefix: format!("q1-w{worker}"),
            settings: Default::default(),
        })
        .unwrap();
        for p in 0..3 {
            let (rows, arrays) = page(first + p * 100, 100);
            let presto: Vec<_> = arrays
                .iter()
                .map(|a| to_presto(a.as_ref()).unwrap())
                .collect();
            sink.write_page(rows, presto).unwrap();
        }
        fragments.extend(sink.finish().unwrap());
    }
    let outcome = block_on(cat.commit(CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation: Operation::Append,
        files: fragments,
        removed_files: Vec::new(),
        base_snapshot_id: Some(1),
        table_id: None,
        holder: LockHolder::default(),
        lock_timeout: std::time::Duration::from_secs(10),
    }))
    .unwrap();
    assert_eq!(outcome.snapshot_id, 2);

    let splits = block_on(cat.plan_splits("s", "t", None, None, &[], None)).unwrap();
    let mut ids = Vec::new();
    let mut null_names = 0;
    for split in splits {
        let mut scan = Scan::open(&ScanRequest {
            path: split.path,
            batch_start: split.batch_start,
            batch_end: split.batch_end,
            columns: vec![
                ScanColumn {
                    name: "id".into(),
                    presto_type: "bigint".into(),
                    id: None,
                    file_name: None,
                },
                ScanColumn {
                    name: "name".into(),
                    presto_type: "varchar".into(),
                    id: None,
                    file_name: None,
                },
            ],
            debug_panic: false,
        })
        .unwrap();
        while let Some(batch) = scan.next_batch().unwrap() {
            ids.extend(
                batch
                    .column(0)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .unwrap()
                    .values()
                    .iter()
                    .copied(),
            );
            null_names += batch.column(1).null_count();
        }
    }
    ids.sort();
    let expected: Vec<i64> = (0..300).chain(1000..1300).collect();
    assert_eq!(ids, expected);
    assert_eq!(null_names, expected.iter().filter(|i| *i % 3 == 0).count());
}

#[test]
fn rename_moves_the_record_and_drop_removes_the_data_of_managed_tables_only() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    block_on(cat.create_schema("s")).unwrap();
    block_on(cat.create_schema("other")).unwrap();
    let table = block_on(cat.create_table("s", "t", &columns(), &BTreeMap::new())).unwrap();
    assert!(Path::new(&table.location).exists());

    block_on(cat.rename_table("s", "t", "other", "u", Default::default())).unwrap();
    assert!(block_on(cat.get_table("s", "t")).unwrap().is_none());
    let renamed = block_on(cat.get_table("other", "u")).unwrap().unwrap();
    assert_eq!(
        (
            renamed.schema.as_str(),
            renamed.name.as_str(),
            renamed.id.as_str()
        ),
        ("other", "u", table.id.as_str())
    );
    block_on(cat.create_table("s", "t", &columns(), &BTreeMap::new())).unwrap();
    assert_eq!(
        block_on(cat.rename_table("other", "u", "s", "t", Default::default()))
            .unwrap_err()
            .code,
        ErrorCode::TableExists
    );

    block_on(cat.drop_table("other", "u", Default::default())).unwrap();
    assert!(
        !Path::new(&table.location).exists(),
        "a managed table's data goes with it"
    );
    assert_eq!(
        block_on(cat.drop_table("other", "u", Default::default()))
            .unwrap_err()
            .code,
        ErrorCode::TableNotFound
    );

    let bad = vec![ColumnSpec {
        name: "j".into(),
        presto_type: "json".into(),
        id: None,
    }];
    let e = block_on(cat.create_table("s", "j", &bad, &BTreeMap::new())).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedType);
    let props = BTreeMap::from([("colour".to_string(), "red".to_string())]);
    let e = block_on(cat.create_table("s", "j", &columns(), &props)).unwrap_err();
    assert!(e.message.contains("colour"), "{e}");
}
