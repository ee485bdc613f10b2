//! Dynamic settings: typed, validated, with the catalog file's values as defaults and
//! `<root>/config` (JSON, watched by every node) as live overrides.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::storage::writer::Compression;
use crate::units::{parse_duration, parse_size};
use crate::{err, Result};

/// The settings every node applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub split_target_bytes: u64,
    pub lock_wait_timeout: Duration,
    pub metadata_cache_ttl: Duration,
    pub read_only: bool,
    pub default_compression: Compression,
    /// Rows of a record batch that writers coalesce pages into, at most.
    pub write_batch_rows: u64,
    /// Bytes (of Arrow data, before compression) of a record batch that writers coalesce pages
    /// into, about: a batch closes at whichever of the two limits it reaches first.
    pub write_batch_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            split_target_bytes: 64 << 20,
            lock_wait_timeout: Duration::from_secs(60),
            metadata_cache_ttl: Duration::from_secs(300),
            read_only: false,
            default_compression: Compression::zstd(),
            write_batch_rows: crate::storage::writer::DEFAULT_BATCH_ROWS,
            write_batch_bytes: crate::storage::writer::DEFAULT_BATCH_BYTES,
        }
    }
}

/// Every key: its name (in `<root>/config`, `set_config` and, with `-` for `_` and a `zkarrow.`
/// prefix, in the catalog file) and what it means.
pub const KEYS: [(&str, &str); 7] = [
    (
        "split_target_size",
        "bytes of Arrow data per split, e.g. 64MB",
    ),
    (
        "lock_wait_timeout",
        "how long a commit waits for a table lock, e.g. 60s",
    ),
    (
        "metadata_cache_ttl",
        "how long a node may cache a table record between watch events, e.g. 5m (0s disables)",
    ),
    ("read_only", "true refuses every write with an error"),
    (
        "default_compression",
        "compression of tables that do not set one: none, lz4, zstd or zstd(1..22)",
    ),
    (
        "write_batch_rows",
        "rows of a record batch that writes coalesce pages into, at most, e.g. 65536",
    ),
    (
        "write_batch_size",
        "bytes of Arrow data of a record batch that writes coalesce pages into, about, e.g. 1MB",
    ),
];

/// One row of `system.config`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SettingRow {
    pub key: String,
    pub value: String,
    /// `default`, `catalog` (the catalog file) or `zookeeper` (`<root>/config`).
    pub source: String,
    pub description: String,
}

impl Settings {
    /// Validates `value` for `key` and applies it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let bad = |why: &str| err!(InvalidArgument, "invalid value '{value}' for {key}: {why}");
        match key {
            "split_target_size" => self.split_target_bytes = parse_size(value)?,
            "lock_wait_timeout" => {
                let d = parse_duration(value)?;
                if d.is_zero() || d > Duration::from_secs(3600) {
                    return Err(bad("use 1ms to 1h"));
                }
                self.lock_wait_timeout = d;
            }
            "metadata_cache_ttl" => self.metadata_cache_ttl = parse_duration(value)?,
            "read_only" => {
                self.read_only = match value.trim().to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad("use true or false")),
                }
            }
            "default_compression" => self.default_compression = Compression::from_str(value)?,
            "write_batch_rows" => {
                self.write_batch_rows = match value.trim().parse::<u64>() {
                    Ok(n) if (1..=1 << 30).contains(&n) => n,
                    _ => return Err(bad("use a number of rows from 1 to 1073741824")),
                }
            }
            "write_batch_size" => {
                let bytes = parse_size(value)?;
                if bytes == 0 {
                    return Err(bad("use a positive size such as 1MB"));
                }
                self.write_batch_bytes = bytes;
            }
            other => {
                let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
                return Err(err!(
                    InvalidArgument,
                    "unknown setting '{other}'; the settings are {}",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> String {
        match key {
            "split_target_size" => format!("{}B", self.split_target_bytes),
            "lock_wait_timeout" => format!("{}ms", self.lock_wait_timeout.as_millis()),
            "metadata_cache_ttl" => format!("{}ms", self.metadata_cache_ttl.as_millis()),
            "read_only" => self.read_only.to_string(),
            "default_compression" => self.default_compression.to_string(),
            "write_batch_rows" => self.write_batch_rows.to_string(),
            "write_batch_size" => format!("{}B", self.write_batch_bytes),
            _ => String::new(),
        }
    }
}

/// The settings in force: defaults, then the catalog file, then `<root>/config`.
#[derive(Debug, Clone, Default)]
pub struct LayeredSettings {
    pub catalog: BTreeMap<String, String>,
    pub zookeeper: BTreeMap<String, String>,
}

impl LayeredSettings {
    /// Checks every layer; an invalid catalog value is an error, an invalid ZooKeeper value is
    /// reported to the caller too (set_config never writes one).
    pub fn effective(&self) -> Result<Settings> {
        let mut s = Settings::default();
        for (k, v) in self.catalog.iter().chain(self.zookeeper.iter()) {
            s.set(k, v)?;
        }
        Ok(s)
    }

    pub fn rows(&self) -> Result<Vec<SettingRow>> {
        let s = self.effective()?;
        Ok(KEYS
            .iter()
            .map(|(key, description)| SettingRow {
                key: key.to_string(),
                value: s.get(key),
                source: if self.zookeeper.contains_key(*key) {
                    "zookeeper"
                } else if self.catalog.contains_key(*key) {
                    "catalog"
                } else {
                    "default"
                }
                .into(),
                description: description.to_string(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zookeeper_overrides_catalog_overrides_defaults_and_bad_values_are_refused() {
        let mut layers = LayeredSettings::default();
        layers.catalog.insert("read_only".into(), "true".into());
        layers
            .catalog
            .insert("split_target_size".into(), "1MB".into());
        layers
            .zookeeper
            .insert("split_target_size".into(), "2MB".into());
        let s = layers.effective().unwrap();
        assert!(s.read_only);
        assert_eq!(s.split_target_bytes, 2 << 20);
        let rows = layers.rows().unwrap();
        let source = |k: &str| rows.iter().find(|r| r.key == k).unwrap().source.clone();
        assert_eq!(
            (
                source("read_only"),
                source("split_target_size"),
                source("lock_wait_timeout")
            ),
            ("catalog".into(), "zookeeper".into(), "default".into())
        );
        let mut s = Settings::default();
        assert!(s
            .set("read_only", "maybe")
            .unwrap_err()
            .message
            .contains("true or false"));
        assert!(s
            .set("colour", "red")
            .unwrap_err()
            .message
            .contains("unknown setting 'colour'"));
        assert!(s.set("default_compression", "gzip").is_err());
    }
}
