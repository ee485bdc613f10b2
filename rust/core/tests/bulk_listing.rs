//! Bulk listing against a real ZooKeeper: `Catalog::table_records`, the `describe_tables` op and
//! the `locks` op read every table of a schema in one call, with the reads in flight together.
//!
//! `information_schema_at_scale` (ignored by default) is the measurement of issue 9:
//! `ZKARROW_BULK_TABLES=10000 cargo test --release -p zkarrow-core --test bulk_listing -- --ignored --nocapture`

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::ZooKeeperServer;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::protocol::handle_json;
use zkarrow_core::runtime::block_on;

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(zk, "/zkarrow/bulk", warehouse, json!({}))
}

fn ok(cat: &Catalog, request: Value) -> Value {
    let answer =
        handle_json(cat, &request.to_string()).unwrap_or_else(|e| panic!("{request}: {e}"));
    serde_json::from_str(&answer).unwrap()
}

/// `n` columns `c1..cn`, alternately bigint and varchar.
fn columns(n: usize) -> Value {
    Value::Array(
        (1..=n)
            .map(|i| {
                let t = if i % 2 == 1 { "bigint" } else { "varchar" };
                json!({"name": format!("c{i}"), "type": t})
            })
            .collect(),
    )
}

fn table_name(i: usize) -> String {
    format!("t{i:05}")
}

/// Appends one file of `rows` rows (column `v` bigint) to `schema.table`.
fn append_rows(cat: &Catalog, schema: &str, table: &str, data_dir: &str, rows: usize) {
    let file = support::write_int64_file(
        &Path::new(data_dir).join(format!("{table}-rows.arrow")),
        (0..rows as i64).collect(),
    );
    ok(
        cat,
        json!({"op": "commit", "schema": schema, "table": table, "operation": "append",
               "files": [file]}),
    );
}

#[test]
fn two_hundred_tables_in_one_call_with_their_columns_and_row_counts() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    ok(&cat, json!({"op": "create_schema", "schema": "many"}));
    ok(&cat, json!({"op": "create_schema", "schema": "other"}));
    let count = 200;
    for i in 0..count {
        // table i has 1 + i % 4 columns; every 10th has v bigint and i rows
        let cols = if i % 10 == 0 {
            json!([{"name": "v", "type": "bigint"}])
        } else {
            columns(1 + i % 4)
        };
        let created = ok(
            &cat,
            json!({"op": "create_table", "schema": "many", "table": table_name(i), "columns": cols}),
        );
        if i % 10 == 0 && i > 0 {
            let dir = created["table"]["data_dir"].as_str().unwrap().to_string();
            append_rows(&cat, "many", &table_name(i), &dir, i);
        }
    }
    ok(
        &cat,
        json!({"op": "create_table", "schema": "other", "table": "alone", "columns": columns(2)}),
    );

    // a fresh catalog: nothing cached, every record comes from ZooKeeper
    let fresh = open(&zk, wh.path());
    let before = fresh.counters().zookeeper_requests;
    let records = block_on(fresh.table_records(Some("many"))).unwrap();
    let requests = fresh.counters().zookeeper_requests - before;
    assert_eq!(records.len(), count);
    // one listing and one read per record (the session's background watch may add one or two)
    assert!(
        (1 + count as u64..=4 + count as u64).contains(&requests),
        "{requests} ZooKeeper requests"
    );
    for (i, r) in records.iter().enumerate() {
        assert_eq!((r.schema.as_str(), r.name.clone()), ("many", table_name(i)));
        let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
        if i % 10 == 0 {
            assert_eq!(names, ["v"]);
        } else {
            let expected: Vec<String> = (1..=1 + i % 4).map(|c| format!("c{c}")).collect();
            assert_eq!(names, expected, "{}", r.name);
            assert_eq!(r.columns[0].presto_type, "bigint");
        }
    }

    // every schema: sorted by schema, then table
    let all = block_on(fresh.table_records(None)).unwrap();
    assert_eq!(all.len(), count + 1);
    assert_eq!(
        (all[count].schema.as_str(), all[count].name.as_str()),
        ("other", "alone")
    );
    // a schema that does not exist has no tables
    assert!(block_on(fresh.table_records(Some("nowhere")))
        .unwrap()
        .is_empty());

    // describe_tables: get_table's shape, row counts included, for the whole schema at once
    let described = ok(&fresh, json!({"op": "describe_tables", "schema": "many"}));
    let tables = described["tables"].as_array().unwrap();
    assert_eq!(tables.len(), count);
    for (i, t) in tables.iter().enumerate() {
        assert_eq!(t["table"], json!(table_name(i)));
        let rows = if i % 10 == 0 { i } else { 0 };
        assert_eq!(t["row_count"], json!(rows), "{t}");
        let one = ok(
            &fresh,
            json!({"op": "get_table", "schema": "many", "table": table_name(i)}),
        );
        assert_eq!(&one["table"], t, "describe_tables and get_table agree");
    }
    let everything = ok(&fresh, json!({"op": "describe_tables", "schema": null}));
    assert_eq!(everything["tables"].as_array().unwrap().len(), count + 1);
}

#[test]
fn tables_dropped_while_listing_are_left_out() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    ok(&cat, json!({"op": "create_schema", "schema": "s"}));
    for i in 0..60 {
        ok(
            &cat,
            json!({"op": "create_table", "schema": "s", "table": table_name(i), "columns": columns(1)}),
        );
    }
    let lister = open(&zk, wh.path());
    std::thread::scope(|scope| {
        let dropper = scope.spawn(|| {
            for i in (0..60).step_by(2) {
                ok(
                    &cat,
                    json!({"op": "drop_table", "schema": "s", "table": table_name(i)}),
                );
            }
        });
        let mut last = usize::MAX;
        while !dropper.is_finished() {
            let tables = ok(&lister, json!({"op": "describe_tables", "schema": "s"}));
            let n = tables["tables"].as_array().unwrap().len();
            assert!((30..=60).contains(&n), "{n} tables");
            last = n;
        }
        dropper.join().unwrap();
        assert!(last >= 30);
    });
    // the other node hears of the drops through its watch; a fresh one certainly sees them
    let fresh = open(&zk, wh.path());
    let names: Vec<String> = block_on(fresh.table_records(Some("s")))
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    let expected: Vec<String> = (1..60).step_by(2).map(table_name).collect();
    assert_eq!(names, expected);
}

#[test]
fn locks_of_every_table_in_one_call() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path());
    for schema in ["a", "b"] {
        ok(&cat, json!({"op": "create_schema", "schema": schema}));
        for i in 0..20 {
            ok(
                &cat,
                json!({"op": "create_table", "schema": schema, "table": table_name(i), "columns": columns(1)}),
            );
        }
    }
    // another client (a Curator-style lock) holds the locks of a.t00003 and b.t00017
    let client = cat.zk().client();
    let options = || {
        zookeeper_client::LockOptions::new(zookeeper_client::Acls::anyone_all())
            .with_ancestor_options(
                zookeeper_client::CreateMode::Persistent
                    .with_acls(zookeeper_client::Acls::anyone_all()),
            )
            .unwrap()
    };
    let prefix = |s: &str, t: &str| {
        zookeeper_client::LockPrefix::new_curator(
            Box::leak(format!("/zkarrow/bulk/locks/{s}/{t}").into_boxed_str()),
            "lock-",
        )
        .unwrap()
    };
    // the lock clients live (and are dropped) inside the runtime: dropping one deletes its node
    // in the background
    let (first, second) = block_on(async {
        let first = client
            .lock(prefix("a", "t00003"), b"holder-1", options())
            .await;
        let second = client
            .lock(prefix("b", "t00017"), b"holder-2", options())
            .await;
        (first.unwrap(), second.unwrap())
    });
    let locks = std::mem::ManuallyDrop::new((first, second));

    let all = block_on(cat.all_lock_holders(None)).unwrap();
    let held: Vec<(String, String, String)> = all
        .iter()
        .map(|l| (l.schema.clone(), l.table.clone(), l.holder.node.clone()))
        .collect();
    assert_eq!(
        held,
        [
            ("a".into(), "t00003".into(), "holder-1".into()),
            ("b".into(), "t00017".into(), "holder-2".into())
        ]
    );
    let of_b = block_on(cat.all_lock_holders(Some("b"))).unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].table, "t00017");
    let op = ok(&cat, json!({"op": "locks"}));
    assert_eq!(op["locks"].as_array().unwrap().len(), 2, "{op}");
    block_on(async { drop(std::mem::ManuallyDrop::into_inner(locks)) });
}
