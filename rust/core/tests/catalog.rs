//! The catalog against a real ZooKeeper server: schemas, tables, registration, splits and scans.

mod support;

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::ipc::writer::FileWriter;
use support::ZooKeeperServer;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::config::CatalogConfig;
use zkarrow_core::protocol::scan::{Scan, ScanColumn, ScanRequest};
use zkarrow_core::runtime::block_on;
use zkarrow_core::ErrorCode;

fn open(zk: &ZooKeeperServer, root: &str, warehouse: &Path) -> Catalog {
    support::open_catalog(zk, root, warehouse, serde_json::json!({}))
}

/// Writes `batches` batches of `rows` rows: id = 0.., name = "n<id>" (every 7th null).
fn write_file(path: &Path, batches: usize, rows: usize, first_id: i64) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("name", DataType::Utf8, true),
    ]));
    let mut writer = FileWriter::try_new(std::fs::File::create(path).unwrap(), &schema).unwrap();
    let mut next = first_id;
    for _ in 0..batches {
        let ids: Vec<i64> = (next..next + rows as i64).collect();
        next += rows as i64;
        let names: Vec<Option<String>> = ids
            .iter()
            .map(|i| {
                if i % 7 == 0 {
                    None
                } else {
                    Some(format!("n{i}"))
                }
            })
            .collect();
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(ids)),
            Arc::new(StringArray::from(names)),
        ];
        writer
            .write(&RecordBatch::try_new(schema.clone(), columns).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn schemas_are_shared_by_catalogs_on_the_same_root_and_drop_refuses_non_empty() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let a = open(&zk, "/zkarrow/shared", wh.path());
    let b = open(&zk, "/zkarrow/shared", wh.path());
    let other = open(&zk, "/zkarrow/other", wh.path());

    block_on(a.create_schema("Sales")).unwrap();
    assert_eq!(block_on(b.list_schemas()).unwrap(), vec!["sales"]);
    assert!(block_on(other.list_schemas()).unwrap().is_empty());
    assert_eq!(
        block_on(b.create_schema("sales")).unwrap_err().code,
        ErrorCode::SchemaExists
    );

    let data = wh.path().join("data.arrow");
    write_file(&data, 2, 10, 0);
    block_on(a.register_table("sales", "orders", data.to_str().unwrap())).unwrap();
    let e = block_on(b.drop_schema("sales")).unwrap_err();
    assert_eq!(e.code, ErrorCode::SchemaNotEmpty, "{e}");
    assert_eq!(block_on(b.list_tables(None)).unwrap().len(), 1);

    block_on(b.unregister_table("sales", "orders", Default::default())).unwrap();
    assert!(data.exists(), "unregister must never remove the data");
    block_on(b.drop_schema("sales")).unwrap();
    assert!(block_on(a.list_schemas()).unwrap().is_empty());
    assert_eq!(
        block_on(a.drop_schema("sales")).unwrap_err().code,
        ErrorCode::SchemaNotFound
    );
}

#[test]
fn registering_a_directory_records_columns_rows_and_statistics_and_scans_read_them_back() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, "/zkarrow/reg", wh.path());
    block_on(cat.create_schema("s")).unwrap();
    let dir = wh.path().join("orders");
    std::fs::create_dir(&dir).unwrap();
    write_file(&dir.join("a.arrow"), 3, 100, 0);
    write_file(&dir.join("b.arrow"), 1, 50, 300);
    std::fs::write(dir.join("_SUCCESS"), b"").unwrap();

    let table = block_on(cat.register_table("s", "orders", dir.to_str().unwrap())).unwrap();
    let columns: Vec<_> = table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.presto_type.as_str()))
        .collect();
    assert_eq!(columns, vec![("id", "bigint"), ("name", "varchar")]);
    let manifest = block_on(cat.current_manifest(&table)).unwrap();
    assert_eq!(manifest.row_count(), 350);
    assert_eq!(table.totals.map(|t| (t.rows, t.files)), Some((350, 2)));
    let files = block_on(cat.files_at(&table, None)).unwrap();
    assert_eq!(files.len(), 2);
    let id_stats = &files[0].columns["id"];
    assert_eq!(id_stats.min, Some(serde_json::json!(0)));
    assert_eq!(id_stats.max, Some(serde_json::json!(299)));
    assert_eq!(files[0].columns["name"].null_count, 43); // multiples of 7 in 0..300

    // One split per batch with a tiny target; together they cover every row once.
    let splits = block_on(cat.plan_splits("s", "orders", None, None, &[], Some(1))).unwrap();
    assert_eq!(splits.len(), 4);
    let mut ids = Vec::new();
    for split in &splits {
        let mut scan = Scan::open(&ScanRequest {
            path: split.path.clone(),
            batch_start: split.batch_start,
            batch_end: split.batch_end,
            columns: vec![ScanColumn {
                name: "id".into(),
                presto_type: "bigint".into(),
                id: None,
                file_name: None,
            }],
            debug_panic: false,
        })
        .unwrap();
        while let Some(batch) = scan.next_batch().unwrap() {
            assert_eq!(
                batch.num_columns(),
                1,
                "only the requested column is decoded"
            );
            let a = batch
                .column(0)
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap();
            ids.extend(a.values().iter().copied());
        }
    }
    ids.sort();
    assert_eq!(ids, (0..350).collect::<Vec<i64>>());
}

#[test]
fn registration_errors_name_what_to_fix_and_leave_nothing_behind() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, "/zkarrow/bad", wh.path());
    let dir = wh.path().join("mixed");
    std::fs::create_dir(&dir).unwrap();
    write_file(&dir.join("a.arrow"), 1, 5, 0);

    let e = block_on(cat.register_table("nope", "t", dir.to_str().unwrap())).unwrap_err();
    assert_eq!(e.code, ErrorCode::SchemaNotFound);
    block_on(cat.create_schema("s")).unwrap();

    // A second file whose 'name' column is an integer.
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("name", DataType::Int32, true),
    ]));
    let mut w =
        FileWriter::try_new(std::fs::File::create(dir.join("b.arrow")).unwrap(), &schema).unwrap();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![1])),
        Arc::new(arrow::array::Int32Array::from(vec![1])),
    ];
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.finish().unwrap();
    let e = block_on(cat.register_table("s", "t", dir.to_str().unwrap())).unwrap_err();
    assert_eq!(e.code, ErrorCode::SchemaMismatch);
    assert!(
        e.message.contains("b.arrow") && e.message.contains("'name'"),
        "{e}"
    );

    let e = block_on(cat.register_table("s", "t", "relative/path")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let not_arrow = wh.path().join("x.arrow");
    std::fs::write(&not_arrow, b"hello, not arrow").unwrap();
    let e = block_on(cat.register_table("s", "t", not_arrow.to_str().unwrap())).unwrap_err();
    assert!(e.message.contains("not an Arrow IPC file"), "{e}");

    assert!(block_on(cat.list_tables(Some("s"))).unwrap().is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(wh.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers.iter().any(|n| n == "s"),
        "no metadata of failed registrations: {leftovers:?}"
    );

    write_file(&dir.join("b.arrow"), 1, 5, 5);
    block_on(cat.register_table("s", "t", dir.to_str().unwrap())).unwrap();
    let e = block_on(cat.register_table("s", "t", dir.to_str().unwrap())).unwrap_err();
    assert_eq!(e.code, ErrorCode::TableExists);
}

#[test]
fn an_unreachable_zookeeper_is_a_clear_error_not_a_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let wh = tempfile::tempdir().unwrap();
    let config = CatalogConfig::from_json(
        &serde_json::json!({
            "connect": format!("127.0.0.1:{port}"), "root": "/z", "warehouse": wh.path(),
            "connect_timeout_ms": 1000
        })
        .to_string(),
    )
    .unwrap();
    let e = block_on(Catalog::open(config))
        .err()
        .expect("no server listens there");
    assert_eq!(e.code, ErrorCode::ZookeeperUnavailable);
    assert!(e.message.contains(&port.to_string()), "{e}");
}
