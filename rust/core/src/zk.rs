//! A ZooKeeper session that survives expiry: every call runs on the current client, and a client whose
//! session has ended for good (expired, closed, auth failed) is replaced once before the call fails.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use zookeeper_client as zk;

use crate::config::CatalogConfig;
use crate::{err, Error, ErrorCode, Result};

pub use zk::Stat;

pub struct ZkSession {
    connect: String,
    session_timeout: Duration,
    connect_timeout: Duration,
    client: RwLock<zk::Client>,
    /// Requests sent, for tests and `system` statistics (a cached plan sends none).
    requests: AtomicU64,
}

/// What a call needs from the outcome of a ZooKeeper operation.
fn zk_error(op: &str, path: &str, e: zk::Error) -> Error {
    let code = match e {
        zk::Error::ConnectionLoss | zk::Error::Timeout | zk::Error::NoHosts => {
            ErrorCode::ZookeeperUnavailable
        }
        _ => ErrorCode::ZookeeperError,
    };
    Error::new(code, format!("ZooKeeper {op} of {path} failed: {e}"))
}

fn is_final(e: &zk::Error) -> bool {
    matches!(
        e,
        zk::Error::SessionExpired | zk::Error::ClientClosed | zk::Error::AuthFailed
    )
}

impl ZkSession {
    pub async fn connect(config: &CatalogConfig) -> Result<Self> {
        let session_timeout = config.session_timeout();
        let connect_timeout = config.connect_timeout();
        let client = Self::new_client(&config.connect, session_timeout, connect_timeout).await?;
        Ok(ZkSession {
            connect: config.connect.clone(),
            session_timeout,
            connect_timeout,
            client: RwLock::new(client),
            requests: AtomicU64::new(0),
        })
    }

    async fn new_client(
        connect: &str,
        session_timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<zk::Client> {
        let connecting = zk::Client::connector()
            .with_session_timeout(session_timeout)
            .with_connection_timeout(connect_timeout)
            .connect(connect);
        match tokio::time::timeout(connect_timeout, connecting).await {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(e)) => Err(err!(
                ZookeeperUnavailable,
                "cannot connect to ZooKeeper at '{connect}': {e}; check zkarrow.zookeeper.connect and that the ensemble is up"
            )),
            Err(_) => Err(err!(
                ZookeeperUnavailable,
                "no ZooKeeper server at '{connect}' answered within {}ms; check zkarrow.zookeeper.connect and that the ensemble is up",
                connect_timeout.as_millis()
            )),
        }
    }

    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The client of the current session.
    pub fn client(&self) -> zk::Client {
        self.client
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    async fn renew(&self, broken_session: zk::SessionId) -> Result<()> {
        if self.client().session_id() != broken_session {
            return Ok(()); // another thread renewed it already
        }
        let fresh =
            Self::new_client(&self.connect, self.session_timeout, self.connect_timeout).await?;
        let mut guard = self.client.write().unwrap_or_else(|p| p.into_inner());
        if guard.session_id() == broken_session {
            *guard = fresh;
        }
        Ok(())
    }

    /// Runs `op` on the current client; on a final session error, renews the session and runs it
    /// once more. Writes are safe to repeat here: a final error means the first attempt never ran.
    pub async fn run<T, F, Fut>(&self, what: &str, path: &str, op: F) -> Result<T>
    where
        F: Fn(zk::Client) -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, zk::Error>>,
    {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let client = self.client();
        match op(client.clone()).await {
            Err(e) if is_final(&e) => {
                self.renew(client.session_id()).await?;
                op(self.client()).await.map_err(|e| zk_error(what, path, e))
            }
            other => other.map_err(|e| zk_error(what, path, e)),
        }
    }

    /// Reads a znode's bytes; `None` when it does not exist.
    pub async fn get_raw(&self, path: &str) -> Result<Option<(Vec<u8>, Stat)>> {
        let owned = path.to_string();
        self.run("read", path, |c| {
            let p = owned.clone();
            async move {
                match c.get_data(&p).await {
                    Ok(v) => Ok(Some(v)),
                    Err(zk::Error::NoNode) => Ok(None),
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }

    /// Reads and parses a JSON znode; `None` when it does not exist.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<Option<(T, Stat)>> {
        let found = self.get_raw(path).await?;
        match found {
            None => Ok(None),
            Some((bytes, stat)) => {
                let value = serde_json::from_slice(&bytes).map_err(|e| {
                    err!(
                        CorruptMetadata,
                        "znode {path} does not hold the expected JSON: {e}"
                    )
                })?;
                Ok(Some((value, stat)))
            }
        }
    }

    /// Creates a persistent JSON znode; `Ok(false)` when it exists already.
    pub async fn create_json<T: Serialize>(&self, path: &str, value: &T) -> Result<bool> {
        let data = to_json(value)?;
        let owned = path.to_string();
        self.run("create", path, |c| {
            let (p, d) = (owned.clone(), data.clone());
            async move {
                let options = zk::CreateMode::Persistent.with_acls(zk::Acls::anyone_all());
                match c.create(&p, &d, &options).await {
                    Ok(_) => Ok(true),
                    Err(zk::Error::NodeExists) => Ok(false),
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }

    /// Creates `path` and its missing ancestors as empty persistent znodes.
    pub async fn mkdirs(&self, path: &str) -> Result<()> {
        let owned = path.to_string();
        self.run("mkdir", path, |c| {
            let p = owned.clone();
            async move {
                let options = zk::CreateMode::Persistent.with_acls(zk::Acls::anyone_all());
                c.mkdir(&p, &options).await
            }
        })
        .await
    }

    /// Children of `path`, sorted; `None` when `path` does not exist.
    pub async fn children(&self, path: &str) -> Result<Option<Vec<String>>> {
        let owned = path.to_string();
        let mut found = self
            .run("list", path, |c| {
                let p = owned.clone();
                async move {
                    match c.list_children(&p).await {
                        Ok(v) => Ok(Some(v)),
                        Err(zk::Error::NoNode) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
            })
            .await?;
        if let Some(names) = found.as_mut() {
            names.sort();
        }
        Ok(found)
    }

    /// Deletes `path` at `version` (any version when `None`); the raw ZooKeeper outcome is
    /// returned so that callers can tell NoNode, NotEmpty and BadVersion apart.
    pub async fn delete(
        &self,
        path: &str,
        version: Option<i32>,
    ) -> Result<std::result::Result<(), zk::Error>> {
        let owned = path.to_string();
        self.run("delete", path, |c| {
            let p = owned.clone();
            async move {
                match c.delete(&p, version).await {
                    Ok(()) => Ok(Ok(())),
                    Err(e @ (zk::Error::NoNode | zk::Error::NotEmpty | zk::Error::BadVersion)) => {
                        Ok(Err(e))
                    }
                    Err(e) => Err(e),
                }
            }
        })
        .await
    }

    /// Makes the local server catch up with the leader before a read that must see other clients'
    /// writes.
    pub async fn sync(&self, path: &str) -> Result<()> {
        let owned = path.to_string();
        self.run("sync", path, |c| {
            let p = owned.clone();
            async move { c.sync(&p).await }
        })
        .await
    }
}

pub fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| err!(Internal, "cannot serialize a record: {e}"))
}
