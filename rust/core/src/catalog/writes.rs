//! Writes in flight: while an INSERT's writers fill the table's data directory, an ephemeral
//! znode `<root>/writes/<table id>/<query id>` says so, and orphan removal spares every file
//! whose name starts with that query id (writers name their files `<query id>-…`). The node
//! goes when the write commits or aborts, or with the coordinator's session.

use zookeeper_client as zk;

use crate::catalog::Catalog;
use crate::storage::records::{now_ms, TableRecord};
use crate::{err, Result};

impl Catalog {
    fn writes_dir(&self, table_id: &str) -> String {
        self.path(&["writes", table_id])
    }

    /// Marks a write of `query_id` into the table as in flight and returns the table it
    /// writes into (its id is what the commit must still find).
    pub async fn begin_write(
        &self,
        schema: &str,
        table: &str,
        query_id: &str,
    ) -> Result<TableRecord> {
        let record = self.require_table(schema, table).await?;
        if query_id.is_empty() || query_id.contains('/') {
            return Err(err!(
                InvalidArgument,
                "a write needs a query id without '/', got '{query_id}'"
            ));
        }
        let dir = self.writes_dir(&record.id);
        let path = format!("{dir}/{query_id}");
        let data = format!("{{\"started_at_ms\":{}}}", now_ms()).into_bytes();
        let session = self.zk();
        // a concurrent end_write deletes the directory when it is empty: make it again and retry
        for _ in 0..10 {
            session.mkdirs(&dir).await?;
            let created = session
                .run("create", &path, |c| {
                    let (p, d) = (path.clone(), data.clone());
                    async move {
                        let options = session.create_options(zk::CreateMode::Ephemeral);
                        match c.create(&p, &d, &options).await {
                            Ok(_) | Err(zk::Error::NodeExists) => Ok(true),
                            Err(zk::Error::NoNode) => Ok(false),
                            Err(e) => Err(e),
                        }
                    }
                })
                .await?;
            if created {
                return Ok(record);
            }
        }
        Err(err!(
            ZookeeperError,
            "cannot mark the write {path} in flight: its directory keeps disappearing"
        ))
    }

    /// Ends a write (committed or aborted); a write that was never begun is fine.
    pub async fn end_write(&self, table_id: &str, query_id: &str) -> Result<()> {
        if query_id.is_empty() || query_id.contains('/') || table_id.is_empty() {
            return Ok(());
        }
        let path = format!("{}/{query_id}", self.writes_dir(table_id));
        let _ = self.zk().delete(&path, None).await?;
        let _ = self.zk().delete(&self.writes_dir(table_id), None).await;
        Ok(())
    }

    /// Query ids of the writes in flight into the table with id `table_id`.
    pub async fn writes_in_flight(&self, table_id: &str) -> Result<Vec<String>> {
        let dir = self.writes_dir(table_id);
        self.zk().sync(&dir).await?;
        Ok(self.zk().children(&dir).await?.unwrap_or_default())
    }
}
