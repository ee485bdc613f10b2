//! A writer that loses its table lock (a session expiry deletes the ephemeral lock node) cannot commit. This file
//! is its own test binary because it turns on a process-wide fault injection.

mod support;

use std::path::Path;
use std::time::Duration;

use support::ZooKeeperServer;
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::ColumnSpec;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::runtime::block_on;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;

fn open(zk: &ZooKeeperServer, warehouse: &Path) -> Catalog {
    support::open_catalog(
        zk,
        "/zkarrow/fence",
        warehouse,
        serde_json::json!({ "session_timeout_ms": 4000 }),
    )
}

#[test]
fn a_writer_whose_lock_node_vanishes_while_it_commits_is_fenced() {
    let zk = ZooKeeperServer::start();
    let wh = tempfile::tempdir().unwrap();
    let writer = open(&zk, wh.path());
    let observer = open(&zk, wh.path());
    block_on(writer.create_schema("s")).unwrap();
    let spec = vec![ColumnSpec {
        name: "v".into(),
        presto_type: "bigint".into(),
        id: None,
    }];
    let table = block_on(writer.create_table("s", "t", &spec, &Default::default())).unwrap();

    // The commit holds the lock for 5 s before it moves the record; meanwhile its lock node goes,
    // as when its session expires.
    std::env::set_var("ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS", "5000");
    let connect = zk.connect_string();
    let metadata_dir = std::path::PathBuf::from(&table.metadata_location);
    let killer = std::thread::spawn(move || {
        block_on(async {
            let probe = zookeeper_client::Client::connect(&connect).await.unwrap();
            let lock_taken = || async {
                probe
                    .list_children("/zkarrow/fence/locks/s/t")
                    .await
                    .map(|c| !c.is_empty())
                    .unwrap_or(false)
            };
            // Strike once the commit holds the lock and has written its manifest.
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            loop {
                let manifest = std::fs::read_dir(&metadata_dir)
                    .map(|files| {
                        files
                            .flatten()
                            .any(|f| f.file_name().to_string_lossy().starts_with("snap-2-"))
                    })
                    .unwrap_or(false);
                if manifest && lock_taken().await {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "the commit never reached its pause"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            // What the server does when the holder's session expires: its ephemeral lock node goes.
            // (Closing the session from a twin connection is not reliable: the writer's own client
            // keeps winning the session back.)
            for child in probe
                .list_children("/zkarrow/fence/locks/s/t")
                .await
                .unwrap()
            {
                probe
                    .delete(&format!("/zkarrow/fence/locks/s/t/{child}"), None)
                    .await
                    .unwrap();
            }
        });
    });
    let outcome = block_on(writer.commit(CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation: Operation::Append,
        files: Vec::new(),
        removed_files: Vec::new(),
        base_snapshot_id: Some(1),
        table_id: None,
        holder: LockHolder {
            node: "doomed".into(),
            query_id: None,
            since_ms: 0,
        },
        lock_timeout: Duration::from_secs(5),
    }));
    killer.join().unwrap();
    std::env::remove_var("ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS");

    let e = outcome.expect_err("a fenced writer must not commit");
    assert!(
        matches!(
            e.code,
            ErrorCode::CommitFenced | ErrorCode::ZookeeperError | ErrorCode::ZookeeperUnavailable
        ),
        "{e}"
    );
    let now = block_on(observer.get_table("s", "t")).unwrap().unwrap();
    assert_eq!(
        now.current_snapshot_id, 1,
        "the table stays at its last good snapshot"
    );
    assert_eq!(now.current_manifest, table.current_manifest);
    assert!(
        block_on(observer.lock_holders("s", "t"))
            .unwrap()
            .is_empty(),
        "the expired session's lock node is gone"
    );
    // The writer's catalog renews its session and commits normally afterwards.
    let ok = block_on(writer.commit(CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation: Operation::Append,
        files: Vec::new(),
        removed_files: Vec::new(),
        base_snapshot_id: Some(1),
        table_id: None,
        holder: LockHolder::default(),
        lock_timeout: Duration::from_secs(5),
    }))
    .unwrap();
    assert_eq!(ok.snapshot_id, 2);
}
