//! Table locks: Apache Curator's `InterProcessMutex` layout under `<root>/locks/<schema>/<table>`,
//! so that Curator and Hudi clients see and honour them. Every change of a table record (commit,
//! schema change, drop, rename, orphan removal) happens inside `Catalog::with_table_lock`, whose
//! lock node the change's write checks (a holder whose session expired is fenced).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use zookeeper_client as zk;

use crate::storage::records::now_ms;
use crate::zk::session::ZkSession;
use crate::{err, Result};

/// What a lock node says about its holder (readable with zkCli.sh, listed by system.locks).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct LockHolder {
    pub node: String,
    pub query_id: Option<String>,
    #[serde(default)]
    pub since_ms: i64,
}

/// The lock of one table: its lock directory and who takes it when a holder names nobody.
pub(crate) struct TableLock<'a> {
    pub(crate) zk: &'a ZkSession,
    /// `<root>/locks/<schema>/<table>`.
    pub(crate) dir: String,
    pub(crate) schema: &'a str,
    pub(crate) table: &'a str,
    /// This Presto node's id (or the CLI's name): the holder of locks taken without one.
    pub(crate) default_node: &'a str,
}

impl TableLock<'_> {
    fn dir(&self) -> String {
        self.dir.clone()
    }

    /// Takes the lock within `timeout`; the lock node records `holder` (this node when the holder
    /// names none).
    pub(crate) async fn acquire<'c>(
        &self,
        client: &'c zk::Client,
        holder: &LockHolder,
        timeout: Duration,
    ) -> Result<zk::LockClient<'c>> {
        let (schema, table) = (self.schema, self.table);
        let lock_dir = self.dir();
        let lock_dir = lock_dir.as_str();
        let mut holder = holder.clone();
        if holder.node.is_empty() {
            holder.node = self.default_node.to_string();
        }
        holder.since_ms = now_ms();
        let holder_json = serde_json::to_vec(&holder).map_err(|e| err!(Internal, "{e}"))?;
        let prefix = zk::LockPrefix::new_curator(lock_dir, "lock-")
            .map_err(|e| err!(Internal, "bad lock path {lock_dir}: {e}"))?;
        let options = zk::LockOptions::new(self.zk.acls())
            .with_ancestor_options(self.zk.create_options(zk::CreateMode::Persistent))
            .map_err(|e| err!(Internal, "{e}"))?;
        match tokio::time::timeout(timeout, client.lock(prefix, &holder_json, options)).await {
            Ok(Ok(lock)) => Ok(lock),
            Ok(Err(e)) => Err(err!(
                ZookeeperError,
                "cannot take the lock {lock_dir}: {e}{}",
                crate::zk::session::why(&e)
            )),
            Err(_) => {
                let holders = self.holders().await.unwrap_or_default();
                let who = holders
                    .first()
                    .map(|h| h.describe(now_ms()))
                    .unwrap_or_else(|| "a holder that has just left".into());
                Err(err!(
                    LockTimeout,
                    "{schema}.{table} is locked by {who}; gave up after {} (lock_wait_timeout)",
                    crate::units::format_duration(timeout)
                ))
            }
        }
    }

    /// Releases a lock before returning: dropping one only deletes its node in the background,
    /// which a process that exits right after (the CLI) would never run.
    pub(crate) async fn release(client: &zk::Client, lock: zk::LockClient<'_>) {
        let lock_path = lock.lock_path().to_string();
        drop(lock);
        let _ = client.delete(&lock_path, None).await;
    }

    /// Runs `body` holding the lock, then releases it. Failing to take the lock returns before
    /// `body` runs.
    pub(crate) async fn with<T>(
        &self,
        holder: &LockHolder,
        timeout: Duration,
        body: impl AsyncFnOnce(&zk::LockClient<'_>) -> Result<T>,
    ) -> Result<T> {
        let client = self.zk.client();
        let lock = self.acquire(&client, holder, timeout).await?;
        let outcome = body(&lock).await;
        Self::release(&client, lock).await;
        outcome
    }

    /// Holders of the lock, the current holder first (Curator's order: by sequence).
    pub(crate) async fn holders(&self) -> Result<Vec<LockNode>> {
        let dir = self.dir();
        let zk = self.zk;
        let children = zk.children(&dir).await?.unwrap_or_default();
        // the lock nodes' reads all in flight; a node released meanwhile is left out
        let reads = children.iter().map(|child| {
            let path = format!("{dir}/{child}");
            async move { zk.get_raw(&path).await }
        });
        let mut nodes = Vec::new();
        for (child, raw) in children.iter().zip(futures::future::join_all(reads).await) {
            if let Some((data, stat)) = raw? {
                nodes.push(LockNode::parse(
                    self.schema,
                    self.table,
                    child,
                    &data,
                    stat.ctime,
                ));
            }
        }
        nodes.sort_by_key(|n| n.sequence);
        Ok(nodes)
    }

    /// Deletes every lock node; returns what was removed.
    pub(crate) async fn break_all(&self) -> Result<Vec<LockNode>> {
        let holders = self.holders().await?;
        let dir = self.dir();
        for h in &holders {
            let _ = self
                .zk
                .delete(&format!("{dir}/{}", h.node_name), None)
                .await?;
        }
        Ok(holders)
    }
}

/// One lock node: ours carry a JSON `LockHolder`; Curator's carry whatever its client chose
/// (by default its IP address).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LockNode {
    pub schema: String,
    pub table: String,
    pub node_name: String,
    pub sequence: i64,
    pub holder: LockHolder,
    pub created_at_ms: i64,
    /// Whether zkarrow took this lock (its data is a `LockHolder`), not another client.
    pub zkarrow: bool,
}

impl LockNode {
    fn parse(schema: &str, table: &str, name: &str, data: &[u8], ctime: i64) -> Self {
        let sequence = name
            .rsplit('-')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(i64::MAX);
        let parsed = serde_json::from_slice::<LockHolder>(data).ok();
        let zkarrow = parsed.is_some();
        let holder = parsed.unwrap_or_else(|| LockHolder {
            node: String::from_utf8_lossy(data).to_string(),
            query_id: None,
            since_ms: ctime,
        });
        LockNode {
            schema: schema.into(),
            table: table.into(),
            node_name: name.into(),
            sequence,
            holder,
            created_at_ms: ctime,
            zkarrow,
        }
    }

    /// Who holds the lock and since when, for messages: "Presto node 'n1' (query q) since
    /// 2026-11-30T10:00:00Z (12s ago)", or another client's lock node data as text.
    pub fn describe(&self, now_ms: i64) -> String {
        let since = if self.holder.since_ms > 0 {
            self.holder.since_ms
        } else {
            self.created_at_ms
        };
        let mut s = if self.zkarrow {
            let mut s = format!("Presto node '{}'", self.holder.node);
            if let Some(q) = &self.holder.query_id {
                s.push_str(&format!(" (query {q})"));
            }
            s
        } else {
            let data: String = self.holder.node.chars().take(200).collect();
            format!(
                "another client (not zkarrow; its lock node {} holds '{data}')",
                self.node_name
            )
        };
        s.push_str(&format!(
            " since {} ({} ago)",
            crate::units::format_instant(since),
            crate::units::format_duration(Duration::from_millis((now_ms - since).max(0) as u64))
        ));
        s
    }
}
