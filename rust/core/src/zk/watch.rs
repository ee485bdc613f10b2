//! What every node keeps current from ZooKeeper while the catalog is open: the settings in
//! `<root>/config`, the table cache, and this node's ephemeral registration. One persistent
//! recursive watch on the root drives all three; after a reconnect everything is re-read, since
//! watch events can be lost across one.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use zookeeper_client as zk;

use crate::zk::cache::TableCache;
use crate::zk::membership::NodeInfo;
use crate::zk::session::ZkSession;
use crate::zk::settings::{LayeredSettings, Settings};
use crate::{err, Result};

pub struct Live {
    root: String,
    layers: RwLock<LayeredSettings>,
    settings: RwLock<Settings>,
    /// Why the last `<root>/config` could not be applied (the previous settings stay in force).
    config_error: RwLock<Option<String>>,
    pub cache: TableCache,
    /// The registered nodes, until a watch event under `<root>/nodes` says otherwise.
    nodes: RwLock<Option<Vec<NodeInfo>>>,
    nodes_generation: AtomicU64,
    node: Option<NodeInfo>,
    closing: AtomicBool,
}

impl Live {
    pub fn new(
        root: &str,
        catalog_settings: BTreeMap<String, String>,
        node: Option<NodeInfo>,
    ) -> Result<Self> {
        let layers = LayeredSettings {
            catalog: catalog_settings,
            zookeeper: BTreeMap::new(),
        };
        let settings = layers
            .effective()
            .map_err(|e| err!(InvalidConfig, "{}", e.message))?;
        Ok(Live {
            root: root.to_string(),
            layers: RwLock::new(layers),
            settings: RwLock::new(settings),
            config_error: RwLock::new(None),
            cache: TableCache::default(),
            nodes: RwLock::new(None),
            nodes_generation: AtomicU64::new(0),
            node,
            closing: AtomicBool::new(false),
        })
    }

    pub fn config_path(&self) -> String {
        format!("{}/config", self.root)
    }

    fn node_path(&self) -> Option<String> {
        self.node
            .as_ref()
            .map(|n| format!("{}/nodes/{}", self.root, n.node_id))
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn layers(&self) -> LayeredSettings {
        self.layers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn config_error(&self) -> Option<String> {
        self.config_error
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reads `<root>/config` and applies it when it is valid.
    pub async fn reload_config(&self, zk: &ZkSession) -> Result<()> {
        let overrides = zk
            .get_json::<BTreeMap<String, String>>(&self.config_path())
            .await?
            .map(|(m, _)| m)
            .unwrap_or_default();
        let mut layers = self.layers();
        layers.zookeeper = overrides;
        match layers.effective() {
            Ok(settings) => {
                *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
                *self.layers.write().unwrap_or_else(|p| p.into_inner()) = layers;
                *self.config_error.write().unwrap_or_else(|p| p.into_inner()) = None;
            }
            Err(e) => {
                *self.config_error.write().unwrap_or_else(|p| p.into_inner()) = Some(e.message);
            }
        }
        Ok(())
    }

    /// Creates this node's ephemeral znode if it is missing or left over from an older session.
    pub async fn ensure_registered(&self, zk: &ZkSession) -> Result<()> {
        let (Some(node), Some(path)) = (&self.node, self.node_path()) else {
            return Ok(());
        };
        if self.closing.load(Ordering::SeqCst) {
            return Ok(());
        }
        let data = crate::zk::session::to_json(node)?;
        let client = zk.client();
        let options = zk.create_options(zk::CreateMode::Ephemeral);
        match client.create(&path, &data, &options).await {
            Ok(_) => Ok(()),
            Err(zk::Error::NodeExists) => {
                // Another catalog of this same process on this root registered it already (same
                // start time): share it. A node left by an earlier process whose session has not
                // expired yet is taken over.
                if let Ok((existing, stat)) = client.get_data(&path).await {
                    let same_process =
                        serde_json::from_slice::<NodeInfo>(&existing).is_ok_and(|n| {
                            n.started_at_ms == node.started_at_ms
                                && n.http_address == node.http_address
                        });
                    if !same_process && stat.ephemeral_owner != client.session_id().0 {
                        let _ = client.delete(&path, Some(stat.version)).await;
                        let _ = client.create(&path, &data, &options).await;
                    }
                }
                Ok(())
            }
            Err(e) => Err(err!(
                ZookeeperError,
                "cannot register node at {path}: {e}{}",
                crate::zk::session::why(&e)
            )),
        }
    }

    /// Removes this node's registration (shutdown).
    pub async fn deregister(&self, zk: &ZkSession) {
        self.closing.store(true, Ordering::SeqCst);
        if let Some(path) = self.node_path() {
            let _ = zk.delete(&path, None).await;
        }
    }

    pub fn cached_nodes(&self) -> Option<Vec<NodeInfo>> {
        self.nodes.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn nodes_generation(&self) -> u64 {
        self.nodes_generation.load(Ordering::SeqCst)
    }

    /// Caches the node list read when the generation was `generation`, unless it changed since.
    pub fn cache_nodes(&self, nodes: Vec<NodeInfo>, generation: u64) {
        let mut cached = self.nodes.write().unwrap_or_else(|p| p.into_inner());
        if self.nodes_generation() == generation {
            *cached = Some(nodes);
        }
    }

    fn forget_nodes(&self) {
        let mut cached = self.nodes.write().unwrap_or_else(|p| p.into_inner());
        self.nodes_generation.fetch_add(1, Ordering::SeqCst);
        *cached = None;
    }

    async fn resync(&self, zk: &ZkSession) {
        self.cache.clear();
        self.forget_nodes();
        let _ = self.reload_config(zk).await;
        let _ = self.ensure_registered(zk).await;
    }

    async fn on_change(&self, zk: &ZkSession, event: &zk::WatchedEvent) {
        let path = event.path.as_str();
        if path == self.config_path() {
            let _ = self.reload_config(zk).await;
        } else if let Some(rest) = path.strip_prefix(&format!("{}/schemas/", self.root)) {
            self.cache.invalidate(rest);
        } else if path.starts_with(&format!("{}/nodes/", self.root)) {
            self.forget_nodes();
            let ours = Some(path) == self.node_path().as_deref();
            if ours && event.event_type == zk::EventType::NodeDeleted {
                let _ = self.ensure_registered(zk).await;
            }
        }
    }
}

/// Runs until aborted: one persistent recursive watch per session on the catalog root.
pub async fn watch(zk: Arc<ZkSession>, live: Arc<Live>) {
    loop {
        let client = zk.client();
        if let Ok(mut watcher) = client
            .watch(&live.root, zk::AddWatchMode::PersistentRecursive)
            .await
        {
            live.resync(&zk).await;
            loop {
                let event = watcher.changed().await;
                match (event.event_type, event.session_state) {
                    (zk::EventType::Session, zk::SessionState::SyncConnected) => {
                        live.resync(&zk).await
                    }
                    (zk::EventType::Session, zk::SessionState::Disconnected) => {}
                    (zk::EventType::Session, _) => break, // the session ended for good
                    _ => live.on_change(&zk, &event).await,
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let _ = zk.get_raw(&live.root).await; // renews an ended session
    }
}
