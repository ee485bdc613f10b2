//! ZooKeeper security against a real ZooKeeper 3.9: digest credentials, ACLs on every znode
//! zkarrow creates, SASL DIGEST-MD5 and TLS (keys made by keytool at setup).

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{ServerSecurity, ZooKeeperServer};
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::ColumnSpec;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::config::CatalogConfig;
use zkarrow_core::runtime::block_on;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::ErrorCode;
use zookeeper_client as zk;

const ROOT: &str = "/zkarrow/sec";
const ALICE: &str = "digest:alice:alice-secret";

fn config(connect: &str, warehouse: &Path, extra: serde_json::Value) -> CatalogConfig {
    let mut config = serde_json::json!({
        "connect": connect,
        "root": ROOT,
        "warehouse": warehouse,
        "connect_timeout_ms": 3000,
    });
    config
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    CatalogConfig::from_json(&config.to_string()).unwrap()
}

fn open(connect: &str, warehouse: &Path, extra: serde_json::Value) -> Catalog {
    block_on(Catalog::open(config(connect, warehouse, extra))).unwrap()
}

fn open_err(connect: &str, warehouse: &Path, extra: serde_json::Value) -> zkarrow_core::Error {
    match block_on(Catalog::open(config(connect, warehouse, extra))) {
        Ok(_) => panic!("the catalog opened"),
        Err(e) => e,
    }
}

/// A client without credentials.
fn anonymous(connect: &str) -> zk::Client {
    block_on(
        zk::Client::connector()
            .with_session_timeout(Duration::from_secs(10))
            .connect(connect),
    )
    .unwrap()
}

fn append(cat: &Catalog, wh: &Path, name: &str) -> zkarrow_core::Result<()> {
    let file = support::write_int64_file(&wh.join(name), vec![7]);
    let request = CommitRequest {
        schema: "s".into(),
        table: "t".into(),
        operation: Operation::Append,
        files: vec![file],
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id: None,
        holder: LockHolder {
            node: "test".into(),
            query_id: Some(format!("q-{name}")),
            since_ms: 0,
        },
        lock_timeout: Duration::from_secs(10),
    };
    block_on(cat.commit(request)).map(|_| ())
}

/// Schema `s`, a registered table `t` with one append, a created table `made`, a live setting.
fn populate(cat: &Catalog, wh: &Path) {
    block_on(cat.create_schema("s")).unwrap();
    let first = wh.join("first.arrow");
    support::write_int64_file(&first, vec![1]);
    block_on(cat.register_table("s", "t", first.to_str().unwrap())).unwrap();
    append(cat, wh, "second.arrow").unwrap();
    let columns = [ColumnSpec {
        name: "v".into(),
        presto_type: "bigint".into(),
        id: None,
    }];
    block_on(cat.create_table("s", "made", &columns, &Default::default())).unwrap();
    block_on(cat.set_config("lock_wait_timeout", "30s")).unwrap();
    block_on(cat.begin_write("s", "made", "q-open")).unwrap();
}

/// Every znode zkarrow made while populating (the lock's parent directory included).
fn created_znodes() -> Vec<String> {
    let mut paths = vec!["/zkarrow".to_string(), ROOT.to_string()];
    for rel in [
        "config",
        "schemas",
        "schemas/s",
        "schemas/s/t",
        "schemas/s/made",
        "locks",
        "locks/s",
        "locks/s/t",
        "nodes",
        "locations",
        "writes",
    ] {
        paths.push(format!("{ROOT}/{rel}"));
    }
    paths
}

fn acl_summary(acls: &[zk::Acl]) -> Vec<(String, String, zk::Permission)> {
    let mut out: Vec<_> = acls
        .iter()
        .map(|a| (a.scheme().to_string(), a.id().to_string(), a.permission()))
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

/// The ACL `creator-all-world-read` gives: all to the creator's `scheme` identity (an id that
/// starts with `id_prefix`), read to anyone.
fn assert_creator_all_world_read(raw: &zk::Client, path: &str, scheme: &str, id_prefix: &str) {
    let (acls, _) = block_on(raw.get_acl(path)).unwrap();
    let acls = acl_summary(&acls);
    assert_eq!(acls.len(), 2, "{path}: {acls:?}");
    let creator = acls.iter().find(|a| a.0 == scheme).unwrap_or_else(|| {
        panic!("{path}: no {scheme} entry in {acls:?}");
    });
    assert!(creator.1.starts_with(id_prefix), "{path}: {acls:?}");
    assert_eq!(creator.2, zk::Permission::ALL, "{path}: {acls:?}");
    assert!(
        acls.contains(&(
            "world".to_string(),
            "anyone".to_string(),
            zk::Permission::READ
        )),
        "{path}: {acls:?}"
    );
}

fn assert_anonymous_cannot_write(raw: &zk::Client, path: &str) {
    block_on(raw.get_data(path)).unwrap_or_else(|e| panic!("anyone may read {path}: {e}"));
    assert_eq!(
        block_on(raw.set_data(path, b"{\"location\":\"/evil\"}", None)).unwrap_err(),
        zk::Error::NoAuth,
        "set_data of {path}"
    );
    let child = format!("{path}/evil");
    let options = zk::CreateMode::Persistent.with_acls(zk::Acls::anyone_all());
    assert_eq!(
        block_on(raw.create(&child, b"", &options)).unwrap_err(),
        zk::Error::NoAuth,
        "create under {path}"
    );
    assert_eq!(
        block_on(raw.set_acl(path, &zk::Acls::anyone_all(), None)).unwrap_err(),
        zk::Error::NoAuth,
        "set_acl of {path}"
    );
}

fn assert_names_property_without_secret(e: &zkarrow_core::Error, property: &str, secret: &str) {
    assert!(e.message.contains(property), "{e}");
    assert!(!e.message.contains(secret), "the secret leaked: {e}");
}

/// A digest-auth server and a populated catalog of alice's.
fn alice_catalog() -> (ZooKeeperServer, tempfile::TempDir, Catalog) {
    let server = ZooKeeperServer::start_with(ServerSecurity {
        digest: true,
        ..Default::default()
    });
    let wh = tempfile::tempdir().unwrap();
    let cat = open(
        &server.connect_string(),
        wh.path(),
        serde_json::json!({ "zookeeper_auth": ALICE }),
    );
    populate(&cat, wh.path());
    (server, wh, cat)
}

#[test]
fn digest_auth_protects_every_znode_zkarrow_creates() {
    let (server, wh, cat) = alice_catalog();

    let raw = anonymous(&server.connect_string());
    for path in created_znodes() {
        assert_creator_all_world_read(&raw, &path, "digest", "alice:");
        assert_anonymous_cannot_write(&raw, &path);
    }
    // the ephemeral marker of a write in flight too
    let made = block_on(cat.require_table("s", "made")).unwrap();
    let open_write = format!("{ROOT}/writes/{}/q-open", made.id);
    assert_creator_all_world_read(&raw, &open_write, "digest", "alice:");
    // Nor delete: a leaf (the table record) and the lock directory's child slot.
    for path in [
        format!("{ROOT}/schemas/s/t"),
        format!("{ROOT}/schemas/s/made"),
        format!("{ROOT}/config"),
        format!("{ROOT}/locks/s/t"),
    ] {
        assert_eq!(
            block_on(raw.delete(&path, None)).unwrap_err(),
            zk::Error::NoAuth,
            "delete of {path}"
        );
    }
    // Another node with the same credentials shares the identity: it can commit.
    let other = open(
        &server.connect_string(),
        wh.path(),
        serde_json::json!({ "zookeeper_auth": ALICE }),
    );
    let before = block_on(other.require_table("s", "t")).unwrap();
    append(&other, wh.path(), "third.arrow").unwrap();
    assert_ne!(block_on(other.require_table("s", "t")).unwrap(), before);
}

#[test]
fn other_credentials_cannot_change_what_alice_created() {
    let (server, wh, cat) = alice_catalog();
    let before = block_on(cat.require_table("s", "t")).unwrap();

    // Alice's user name with a wrong password is another identity: it opens the catalog
    // (everything is world-readable) but changes nothing.
    let wrong = "digest:alice:wrong-password";
    let mallory = open(
        &server.connect_string(),
        wh.path(),
        serde_json::json!({ "zookeeper_auth": wrong }),
    );
    assert_eq!(block_on(mallory.require_table("s", "t")).unwrap(), before);
    let e = block_on(mallory.create_schema("evil")).unwrap_err();
    assert_eq!(e.code, ErrorCode::ZookeeperError, "{e}");
    assert_names_property_without_secret(&e, "zkarrow.zookeeper.auth", "wrong-password");
    let e = append(&mallory, wh.path(), "evil.arrow").unwrap_err();
    assert_names_property_without_secret(&e, "zkarrow.zookeeper.auth", "wrong-password");
    let e = block_on(mallory.set_config("read_only", "true")).unwrap_err();
    assert_names_property_without_secret(&e, "zkarrow.zookeeper.auth", "wrong-password");
    let holder = LockHolder {
        node: "mallory".into(),
        query_id: None,
        since_ms: 0,
    };
    block_on(mallory.drop_table("s", "made", holder)).unwrap_err();
    drop(mallory);
    block_on(cat.zk().sync(ROOT)).unwrap();
    assert!(block_on(cat.get_table("s", "made")).unwrap().is_some());
    assert!(!block_on(cat.schema_exists("evil")).unwrap());
    let raw = anonymous(&server.connect_string());
    let (config, _) = block_on(raw.get_data(&format!("{ROOT}/config"))).unwrap();
    assert!(!String::from_utf8_lossy(&config).contains("read_only"));
    // Alice still commits.
    append(&cat, wh.path(), "after.arrow").unwrap();

    // A scheme the server does not know: ZooKeeper refuses the session.
    let e = open_err(
        &server.connect_string(),
        wh.path(),
        serde_json::json!({ "zookeeper_auth": "nosuchscheme:top-secret" }),
    );
    assert_eq!(e.code, ErrorCode::ZookeeperError, "{e}");
    assert_names_property_without_secret(&e, "zkarrow.zookeeper.auth", "top-secret");
}

#[test]
fn a_renewed_session_authenticates_again() {
    let server = ZooKeeperServer::start_with(ServerSecurity {
        digest: true,
        ..Default::default()
    });
    let wh = tempfile::tempdir().unwrap();
    let cat = open(
        &server.connect_string(),
        wh.path(),
        serde_json::json!({ "zookeeper_auth": ALICE }),
    );
    block_on(cat.create_schema("before")).unwrap();
    // End the catalog's session from outside, as an expiry does.
    let old = cat.zk().client().session_id();
    // a twin connection on the same session takes it over (retried: a loaded machine can be slow)
    let mut thief = None;
    for _ in 0..5 {
        let attempt = block_on(
            zk::Client::connector()
                .with_session(cat.zk().client().session().clone())
                .with_connection_timeout(Duration::from_secs(10))
                .connect(&server.connect_string()),
        );
        if let Ok(client) = attempt {
            thief = Some(client);
            break;
        }
    }
    drop(thief.expect("a twin connection on the catalog's session"));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match block_on(cat.zk().client().get_data(ROOT)) {
            Err(zk::Error::SessionExpired) | Err(zk::Error::ClientClosed) => break,
            _ if Instant::now() > deadline => panic!("the session did not end"),
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    block_on(cat.create_schema("after")).unwrap();
    assert_ne!(
        cat.zk().client().session_id(),
        old,
        "the session was renewed"
    );
    let raw = anonymous(&server.connect_string());
    assert_creator_all_world_read(&raw, &format!("{ROOT}/schemas/after"), "digest", "alice:");
}

#[test]
fn sasl_digest_md5_identity_owns_the_znodes() {
    let server = ZooKeeperServer::start_with(ServerSecurity {
        sasl_users: vec![("bob".into(), "bob-secret".into())],
        ..Default::default()
    });
    let wh = tempfile::tempdir().unwrap();
    let sasl = |password: &str| {
        serde_json::json!({
            "zookeeper_sasl_username": "bob",
            "zookeeper_sasl_password": password,
        })
    };
    let cat = open(&server.connect_string(), wh.path(), sasl("bob-secret"));
    populate(&cat, wh.path());
    let raw = anonymous(&server.connect_string());
    for path in created_znodes() {
        assert_creator_all_world_read(&raw, &path, "sasl", "bob");
        assert_anonymous_cannot_write(&raw, &path);
    }
    let e = open_err(&server.connect_string(), wh.path(), sasl("not-bobs"));
    assert_eq!(e.code, ErrorCode::ZookeeperError, "{e}");
    assert_names_property_without_secret(&e, "zkarrow.zookeeper.sasl", "not-bobs");
}

#[test]
fn tls_connects_with_the_trust_store_and_fails_clearly_without_it() {
    let server = ZooKeeperServer::start_with(ServerSecurity {
        digest: true,
        tls: true,
        ..Default::default()
    });
    let files = server.tls.clone().unwrap();
    let secure = server.secure_connect_string();
    let wh = tempfile::tempdir().unwrap();
    let tls = |trust: &Path| {
        serde_json::json!({
            "zookeeper_tls_enabled": true,
            "zookeeper_tls_trust_store": trust,
            "zookeeper_auth": ALICE,
        })
    };
    let cat = open(&secure, wh.path(), tls(&files.ca_pem));
    populate(&cat, wh.path());
    assert_creator_all_world_read(
        &anonymous(&server.connect_string()),
        &format!("{ROOT}/schemas/s/t"),
        "digest",
        "alice:",
    );

    // Plaintext to the TLS port: a clear error within the connect timeout, no hang.
    let started = Instant::now();
    let e = open_err(
        &secure,
        wh.path(),
        serde_json::json!({ "zookeeper_auth": ALICE }),
    );
    assert_eq!(e.code, ErrorCode::ZookeeperUnavailable, "{e}");
    assert!(e.message.contains("zkarrow.zookeeper.tls"), "{e}");
    assert!(!e.message.contains("alice-secret"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(15), "{e}");

    // A trust store that did not sign the server's certificate.
    let started = Instant::now();
    let e = open_err(&secure, wh.path(), tls(&files.other_ca_pem));
    assert_eq!(e.code, ErrorCode::ZookeeperUnavailable, "{e}");
    assert!(started.elapsed() < Duration::from_secs(15), "{e}");

    // A PKCS12 store instead of PEM: refused before connecting, naming the property.
    let p12 = files.ca_pem.with_file_name("trust.p12");
    let e = open_err(&secure, wh.path(), tls(&p12));
    assert_eq!(e.code, ErrorCode::InvalidConfig, "{e}");
    assert!(
        e.message.contains("zkarrow.zookeeper.tls.trust-store") && e.message.contains("PEM"),
        "{e}"
    );
}

#[test]
fn tls_client_certificate_is_an_identity() {
    let server = ZooKeeperServer::start_with(ServerSecurity {
        tls: true,
        ..Default::default()
    });
    let files = server.tls.clone().unwrap();
    let wh = tempfile::tempdir().unwrap();
    let cat = open(
        &server.secure_connect_string(),
        wh.path(),
        serde_json::json!({
            "zookeeper_tls_enabled": true,
            "zookeeper_tls_trust_store": files.ca_pem,
            "zookeeper_tls_key_store": files.client_pem,
            "zookeeper_acl": "creator-all-world-read",
        }),
    );
    block_on(cat.create_schema("s")).unwrap();
    let raw = anonymous(&server.connect_string());
    let path = format!("{ROOT}/schemas/s");
    assert_creator_all_world_read(&raw, &path, "x509", "CN=zkarrow-client");
    assert_anonymous_cannot_write(&raw, &path);
}
