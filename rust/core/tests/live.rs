//! Membership, live settings and the metadata cache against a real ZooKeeper server.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use support::ZooKeeperServer;
use zkarrow_core::catalog::ddl::ColumnSpec;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::runtime::block_on;
use zkarrow_core::zk::membership::NodeInfo;
use zkarrow_core::ErrorCode;

fn open(
    zk: &ZooKeeperServer,
    warehouse: &Path,
    node: Option<&str>,
    settings: &[(&str, &str)],
) -> Catalog {
    let node = node.map(|id| NodeInfo {
        node_id: id.into(),
        host: "127.0.0.1".into(),
        http_address: format!("127.0.0.1:{}", 8000 + id.len()),
        presto_version: "test".into(),
        zkarrow_version: "test".into(),
        started_at_ms: 1,
        coordinator: false,
    });
    let settings: BTreeMap<String, String> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    support::open_catalog(
        zk,
        "/zkarrow/live",
        warehouse,
        serde_json::json!({ "settings": settings, "node": node }),
    )
}

fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(1);
    while !check() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn node_ids(c: &Catalog) -> Vec<String> {
    let mut ids: Vec<String> = block_on(c.nodes())
        .unwrap()
        .into_iter()
        .map(|n| n.node_id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn nodes_register_while_open_and_leave_on_close() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let a = open(&zk, wh.path(), Some("worker-a"), &[]);
    let b = open(&zk, wh.path(), Some("worker-b"), &[]);
    eventually("both nodes listed", || {
        node_ids(&a) == vec!["worker-a", "worker-b"]
    });
    let nodes = block_on(a.nodes()).unwrap();
    assert!(nodes
        .iter()
        .all(|n| n.presto_version == "test" && n.http_address.starts_with("127.0.0.1:")));
    block_on(b.close());
    drop(b);
    eventually("the closed node leaves", || {
        node_ids(&a) == vec!["worker-a"]
    });
    // An operator deleting a live node's znode by mistake: the node puts it back.
    block_on(a.zk().delete("/zkarrow/live/nodes/worker-a", None))
        .unwrap()
        .unwrap();
    eventually("re-registration", || node_ids(&a) == vec!["worker-a"]);
}

#[test]
fn a_setting_changed_on_one_node_applies_on_every_node_and_bad_values_are_refused() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let a = open(&zk, wh.path(), None, &[("split_target_size", "8MB")]);
    let b = open(&zk, wh.path(), None, &[]);
    assert_eq!(a.settings().split_target_bytes, 8 << 20);
    let rows = a.config_rows().unwrap();
    assert_eq!(
        rows.iter()
            .find(|r| r.key == "split_target_size")
            .unwrap()
            .source,
        "catalog"
    );

    block_on(a.set_config("read_only", "true")).unwrap();
    eventually("read_only on the other node", || b.settings().read_only);
    let e = block_on(b.create_schema("s")).err();
    assert!(
        e.is_none(),
        "catalog methods themselves do not check; the API does"
    );
    let request = r#"{"op":"create_schema","schema":"t"}"#;
    let e = zkarrow_core::protocol::handle_json(&b, request).unwrap_err();
    assert_eq!(e.code, ErrorCode::ReadOnly, "{e}");
    assert!(
        e.message.contains("set_config('read_only', 'false')"),
        "{e}"
    );

    for (key, value) in [
        ("read_only", "perhaps"),
        ("lock_wait_timeout", "forever"),
        ("colour", "red"),
    ] {
        let before = block_on(a.zk().get_raw("/zkarrow/live/config"))
            .unwrap()
            .unwrap();
        assert_eq!(
            block_on(a.set_config(key, value)).unwrap_err().code,
            ErrorCode::InvalidArgument
        );
        let after = block_on(a.zk().get_raw("/zkarrow/live/config"))
            .unwrap()
            .unwrap();
        assert_eq!(
            before.1.version, after.1.version,
            "a refused value writes nothing"
        );
    }
    block_on(b.set_config("read_only", "false")).unwrap();
    eventually("read_only off on the first node", || {
        !a.settings().read_only
    });
    let source = a
        .config_rows()
        .unwrap()
        .into_iter()
        .find(|r| r.key == "read_only")
        .unwrap()
        .source;
    assert_eq!(source, "zookeeper");
}

#[test]
fn cached_tables_cost_no_zookeeper_request_and_ddl_elsewhere_invalidates_them() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let a = open(&zk, wh.path(), None, &[]);
    let b = open(&zk, wh.path(), None, &[]);
    block_on(a.create_schema("s")).unwrap();
    let spec = vec![ColumnSpec {
        name: "x".into(),
        presto_type: "bigint".into(),
        id: None,
    }];
    block_on(a.create_table("s", "t", &spec, &BTreeMap::new())).unwrap();

    // the creates' watch events reach b a little later (each re-arms a watch: a request, and an
    // invalidation): wait until a read is served from the cache before counting
    served_from_cache(&b, "s", "t");
    let before = b.counters().zookeeper_requests;
    for _ in 0..10 {
        assert!(block_on(b.get_table("s", "t")).unwrap().is_some());
    }
    assert_eq!(
        b.counters().zookeeper_requests,
        before,
        "cached reads send no request"
    );
    assert!(b.counters().cache_hits >= 10);

    block_on(a.rename_table("s", "t", "s", "u", Default::default())).unwrap();
    eventually("invalidation on the other node", || {
        block_on(b.get_table("s", "t")).unwrap().is_none()
    });
    assert!(block_on(b.get_table("s", "u")).unwrap().is_some());
}

#[test]
fn two_catalogs_of_one_server_on_one_root_share_its_registration() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let first = open(&zk, wh.path(), Some("server-1"), &[]);
    let second = open(&zk, wh.path(), Some("server-1"), &[]);
    let registered = || {
        block_on(first.zk().get_raw("/zkarrow/live/nodes/server-1"))
            .unwrap()
            .map(|(_, s)| s.czxid)
    };
    let created = registered().expect("registered");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        registered(),
        Some(created),
        "the two catalogs do not replace each other's node"
    );
    block_on(second.close());
    drop(second);
    eventually("the remaining catalog registers again", || {
        registered().is_some()
    });
}

#[test]
fn the_cache_is_revalidated_after_a_reconnect() {
    let mut zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(&zk, wh.path(), None, &[]);
    block_on(cat.create_schema("s")).unwrap();
    let spec = vec![ColumnSpec {
        name: "x".into(),
        presto_type: "bigint".into(),
        id: None,
    }];
    block_on(cat.create_table("s", "t", &spec, &BTreeMap::new())).unwrap();
    served_from_cache(&cat, "s", "t");

    // Watch events may be lost while disconnected: after the reconnect the entry must be read again.
    zk.restart();
    eventually_within(
        Duration::from_secs(20),
        "a fresh read after the reconnect",
        || {
            let misses = cat.counters().cache_misses;
            block_on(cat.get_table("s", "t"))
                .map(|t| t.is_some())
                .unwrap_or(false)
                && cat.counters().cache_misses > misses
        },
    );
}

/// Waits until a read of the table sends no ZooKeeper request: the watch events of the test's own
/// creates arrive a little after them and each re-arms a watch, so one cached read proves nothing
/// until they have settled. Fails when reads never come from the cache.
fn served_from_cache(cat: &Catalog, schema: &str, table: &str) {
    eventually_within(
        Duration::from_secs(10),
        "a read served from the cache",
        || {
            assert!(block_on(cat.get_table(schema, table)).unwrap().is_some());
            std::thread::sleep(Duration::from_millis(300));
            let before = cat.counters().zookeeper_requests;
            assert!(block_on(cat.get_table(schema, table)).unwrap().is_some());
            cat.counters().zookeeper_requests == before
        },
    );
}

fn eventually_within(limit: Duration, what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
