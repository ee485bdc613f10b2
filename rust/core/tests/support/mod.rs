//! A real ZooKeeper server for tests: `java -cp <zookeeper jars> ZooKeeperServerMain` on a free
//! loopback port, with its data in a temporary directory, stopped when dropped. The jars come
//! from Maven Central through Gradle (`gradle zookeeperClasspath` writes build/zookeeper.classpath).

#![allow(dead_code)]

pub mod proxy;
pub mod s3;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct ZooKeeperServer {
    child: Child,
    pub port: u16,
    /// The TLS client port (`secureClientPort`) when started with `tls`.
    pub secure_port: Option<u16>,
    /// PEM files made at setup when started with `tls`.
    pub tls: Option<TlsFiles>,
    _dir: tempfile::TempDir,
}

/// How a test server authenticates clients. ACLs are always enforced (ZooKeeper's default).
#[derive(Default, Clone)]
pub struct ServerSecurity {
    /// `authProvider.1=DigestAuthenticationProvider` (digest is built in; this states it).
    pub digest: bool,
    /// SASL DIGEST-MD5 users (`user_<name>="<password>"` in the JAAS `Server` section).
    pub sasl_users: Vec<(String, String)>,
    /// A TLS client port too (NettyServerCnxnFactory), with keys made by `keytool`; clients
    /// may present a certificate (`ssl.clientAuth=want`) that the x509 provider authenticates.
    pub tls: bool,
}

/// PEM files for TLS clients of a test server.
#[derive(Clone)]
pub struct TlsFiles {
    /// The server's self-signed certificate (a trust store for clients).
    pub ca_pem: PathBuf,
    /// A client certificate and its unencrypted key, trusted by the server (`CN=zkarrow-client`).
    pub client_pem: PathBuf,
    /// A certificate that did not sign the server's (a wrong trust store).
    pub other_ca_pem: PathBuf,
}

fn run_tool(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes the server's PKCS12 key and trust stores and the clients' PEM files with `keytool`
/// (and `openssl pkcs12` to take the client's key out of its PKCS12 store).
fn make_tls_files(dir: &std::path::Path) -> TlsFiles {
    let p = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let pass = "zk-test-pass";
    let genkey = |alias: &str, dname: &str, store: &str, san: Option<&str>| {
        let mut args = vec![
            "-genkeypair",
            "-alias",
            alias,
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "2",
            "-dname",
            dname,
            "-storetype",
            "PKCS12",
            "-keystore",
            store,
            "-storepass",
            pass,
            "-keypass",
            pass,
        ];
        if let Some(san) = san {
            args.extend(["-ext", san]);
        }
        run_tool("keytool", &args);
    };
    let export = |alias: &str, store: &str, file: &str| {
        run_tool(
            "keytool",
            &[
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                store,
                "-storepass",
                pass,
                "-file",
                file,
            ],
        );
    };
    let import = |alias: &str, file: &str, store: &str| {
        run_tool(
            "keytool",
            &[
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-file",
                file,
                "-storetype",
                "PKCS12",
                "-keystore",
                store,
                "-storepass",
                pass,
            ],
        );
    };
    genkey(
        "server",
        "CN=localhost",
        &p("server.p12"),
        Some("SAN=ip:127.0.0.1,dns:localhost"),
    );
    export("server", &p("server.p12"), &p("ca.pem"));
    genkey("client", "CN=zkarrow-client", &p("client.p12"), None);
    export("client", &p("client.p12"), &p("client-cert.pem"));
    import("client", &p("client-cert.pem"), &p("trust.p12"));
    import("server", &p("ca.pem"), &p("trust.p12"));
    run_tool(
        "openssl",
        &[
            "pkcs12",
            "-in",
            &p("client.p12"),
            "-nodes",
            "-passin",
            &format!("pass:{pass}"),
            "-out",
            &p("client.pem"),
        ],
    );
    genkey(
        "other",
        "CN=localhost",
        &p("other.p12"),
        Some("SAN=ip:127.0.0.1"),
    );
    export("other", &p("other.p12"), &p("other-ca.pem"));
    TlsFiles {
        ca_pem: dir.join("ca.pem"),
        client_pem: dir.join("client.pem"),
        other_ca_pem: dir.join("other-ca.pem"),
    }
}

fn classpath() -> String {
    if let Ok(cp) = std::env::var("ZKARROW_ZK_CLASSPATH") {
        return cp;
    }
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../build/zookeeper.classpath");
    std::fs::read_to_string(&file)
        .unwrap_or_else(|e| {
            panic!(
                "no ZooKeeper classpath at {} ({e}): run `gradle zookeeperClasspath` first (the README's test command does)",
                file.display()
            )
        })
        .trim()
        .to_string()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn answers_ruok(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
    if s.write_all(b"ruok").is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply == "imok"
}

impl ZooKeeperServer {
    pub fn start() -> Self {
        Self::start_with(ServerSecurity::default())
    }

    /// A server that authenticates clients as `security` says.
    pub fn start_with(security: ServerSecurity) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut cfg_text = format!(
            "tickTime=500\ndataDir={}\nclientPort={port}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok,srvr,mntr\nmaxSessionTimeout=60000\n",
            dir.path().join("data").display()
        );
        if security.digest {
            cfg_text.push_str(
                "authProvider.1=org.apache.zookeeper.server.auth.DigestAuthenticationProvider\n",
            );
        }
        let mut jvm_args = Vec::new();
        if !security.sasl_users.is_empty() {
            cfg_text.push_str(
                "authProvider.2=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n",
            );
            let users: String = security
                .sasl_users
                .iter()
                .map(|(u, pw)| format!("  user_{u}=\"{pw}\"\n"))
                .collect();
            let jaas = dir.path().join("jaas.conf");
            std::fs::write(
                &jaas,
                format!("Server {{\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n{users};\n}};\n"),
            )
            .unwrap();
            jvm_args.push(format!(
                "-Djava.security.auth.login.config={}",
                jaas.display()
            ));
        }
        let (mut secure_port, mut tls) = (None, None);
        if security.tls {
            let files = make_tls_files(dir.path());
            let sp = free_port();
            let store = |name: &str| dir.path().join(name).display().to_string();
            cfg_text.push_str(&format!(
                "secureClientPort={sp}\nsecureClientPortAddress=127.0.0.1\nserverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory\nauthProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider\nssl.keyStore.location={}\nssl.keyStore.password=zk-test-pass\nssl.keyStore.type=PKCS12\nssl.trustStore.location={}\nssl.trustStore.password=zk-test-pass\nssl.trustStore.type=PKCS12\nssl.clientAuth=want\n",
                store("server.p12"),
                store("trust.p12")
            ));
            secure_port = Some(sp);
            tls = Some(files);
        }
        let cfg = dir.path().join("zoo.cfg");
        std::fs::write(&cfg, cfg_text).unwrap();
        std::fs::write(dir.path().join("jvm.args"), jvm_args.join("\n")).unwrap();
        let child = Self::spawn(&cfg);
        let mut server = ZooKeeperServer {
            child,
            port,
            secure_port,
            tls,
            _dir: dir,
        };
        server.wait_until_serving();
        server
    }

    fn spawn(cfg: &std::path::Path) -> Child {
        let jvm_args = std::fs::read_to_string(cfg.with_file_name("jvm.args")).unwrap_or_default();
        Command::new("java")
            .arg("-Xmx256m")
            .args(jvm_args.lines().filter(|l| !l.is_empty()))
            .args([
                "-cp",
                &classpath(),
                "org.apache.zookeeper.server.ZooKeeperServerMain",
            ])
            .arg(cfg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start java for ZooKeeper")
    }

    fn wait_until_serving(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !answers_ruok(self.port) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("ZooKeeper exited early with {status}");
            }
            assert!(
                Instant::now() < deadline,
                "ZooKeeper did not start on port {} within 60s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the server and starts it again on the same port and data: clients lose their
    /// connection and get it back with their sessions, as after a network blip.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = Self::spawn(&self._dir.path().join("zoo.cfg"));
        self.wait_until_serving();
    }

    pub fn connect_string(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The TLS port's connect string (servers started with `tls` only).
    pub fn secure_connect_string(&self) -> String {
        format!(
            "127.0.0.1:{}",
            self.secure_port.expect("started without tls")
        )
    }
}

impl Drop for ZooKeeperServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A catalog on `root` of `zk`, with `extra` config fields (e.g. `{"session_timeout_ms": 4000}`).
pub fn open_catalog(
    zk: &ZooKeeperServer,
    root: &str,
    warehouse: &std::path::Path,
    extra: serde_json::Value,
) -> zkarrow_core::catalog::Catalog {
    // a generous connect timeout: on a loaded 2-core machine a just-started ZooKeeper JVM may take
    // more than the default 10s to establish the first session (seen in CI)
    let mut config = serde_json::json!({
        "connect": zk.connect_string(), "root": root, "warehouse": warehouse,
        "connect_timeout_ms": 60_000
    });
    if let (Some(base), Some(more)) = (config.as_object_mut(), extra.as_object()) {
        base.extend(more.clone());
    }
    let config = zkarrow_core::config::CatalogConfig::from_json(&config.to_string()).unwrap();
    zkarrow_core::runtime::block_on(zkarrow_core::catalog::Catalog::open(config)).unwrap()
}

/// Writes an Arrow IPC file with one nullable int64 column `v` and describes it as a data file.
pub fn write_int64_file(
    path: &std::path::Path,
    values: Vec<i64>,
) -> zkarrow_core::storage::records::DataFile {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, Int64Array, RecordBatch};
    use arrow::datatypes::{DataType, Field, Schema};

    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let schema = Arc::new(Schema::new(vec![Field::new("v", DataType::Int64, true)]));
    let mut w =
        arrow::ipc::writer::FileWriter::try_new(std::fs::File::create(path).unwrap(), &schema)
            .unwrap();
    let column: ArrayRef = Arc::new(Int64Array::from(values));
    w.write(&RecordBatch::try_new(schema, vec![column]).unwrap())
        .unwrap();
    w.finish().unwrap();
    zkarrow_core::storage::arrow_file::describe(path).unwrap().1
}

/// The file names of `paths`, in order.
pub fn file_names(paths: &[String]) -> Vec<String> {
    paths
        .iter()
        .map(|f| {
            std::path::Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect()
}

/// What a scan asks for to read every column of `table` as it is now.
pub fn scan_columns(
    table: &zkarrow_core::storage::records::TableRecord,
) -> Vec<zkarrow_core::protocol::scan::ScanColumn> {
    table
        .columns
        .iter()
        .map(|c| zkarrow_core::protocol::scan::ScanColumn {
            name: c.name.clone(),
            presto_type: c.presto_type.clone(),
            id: Some(c.id),
            file_name: c.file_name.clone(),
        })
        .collect()
}

/// The values of bigint column `column` that scans of `splits` read, in split order.
pub fn read_int64(
    splits: &[zkarrow_core::plan::splits::Split],
    column: &str,
) -> zkarrow_core::Result<Vec<i64>> {
    use arrow::array::Int64Array;
    use zkarrow_core::protocol::scan::{Scan, ScanColumn, ScanRequest};

    let mut values = Vec::new();
    for split in splits {
        let mut scan = Scan::open(&ScanRequest {
            path: split.path.clone(),
            batch_start: split.batch_start,
            batch_end: split.batch_end,
            columns: vec![ScanColumn {
                name: column.into(),
                presto_type: "bigint".into(),
                id: None,
                file_name: None,
            }],
            debug_panic: false,
        })?;
        while let Some(batch) = scan.next_batch()? {
            let array = batch.column(0).as_any().downcast_ref::<Int64Array>();
            values.extend(array.expect("a bigint column").values().iter().copied());
        }
    }
    Ok(values)
}

/// Commits `files` to `schema.table` as query `query` would (no base snapshot, a 10 s lock wait);
/// the new snapshot's id.
pub fn commit_files(
    cat: &zkarrow_core::catalog::Catalog,
    (schema, table): (&str, &str),
    operation: zkarrow_core::catalog::commit::Operation,
    files: Vec<zkarrow_core::storage::records::DataFile>,
    query: &str,
) -> i64 {
    zkarrow_core::runtime::block_on(cat.commit(zkarrow_core::catalog::commit::CommitRequest {
        schema: schema.into(),
        table: table.into(),
        operation,
        files,
        removed_files: Vec::new(),
        base_snapshot_id: None,
        table_id: None,
        holder: zkarrow_core::zk::lock::LockHolder {
            node: "test".into(),
            query_id: Some(query.into()),
            since_ms: 0,
        },
        lock_timeout: std::time::Duration::from_secs(10),
    }))
    .unwrap()
    .snapshot_id
}
