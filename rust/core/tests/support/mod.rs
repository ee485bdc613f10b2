//! A real ZooKeeper server for tests: `java -cp <zookeeper jars> ZooKeeperServerMain` on a free
//! loopback port, with its data in a temporary directory, stopped when dropped. The jars come
//! from Maven Central through Gradle (`gradle zookeeperClasspath` writes build/zookeeper.classpath).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct ZooKeeperServer {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
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
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let cfg = dir.path().join("zoo.cfg");
        std::fs::write(
            &cfg,
            format!(
                "tickTime=500\ndataDir={}\nclientPort={port}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok,srvr,mntr\nmaxSessionTimeout=60000\n",
                dir.path().join("data").display()
            ),
        )
        .unwrap();
        let child = Self::spawn(&cfg);
        let mut server = ZooKeeperServer {
            child,
            port,
            _dir: dir,
        };
        server.wait_until_serving();
        server
    }

    fn spawn(cfg: &std::path::Path) -> Child {
        Command::new("java")
            .args([
                "-Xmx256m",
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
    let mut config =
        serde_json::json!({ "connect": zk.connect_string(), "root": root, "warehouse": warehouse });
    if let (Some(base), Some(more)) = (config.as_object_mut(), extra.as_object()) {
        base.extend(more.clone());
    }
    let config = zkarrow_core::config::CatalogConfig::from_json(&config.to_string()).unwrap();
    zkarrow_core::runtime::block_on(zkarrow_core::catalog::Catalog::open(config)).unwrap()
}

/// Writes an Arrow IPC file with one nullable int64 column `v` and describes it as a data file.
pub fn write_int64_file(path: &std::path::Path, values: Vec<i64>) -> zkarrow_core::model::DataFile {
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
    zkarrow_core::arrow_file::describe(path).unwrap().1
}
