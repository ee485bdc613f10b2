//! The settings of one catalog, as the Java plugin hands them over after parsing the catalog file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::membership::NodeInfo;
use crate::{err, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    /// The Presto catalog name (used in messages only).
    #[serde(default)]
    pub catalog: String,
    /// ZooKeeper connect string, `host:port[,host:port...][/chroot]`.
    pub connect: String,
    /// Root znode of this catalog, e.g. `/zkarrow/sales`.
    pub root: String,
    #[serde(default = "default_session_timeout_ms")]
    pub session_timeout_ms: u64,
    #[serde(default = "default_connect_timeout_ms")]
    pub connect_timeout_ms: u64,
    /// Directory where zkarrow keeps table data and snapshot manifests.
    pub warehouse: PathBuf,
    /// Defaults of the dynamic settings (see `settings::KEYS`), from the catalog file.
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// This Presto node, registered under `<root>/nodes` while the catalog is open.
    #[serde(default)]
    pub node: Option<NodeInfo>,
}

fn default_session_timeout_ms() -> u64 {
    30_000
}

fn default_connect_timeout_ms() -> u64 {
    10_000
}

impl CatalogConfig {
    pub fn from_json(json: &str) -> Result<Self> {
        let config: CatalogConfig = serde_json::from_str(json)
            .map_err(|e| err!(InvalidConfig, "invalid catalog configuration: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<()> {
        if self.connect.trim().is_empty() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.connect is empty: set it to host:port[,host:port...]"
            ));
        }
        validate_root(&self.root)?;
        if !(1_000..=600_000).contains(&self.session_timeout_ms) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.session-timeout must be between 1s and 10m, got {}ms",
                self.session_timeout_ms
            ));
        }
        if !(100..=600_000).contains(&self.connect_timeout_ms) {
            return Err(err!(
                InvalidConfig,
                "zkarrow.zookeeper.connect-timeout must be between 100ms and 10m, got {}ms",
                self.connect_timeout_ms
            ));
        }
        if !self.warehouse.is_absolute() {
            return Err(err!(
                InvalidConfig,
                "zkarrow.warehouse must be an absolute directory path, got '{}'",
                self.warehouse.display()
            ));
        }
        Ok(())
    }

    pub fn session_timeout(&self) -> Duration {
        Duration::from_millis(self.session_timeout_ms)
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }
}

fn validate_root(root: &str) -> Result<()> {
    let bad = !root.starts_with('/')
        || root.len() < 2
        || root.ends_with('/')
        || root.contains("//")
        || root.split('/').skip(1).any(|p| p == "." || p == "..");
    if bad {
        return Err(err!(
            InvalidConfig,
            "zkarrow.zookeeper.root must be an absolute znode path such as /zkarrow/sales, got '{root}'"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(root: &str, warehouse: &str) -> String {
        format!(r#"{{"connect":"127.0.0.1:2181","root":"{root}","warehouse":"{warehouse}"}}"#)
    }

    #[test]
    fn accepts_a_valid_config_with_defaults() {
        let c = CatalogConfig::from_json(&json("/zkarrow/x", "/tmp/w")).unwrap();
        assert_eq!(c.session_timeout_ms, 30_000);
        assert_eq!(c.connect_timeout(), Duration::from_secs(10));
    }

    #[test]
    fn refuses_bad_roots_and_relative_warehouses() {
        for root in ["zkarrow", "/", "/a/", "/a//b", "/a/../b"] {
            let e = CatalogConfig::from_json(&json(root, "/tmp/w")).unwrap_err();
            assert!(e.message.contains("zkarrow.zookeeper.root"), "{e}");
        }
        let e = CatalogConfig::from_json(&json("/a", "rel/dir")).unwrap_err();
        assert!(e.message.contains("zkarrow.warehouse"), "{e}");
    }

    #[test]
    fn refuses_unknown_fields() {
        let e =
            CatalogConfig::from_json(r#"{"connect":"h:1","root":"/a","warehouse":"/w","bogus":1}"#)
                .unwrap_err();
        assert!(e.message.contains("bogus"), "{e}");
    }
}
