//! `impl Catalog` for table locks: every change of a table record runs inside
//! [`Catalog::with_table_lock`] (the recipe itself is [`crate::zk::lock::TableLock`]).

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use zookeeper_client as zk;

use crate::catalog::tables::READS_IN_FLIGHT;
use crate::catalog::Catalog;
use crate::zk::lock::{LockHolder, LockNode, TableLock};
use crate::Result;

impl Catalog {
    pub(crate) fn table_lock<'a>(&'a self, schema: &'a str, table: &'a str) -> TableLock<'a> {
        TableLock {
            zk: self.zk(),
            dir: self.path(&["locks", schema, table]),
            schema,
            table,
            default_node: self
                .config()
                .node
                .as_ref()
                .map(|n| n.node_id.as_str())
                .unwrap_or("zkarrow"),
        }
    }

    /// Runs `body` under the table's lock (see [`TableLock::with`]), then drops the table from
    /// this node's cache: whatever held the lock may have changed the record.
    pub(crate) async fn with_table_lock<T>(
        &self,
        schema: &str,
        table: &str,
        holder: &LockHolder,
        timeout: Duration,
        body: impl AsyncFnOnce(&zk::LockClient<'_>) -> Result<T>,
    ) -> Result<T> {
        let outcome = self
            .table_lock(schema, table)
            .with(holder, timeout, body)
            .await;
        self.forget(schema, table);
        outcome
    }

    /// Holders of the table's lock, the current holder first (Curator's order: by sequence).
    pub async fn lock_holders(&self, schema: &str, table: &str) -> Result<Vec<LockNode>> {
        self.table_lock(schema, table).holders().await
    }

    /// Holders of the locks of every table of `schema` (of every schema when `None`), by schema,
    /// table, then sequence: one listing, then the tables' lock directories read concurrently.
    pub async fn all_lock_holders(&self, schema: Option<&str>) -> Result<Vec<LockNode>> {
        let tables = self.list_tables(schema).await?;
        let holders: Vec<Vec<LockNode>> = futures::stream::iter(&tables)
            .map(|t| self.lock_holders(&t.schema, &t.table))
            .buffered(READS_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(holders.into_iter().flatten().collect())
    }

    /// Deletes every lock node of a table (an operator's last resort for a holder that is gone
    /// but whose session lives on); returns what was removed.
    pub async fn break_locks(&self, schema: &str, table: &str) -> Result<Vec<LockNode>> {
        self.table_lock(schema, table).break_all().await
    }
}
