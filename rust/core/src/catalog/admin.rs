//! Operator views and actions: registered nodes, settings (read and validated writes), the znode
//! tree under the catalog root, and the counters that show what the cache saves.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use zookeeper_client as zk;

use crate::catalog::Catalog;
use crate::zk::membership::NodeInfo;
use crate::zk::settings::SettingRow;
use crate::{err, Result};

/// One row of `system.znodes`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ZnodeRow {
    pub path: String,
    /// The data as text when it is UTF-8.
    pub data: Option<String>,
    pub data_length: i32,
    pub version: i32,
    pub created_at_ms: i64,
    pub modified_at_ms: i64,
    /// Session id of the owner of an ephemeral node, else 0.
    pub ephemeral_owner: i64,
    pub children: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Counters {
    pub zookeeper_requests: u64,
    pub cache_hits: u64,
    pub cache_misses: u64,
}

/// How many znodes `system.znodes` lists at most.
pub const MAX_ZNODES: usize = 100_000;

impl Catalog {
    /// The registered nodes, from this node's cache while no watch event says they changed.
    pub async fn nodes(&self) -> Result<Vec<NodeInfo>> {
        if let Some(nodes) = self.live().cached_nodes() {
            return Ok(nodes);
        }
        let generation = self.live().nodes_generation();
        let nodes = self.read_nodes().await?;
        self.live().cache_nodes(nodes.clone(), generation);
        Ok(nodes)
    }

    async fn read_nodes(&self) -> Result<Vec<NodeInfo>> {
        let dir = self.path(&["nodes"]);
        let mut nodes = Vec::new();
        for child in self.zk().children(&dir).await?.unwrap_or_default() {
            if let Ok(Some((node, _))) = self
                .zk()
                .get_json::<NodeInfo>(&format!("{dir}/{child}"))
                .await
            {
                nodes.push(node);
            }
        }
        Ok(nodes)
    }

    pub fn config_rows(&self) -> Result<Vec<SettingRow>> {
        self.live().layers().rows()
    }

    /// Validates `key = value` against every other setting in force, then writes it to
    /// `<root>/config` (a versioned write: concurrent set_config calls never lose each other's
    /// keys). Nothing is written when the value is refused.
    pub async fn set_config(&self, key: &str, value: &str) -> Result<()> {
        let mut settings = self.settings();
        settings.set(key, value)?;
        let path = self.live().config_path();
        for _ in 0..20 {
            let current = self
                .zk()
                .get_json::<BTreeMap<String, String>>(&path)
                .await?;
            let (mut map, version) = match current {
                Some((m, stat)) => (m, Some(stat.version)),
                None => (BTreeMap::new(), None),
            };
            map.insert(key.to_string(), value.trim().to_string());
            let data = crate::zk::session::to_json(&map)?;
            let client = self.zk().client();
            let written = match version {
                Some(v) => client.set_data(&path, &data, Some(v)).await.map(|_| ()),
                None => client
                    .create(
                        &path,
                        &data,
                        &self.zk().create_options(zk::CreateMode::Persistent),
                    )
                    .await
                    .map(|_| ()),
            };
            match written {
                Ok(()) => return self.live().reload_config(self.zk()).await,
                Err(zk::Error::BadVersion | zk::Error::NodeExists) => continue,
                Err(e) => {
                    let why = crate::zk::session::why(&e);
                    return Err(err!(ZookeeperError, "cannot write {path}: {e}{why}"));
                }
            }
        }
        Err(err!(
            ZookeeperError,
            "{path} kept changing; try set_config again"
        ))
    }

    /// Every znode under the catalog root, breadth first.
    pub async fn znodes(&self) -> Result<Vec<ZnodeRow>> {
        let mut rows = Vec::new();
        let mut queue = std::collections::VecDeque::from([self.config().root.clone()]);
        while let Some(path) = queue.pop_front() {
            if rows.len() >= MAX_ZNODES {
                break;
            }
            let Some((data, stat)) = self.zk().get_raw(&path).await? else {
                continue;
            };
            for child in self.zk().children(&path).await?.unwrap_or_default() {
                queue.push_back(format!("{path}/{child}"));
            }
            rows.push(ZnodeRow {
                data: String::from_utf8(data).ok(),
                data_length: stat.data_length,
                version: stat.version,
                created_at_ms: stat.ctime,
                modified_at_ms: stat.mtime,
                ephemeral_owner: stat.ephemeral_owner,
                children: stat.num_children,
                path,
            });
        }
        Ok(rows)
    }

    pub fn counters(&self) -> Counters {
        Counters {
            zookeeper_requests: self.zk().request_count(),
            cache_hits: self.live().cache.hits.load(Ordering::Relaxed),
            cache_misses: self.live().cache.misses.load(Ordering::Relaxed),
        }
    }

    /// Refuses a write when the catalog is switched to read-only.
    pub fn check_writable(&self) -> Result<()> {
        if self.settings().read_only {
            return Err(err!(
                ReadOnly,
                "catalog '{}' is read-only (setting read_only = true); CALL system.set_config('read_only', 'false') to allow writes",
                self.config().catalog
            ));
        }
        Ok(())
    }
}
