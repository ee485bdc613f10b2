//! The commit protocol (DESIGN.md): a new manifest is written first, then the table record moves
//! to it under the table lock, through one multi that also checks that the lock node still exists
//! (a writer whose session expired is fenced) and that the record is at the version read (no lost
//! update). Appends that meet a newer snapshot re-base and retry; an overwrite that meets one fails.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zookeeper_client as zk;

use crate::catalog::Catalog;
use crate::manifest;
use crate::model::{now_ms, DataFile, Manifest, TableRecord};
use crate::names::normalize;
use crate::{err, Result};

/// How a commit combines its files with the snapshot it lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Adds files; commutes with any other append, so it re-bases on newer snapshots.
    Append,
    /// Replaces every file (TRUNCATE, DELETE without predicate, CREATE TABLE AS's first snapshot):
    /// valid only on the snapshot it was planned on.
    Overwrite,
    /// Makes an older snapshot's files current again (rollback_to_snapshot).
    Rollback,
}

#[derive(Debug, Clone)]
pub struct CommitRequest {
    pub schema: String,
    pub table: String,
    pub operation: Operation,
    pub files: Vec<DataFile>,
    /// The snapshot the writer started from (what an overwrite must still find).
    pub base_snapshot_id: Option<i64>,
    /// Who commits, recorded in the lock node and the manifest.
    pub holder: LockHolder,
    pub lock_timeout: Duration,
}

/// What a lock node says about its holder (readable with zkCli.sh, listed by system.locks).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct LockHolder {
    pub node: String,
    pub query_id: Option<String>,
    #[serde(default)]
    pub since_ms: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommitOutcome {
    pub snapshot_id: i64,
    pub manifest: String,
    /// How many times the commit re-based on a snapshot that landed first.
    pub retries: u32,
}

const MAX_ATTEMPTS: u32 = 100;

/// Fault injection for tests: `ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS` makes every commit hold its lock,
/// with its manifest written, for that long before it moves the table record, so that a test can
/// expire the session or kill the process at the worst moment.
fn fault_pause_before_swap() -> Option<Duration> {
    let ms: u64 = std::env::var("ZKARROW_FAULT_PAUSE_BEFORE_SWAP_MS")
        .ok()?
        .parse()
        .ok()?;
    Some(Duration::from_millis(ms))
}

/// Releases a lock before returning: dropping one only deletes its node in the background, which
/// a process that exits right after (the CLI) would never run.
pub(crate) async fn release(client: &zk::Client, lock: zk::LockClient<'_>) {
    let lock_path = lock.lock_path().to_string();
    drop(lock);
    let _ = client.delete(&lock_path, None).await;
}

enum Attempt {
    Committed(CommitOutcome),
    /// The record changed outside the lock: try again from the start.
    VersionMoved,
}

impl Catalog {
    pub(crate) fn lock_dir(&self, schema: &str, table: &str) -> String {
        self.path(&["locks", schema, table])
    }

    /// Commits `request` as one new snapshot of the table. The lock is taken before the record is
    /// read, so commits queue on it instead of racing; an append whose base snapshot was passed
    /// re-bases onto the current one (counted in `retries`).
    pub async fn commit(&self, mut request: CommitRequest) -> Result<CommitOutcome> {
        request.schema = normalize("schema", &request.schema)?;
        request.table = normalize("table", &request.table)?;
        for _ in 0..MAX_ATTEMPTS {
            let lock_dir = self.lock_dir(&request.schema, &request.table);
            let client = self.zk().client();
            let lock = self.take_lock(&client, &lock_dir, &request).await?;
            let attempt = self.commit_locked(&request, &lock).await;
            release(&client, lock).await;
            self.forget(&request.schema, &request.table);
            match attempt? {
                Attempt::Committed(outcome) => return Ok(outcome),
                Attempt::VersionMoved => continue,
            }
        }
        Err(err!(
            CommitConflict,
            "{}.{}: gave up after {MAX_ATTEMPTS} attempts: the table record kept changing outside the table lock",
            request.schema,
            request.table
        ))
    }

    pub(crate) async fn take_lock<'c>(
        &self,
        client: &'c zk::Client,
        lock_dir: &str,
        request: &CommitRequest,
    ) -> Result<zk::LockClient<'c>> {
        let mut holder = request.holder.clone();
        holder.since_ms = now_ms();
        let holder_json = serde_json::to_vec(&holder).map_err(|e| err!(Internal, "{e}"))?;
        let prefix = zk::LockPrefix::new_curator(lock_dir, "lock-")
            .map_err(|e| err!(Internal, "bad lock path {lock_dir}: {e}"))?;
        let options = zk::LockOptions::new(zk::Acls::anyone_all())
            .with_ancestor_options(zk::CreateMode::Persistent.with_acls(zk::Acls::anyone_all()))
            .map_err(|e| err!(Internal, "{e}"))?;
        match tokio::time::timeout(
            request.lock_timeout,
            client.lock(prefix, &holder_json, options),
        )
        .await
        {
            Ok(Ok(lock)) => Ok(lock),
            Ok(Err(e)) => Err(err!(ZookeeperError, "cannot take the lock {lock_dir}: {e}")),
            Err(_) => {
                let holders = self
                    .lock_holders(&request.schema, &request.table)
                    .await
                    .unwrap_or_default();
                let who = holders
                    .first()
                    .map(|h| h.describe())
                    .unwrap_or_else(|| "an unknown holder".into());
                Err(err!(
                    LockTimeout,
                    "{}.{} is locked by {who}; gave up after {}ms (zkarrow lock wait timeout)",
                    request.schema,
                    request.table,
                    request.lock_timeout.as_millis()
                ))
            }
        }
    }

    /// Under the lock: read the record, write the manifest, move the record with a write that
    /// checks the lock node (fencing) and the record version.
    async fn commit_locked(
        &self,
        request: &CommitRequest,
        lock: &zk::LockClient<'_>,
    ) -> Result<Attempt> {
        let (schema, table) = (&request.schema, &request.table);
        let table_path = self.table_path(schema, table);
        self.zk().sync(&table_path).await?;
        let (record, stat) = self
            .zk()
            .get_json::<TableRecord>(&table_path)
            .await?
            .ok_or_else(|| err!(TableNotFound, "table '{schema}.{table}' does not exist"))?;
        let rebased = request
            .base_snapshot_id
            .is_some_and(|base| base != record.current_snapshot_id);
        if rebased && request.operation == Operation::Overwrite {
            return Err(err!(
                CommitConflict,
                "{schema}.{table} moved from snapshot {} to {} while this statement ran; it replaces all rows, so it cannot re-base: run it again",
                request.base_snapshot_id.unwrap_or_default(),
                record.current_snapshot_id
            ));
        }
        let metadata_dir = &PathBuf::from(&record.metadata_location);
        let parent = manifest::read(metadata_dir, &record.current_manifest)?;
        let mut files = match request.operation {
            Operation::Append => parent.files.clone(),
            Operation::Overwrite | Operation::Rollback => Vec::new(),
        };
        files.extend(request.files.iter().cloned());
        let operation = match request.operation {
            Operation::Append => "append",
            Operation::Overwrite => "overwrite",
            Operation::Rollback => "rollback",
        };
        let parent_ref = Some((&parent, record.current_manifest.as_str()));
        let manifest = Manifest::child_of(
            &record.id,
            parent_ref,
            operation,
            files,
            request.holder.query_id.clone(),
        );
        let name = manifest::write(metadata_dir, &manifest)?;
        let remove_manifest = || {
            let _ = std::fs::remove_file(metadata_dir.join(&name));
        };
        let mut next = record.clone();
        next.current_snapshot_id = manifest.snapshot_id;
        next.current_manifest = name.clone();
        let data = crate::zk::to_json(&next)?;
        if let Some(pause) = fault_pause_before_swap() {
            tokio::time::sleep(pause).await;
        }
        let committed = Attempt::Committed(CommitOutcome {
            snapshot_id: manifest.snapshot_id,
            manifest: name.clone(),
            retries: u32::from(rebased),
        });
        match lock.set_data(&table_path, &data, Some(stat.version)).await {
            Ok(_) => Ok(committed),
            Err(zk::Error::BadVersion) => {
                remove_manifest();
                Ok(Attempt::VersionMoved)
            }
            Err(zk::Error::NoNode) => {
                remove_manifest();
                Err(err!(
                    TableNotFound,
                    "{schema}.{table} was dropped while this statement ran"
                ))
            }
            Err(zk::Error::RuntimeInconsistent | zk::Error::SessionExpired) => {
                remove_manifest();
                Err(err!(
                    CommitFenced,
                    "the lock on {schema}.{table} was lost before the commit (ZooKeeper session expired): nothing was committed"
                ))
            }
            Err(e) => {
                // The write may or may not have applied: read back instead of guessing.
                match self.zk().get_json::<TableRecord>(&table_path).await {
                    Ok(Some((now, _))) if now.current_manifest == name => Ok(committed),
                    Ok(_) => {
                        remove_manifest();
                        Err(err!(
                            ZookeeperUnavailable,
                            "commit to {schema}.{table} did not apply ({e}); the table is unchanged: run the statement again"
                        ))
                    }
                    Err(read) => Err(err!(
                        ZookeeperUnavailable,
                        "commit to {schema}.{table} has an unknown outcome ({e}); reading it back failed too ({}): check the table's snapshots before retrying",
                        read.message
                    )),
                }
            }
        }
    }

    /// Holders of the table's lock, the current holder first (Curator's order: by sequence).
    pub async fn lock_holders(&self, schema: &str, table: &str) -> Result<Vec<LockNode>> {
        let dir = self.lock_dir(schema, table);
        let mut nodes = Vec::new();
        for child in self.zk().children(&dir).await?.unwrap_or_default() {
            let path = format!("{dir}/{child}");
            let raw = self.zk().get_raw(&path).await?;
            if let Some((data, stat)) = raw {
                nodes.push(LockNode::parse(schema, table, &child, &data, stat.ctime));
            }
        }
        nodes.sort_by_key(|n| n.sequence);
        Ok(nodes)
    }
}

/// One lock node: ours carry a JSON `LockHolder`; Curator's carry the client's address.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LockNode {
    pub schema: String,
    pub table: String,
    pub node_name: String,
    pub sequence: i64,
    pub holder: LockHolder,
    pub created_at_ms: i64,
}

impl LockNode {
    fn parse(schema: &str, table: &str, name: &str, data: &[u8], ctime: i64) -> Self {
        let sequence = name
            .rsplit('-')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(i64::MAX);
        let holder = serde_json::from_slice::<LockHolder>(data).unwrap_or_else(|_| LockHolder {
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
        }
    }

    pub fn describe(&self) -> String {
        let mut s = format!("'{}'", self.holder.node);
        if let Some(q) = &self.holder.query_id {
            s.push_str(&format!(" (query {q})"));
        }
        s.push_str(&format!(
            " since {} ms since the epoch",
            self.holder.since_ms
        ));
        s
    }
}
