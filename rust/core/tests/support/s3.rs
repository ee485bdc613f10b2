//! A real S3-compatible server (tests/s3/s3-server.sh: versitygw) on a loopback port, stopped on
//! drop, and what a catalog needs to reach it.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct S3Server {
    dir: tempfile::TempDir,
    pub port: u16,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/s3/s3-server.sh")
}

fn run(args: &[&str]) {
    let status = Command::new("bash")
        .arg(script())
        .args(args)
        .status()
        .expect("bash runs tests/s3/s3-server.sh");
    assert!(status.success(), "tests/s3/s3-server.sh {args:?} failed");
}

impl S3Server {
    /// Starts a server holding bucket `bucket` (installs it first when it is not built yet).
    pub fn start(bucket: &str) -> Self {
        run(&["install"]);
        let dir = tempfile::tempdir().unwrap();
        let port = super::free_port();
        run(&[
            "start",
            dir.path().to_str().unwrap(),
            &port.to_string(),
            bucket,
        ]);
        let credentials = std::fs::read_to_string(dir.path().join("credentials")).unwrap();
        let value = |name: &str| {
            credentials
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{name} in the server's credentials"))
                .to_string()
        };
        S3Server {
            port,
            bucket: bucket.to_string(),
            access_key: value("ZKARROW_S3_ACCESS_KEY"),
            secret_key: value("ZKARROW_S3_SECRET_KEY"),
            dir,
        }
    }

    /// The catalog configuration fields that reach this server.
    pub fn catalog_fields(&self) -> serde_json::Value {
        serde_json::json!({ "s3": {
            "endpoint": format!("http://127.0.0.1:{}", self.port),
            "region": "us-east-1",
            "path_style_access": true,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "request_timeout_ms": 5000,
            "max_retries": 1,
        }})
    }

    pub fn stop(&self) {
        run(&["stop", self.dir.path().to_str().unwrap()]);
    }

    /// Starts the server again on the same port and data.
    pub fn restart(&self) {
        run(&[
            "start",
            self.dir.path().to_str().unwrap(),
            &self.port.to_string(),
        ]);
    }

    /// The objects' files in the server's posix backend (bucket directories under data/).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
