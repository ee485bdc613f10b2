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
    /// The id of the table the writer started on: a table dropped or renamed away and re-created
    /// under the same name has another id, and the commit must not land in it.
    pub table_id: Option<String>,
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
            let client = self.zk().client();
            let lock = self
                .take_lock(
                    &client,
                    &request.schema,
                    &request.table,
                    &request.holder,
                    request.lock_timeout,
                )
                .await?;
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

    /// Takes the table's lock (Curator's InterProcessMutex layout) within `timeout`; the lock
    /// node records `holder` (this node when the holder names none).
    pub(crate) async fn take_lock<'c>(
        &self,
        client: &'c zk::Client,
        schema: &str,
        table: &str,
        holder: &LockHolder,
        timeout: Duration,
    ) -> Result<zk::LockClient<'c>> {
        let lock_dir = self.lock_dir(schema, table);
        let lock_dir = lock_dir.as_str();
        let mut holder = holder.clone();
        if holder.node.is_empty() {
            holder.node = self
                .config()
                .node
                .as_ref()
                .map(|n| n.node_id.clone())
                .unwrap_or_else(|| "zkarrow".into());
        }
        holder.since_ms = now_ms();
        let holder_json = serde_json::to_vec(&holder).map_err(|e| err!(Internal, "{e}"))?;
        let prefix = zk::LockPrefix::new_curator(lock_dir, "lock-")
            .map_err(|e| err!(Internal, "bad lock path {lock_dir}: {e}"))?;
        let options = zk::LockOptions::new(self.zk().acls())
            .with_ancestor_options(self.zk().create_options(zk::CreateMode::Persistent))
            .map_err(|e| err!(Internal, "{e}"))?;
        match tokio::time::timeout(timeout, client.lock(prefix, &holder_json, options)).await {
            Ok(Ok(lock)) => Ok(lock),
            Ok(Err(e)) => Err(err!(
                ZookeeperError,
                "cannot take the lock {lock_dir}: {e}{}",
                crate::zk::why(&e)
            )),
            Err(_) => {
                let holders = self.lock_holders(schema, table).await.unwrap_or_default();
                let who = holders
                    .first()
                    .map(|h| h.describe(now_ms()))
                    .unwrap_or_else(|| "a holder that has just left".into());
                Err(err!(
                    LockTimeout,
                    "{schema}.{table} is locked by {who}; gave up after {} (lock_wait_timeout)",
                    crate::settings::format_duration(timeout)
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
            .ok_or_else(|| {
                err!(
                    TableNotFound,
                    "{schema}.{table} was dropped or renamed while this statement ran: nothing was committed"
                )
            })?;
        if let Some(started_on) = &request.table_id {
            if *started_on != record.id {
                return Err(err!(
                    CommitConflict,
                    "{schema}.{table} was dropped or renamed and re-created while this statement ran (it started on table id {started_on}, the name now holds table id {}): nothing was committed; run the statement again",
                    record.id
                ));
            }
        }
        for file in &request.files {
            if !std::path::Path::new(&file.path).is_file() {
                return Err(err!(
                    CommitConflict,
                    "'{}' written by this statement is gone (removed as an orphan?): nothing was committed to {schema}.{table}; run the statement again",
                    file.path
                ));
            }
        }
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
            Err(zk::Error::RuntimeInconsistent) => {
                remove_manifest();
                Err(err!(
                    CommitFenced,
                    "the lock on {schema}.{table} was lost before the commit (ZooKeeper session expired): nothing was committed"
                ))
            }
            Err(e) => {
                // The write may or may not have applied (a lost reply, or a session that expired
                // with the write in flight): catch up with the leader and read back, never guess.
                match self.read_back(&table_path).await {
                    Ok(Some(now)) if now.current_manifest == name => Ok(committed),
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

    /// Settles a write whose outcome is unknown: `sync` makes this session's server catch up with
    /// the leader (and with every request this session sent before), then the record is read.
    pub(crate) async fn read_back(&self, path: &str) -> Result<Option<TableRecord>> {
        self.zk().sync(path).await?;
        Ok(self
            .zk()
            .get_json::<TableRecord>(path)
            .await?
            .map(|(t, _)| t))
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

/// One lock node: ours carry a JSON `LockHolder`; Curator's carry whatever its client chose
/// (by default its IP address).
#[derive(Debug, Clone, Serialize, PartialEq)]
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
            crate::settings::format_instant(since),
            crate::settings::format_duration(std::time::Duration::from_millis(
                (now_ms - since).max(0) as u64
            ))
        ));
        s
    }
}
