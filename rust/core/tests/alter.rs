//! Schema changes against a real ZooKeeper: metadata only, with old files read through column ids.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::ipc::writer::FileWriter;
use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::{data_dir, ColumnSpec};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::presto::to_presto::to_presto;
use zkarrow_core::protocol::scan::{Scan, ScanColumn, ScanRequest};
use zkarrow_core::protocol::sink::{PageSink, SinkRequest};
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::records::TableRecord;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(zk, "/zkarrow/alter", warehouse, serde_json::json!({}))
}

fn specs(t: &TableRecord) -> Vec<ColumnSpec> {
    t.columns
        .iter()
        .map(|c| ColumnSpec {
            name: c.name.clone(),
            presto_type: c.presto_type.clone(),
            id: Some(c.id),
        })
        .collect()
}

/// Writes one page with the table's current columns: `values[i]` for column i.
fn insert(cat: &Catalog, t: &TableRecord, values: Vec<ArrayRef>) {
    let mut sink = PageSink::open(&SinkRequest {
        dir: data_dir(&t.metadata_location).to_string_lossy().to_string(),
        columns: specs(t),
        compression: None,
        target_file_bytes: None,
        prefix: "q".into(),
        settings: Default::default(),
    })
    .unwrap();
    let rows = values[0].len();
    sink.write_page(
        rows,
        values
            .iter()
            .map(|v| to_presto(v.as_ref()).unwrap())
            .collect(),
    )
    .unwrap();
    let files = sink.finish().unwrap();
    block_on(cat.commit(CommitRequest {
        schema: t.schema.clone(),
        table: t.name.clone(),
        operation: Operation::Append,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id: None,
        holder: LockHolder::default(),
        lock_timeout: Duration::from_secs(5),
    }))
    .unwrap();
}

/// Every row of the table as strings, columns in the table's current order, sorted.
fn read_all(cat: &Catalog, schema: &str, table: &str) -> Vec<Vec<String>> {
    let t = block_on(cat.get_table(schema, table)).unwrap().unwrap();
    let columns: Vec<ScanColumn> = support::scan_columns(&t);
    let mut rows = Vec::new();
    for split in block_on(cat.plan_splits(schema, table, None, None, &[], None)).unwrap() {
        let mut scan = Scan::open(&ScanRequest {
            path: split.path,
            batch_start: split.batch_start,
            batch_end: split.batch_end,
            columns: columns.clone(),
            debug_panic: false,
        })
        .unwrap();
        while let Some(batch) = scan.next_batch().unwrap() {
            for r in 0..batch.num_rows() {
                rows.push(
                    batch
                        .columns()
                        .iter()
                        .map(|c| {
                            if c.is_null(r) {
                                "NULL".into()
                            } else {
                                arrow::util::display::array_value_to_string(c, r).unwrap()
                            }
                        })
                        .collect(),
                );
            }
        }
    }
    rows.sort();
    rows
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn added_columns_read_as_null_renamed_ones_keep_their_data_and_dropped_ids_never_return() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    block_on(cat.create_schema("s")).unwrap();
    let spec = vec![
        ColumnSpec {
            name: "a".into(),
            presto_type: "bigint".into(),
            id: None,
        },
        ColumnSpec {
            name: "b".into(),
            presto_type: "varchar".into(),
            id: None,
        },
    ];
    let t = block_on(cat.create_table("s", "t", &spec, &BTreeMap::new())).unwrap();
    insert(
        &cat,
        &t,
        vec![
            Arc::new(Int64Array::from(vec![1, 2])),
            Arc::new(StringArray::from(vec!["x", "y"])),
        ],
    );

    let h = LockHolder::default();
    block_on(cat.add_column("s", "t", "c", "bigint", h.clone())).unwrap();
    block_on(cat.rename_column("s", "t", "b", "bee", h.clone())).unwrap();
    assert_eq!(
        read_all(&cat, "s", "t"),
        vec![strings(&["1", "x", "NULL"]), strings(&["2", "y", "NULL"])]
    );

    let t = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    insert(
        &cat,
        &t,
        vec![
            Arc::new(Int64Array::from(vec![3])),
            Arc::new(StringArray::from(vec!["z"])),
            Arc::new(Int64Array::from(vec![30])),
        ],
    );
    block_on(cat.drop_column("s", "t", "a", h.clone())).unwrap();
    block_on(cat.add_column("s", "t", "a", "bigint", h.clone())).unwrap();
    let t = block_on(cat.get_table("s", "t")).unwrap().unwrap();
    let ids: Vec<u32> = t.columns.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![2, 3, 4], "the re-added 'a' gets a new id");
    assert_eq!(
        read_all(&cat, "s", "t"),
        vec![
            strings(&["x", "NULL", "NULL"]),
            strings(&["y", "NULL", "NULL"]),
            strings(&["z", "30", "NULL"])
        ],
        "the old 'a' values do not come back"
    );

    let e = block_on(cat.rename_column("s", "t", "bee", "c", h.clone())).unwrap_err();
    assert!(e.message.contains("'c' already exists"), "{e}");
    let e = block_on(cat.add_column("s", "t", "j", "json", h.clone())).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedType);
    let e = block_on(cat.drop_column("s", "t", "nope", h)).unwrap_err();
    assert!(e.message.contains("no column 'nope'"), "{e}");
}

#[test]
fn renaming_a_column_of_registered_files_keeps_reading_them() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    block_on(cat.create_schema("s")).unwrap();
    let file = wh.path().join("ext.arrow");
    let batch = RecordBatch::try_from_iter(vec![(
        "Name",
        Arc::new(StringArray::from(vec!["p", "q"])) as ArrayRef,
    )])
    .unwrap();
    let mut w =
        FileWriter::try_new(std::fs::File::create(&file).unwrap(), &batch.schema()).unwrap();
    w.write(&batch).unwrap();
    w.finish().unwrap();
    block_on(cat.register_table("s", "ext", file.to_str().unwrap())).unwrap();
    let h = LockHolder::default();
    block_on(cat.rename_column("s", "ext", "name", "label", h.clone())).unwrap();
    block_on(cat.add_column("s", "ext", "extra", "double", h)).unwrap();
    assert_eq!(
        read_all(&cat, "s", "ext"),
        vec![strings(&["p", "NULL"]), strings(&["q", "NULL"])]
    );
}
