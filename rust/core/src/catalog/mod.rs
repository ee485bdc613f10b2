//! The catalog of one Presto catalog: schemas and tables as JSON znodes under the root, snapshots
//! as manifest files next to the data. `impl Catalog` is split by what it does:
//!
//! - [`schemas`], [`tables`]: schemas, listing tables and reading their records;
//! - [`register`], [`import`]: registering existing Arrow files as a table; importing a copy;
//! - [`ddl`], [`alter`]: creating, publishing, renaming and dropping tables; column changes;
//! - [`commit`], [`snapshots`], [`writes`]: new snapshots, their history and writes in flight;
//! - [`optimize`]: compaction of small files into a replace snapshot;
//! - [`admin`], [`locations`]: settings, nodes and counters; where tables may live.

pub mod admin;
pub mod alter;
pub mod commit;
pub mod ddl;
pub mod import;
pub mod locations;
pub mod locks;
pub mod names;
pub mod optimize;
pub mod register;
pub mod schemas;
pub mod snapshots;
pub mod tables;
pub mod writes;

use std::sync::Arc;

pub use tables::TableName;

use crate::config::CatalogConfig;
use crate::runtime;
use crate::zk::session::ZkSession;
use crate::zk::settings::Settings;
use crate::zk::watch::Live;
use crate::Result;

pub struct Catalog {
    config: CatalogConfig,
    zk: Arc<ZkSession>,
    live: Arc<Live>,
    watcher: tokio::task::JoinHandle<()>,
}

impl Drop for Catalog {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

impl Catalog {
    /// Connects to ZooKeeper and makes sure the catalog's root layout exists.
    pub async fn open(config: CatalogConfig) -> Result<Self> {
        #[cfg(feature = "object-store")]
        if config.uses_object_storage() {
            let buckets: Vec<String> = std::iter::once(&config.warehouse)
                .chain(&config.allowed_locations)
                .filter_map(|p| crate::storage::object::bucket_of(p))
                .map(str::to_string)
                .collect();
            crate::storage::object::configure(&buckets, config.s3.settings());
        }
        let live = Arc::new(Live::new(
            &config.root,
            config.settings.clone(),
            config.node.clone(),
        )?);
        let zk = Arc::new(ZkSession::connect(&config).await?);
        for dir in ["schemas", "locks", "nodes", "locations"] {
            zk.mkdirs(&format!("{}/{dir}", config.root)).await?;
        }
        live.reload_config(&zk).await?;
        live.ensure_registered(&zk).await?;
        let watcher = runtime::handle().spawn(crate::zk::watch::watch(zk.clone(), live.clone()));
        Ok(Catalog {
            config,
            zk,
            live,
            watcher,
        })
    }

    /// Removes this node's registration; the watch stops when the catalog is dropped.
    pub async fn close(&self) {
        self.live.deregister(&self.zk).await;
    }

    pub fn live(&self) -> &Live {
        &self.live
    }

    /// Drops a table from this node's cache right after this node changed it (other nodes hear
    /// of it through their watch).
    pub(crate) fn forget(&self, schema: &str, table: &str) {
        self.live.cache.invalidate(&format!("{schema}/{table}"));
    }

    pub fn settings(&self) -> Settings {
        self.live.settings()
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    pub fn zk(&self) -> &ZkSession {
        &self.zk
    }

    pub(crate) fn path(&self, parts: &[&str]) -> String {
        let mut p = self.config.root.clone();
        for part in parts {
            p.push('/');
            p.push_str(part);
        }
        p
    }

    pub(crate) fn schema_path(&self, schema: &str) -> String {
        self.path(&["schemas", schema])
    }

    pub(crate) fn table_path(&self, schema: &str, table: &str) -> String {
        self.path(&["schemas", schema, table])
    }
}
