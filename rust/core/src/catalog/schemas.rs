//! Schemas: one znode each under `<root>/schemas`, their tables its children.

use crate::catalog::names::normalize;
use crate::catalog::Catalog;
use crate::storage::records::{now_ms, SchemaRecord};
use crate::{err, Result};

impl Catalog {
    pub async fn list_schemas(&self) -> Result<Vec<String>> {
        Ok(self
            .zk
            .children(&self.path(&["schemas"]))
            .await?
            .unwrap_or_default())
    }

    pub async fn schema_exists(&self, schema: &str) -> Result<bool> {
        let schema = normalize("schema", schema)?;
        Ok(self
            .zk
            .get_json::<SchemaRecord>(&self.schema_path(&schema))
            .await?
            .is_some())
    }

    pub async fn create_schema(&self, schema: &str) -> Result<()> {
        let schema = normalize("schema", schema)?;
        let record = SchemaRecord {
            name: schema.clone(),
            created_at_ms: now_ms(),
        };
        if !self
            .zk
            .create_json(&self.schema_path(&schema), &record)
            .await?
        {
            return Err(err!(SchemaExists, "schema '{schema}' already exists"));
        }
        Ok(())
    }

    /// Drops an empty schema; ZooKeeper itself refuses to delete a znode with children, so a table
    /// created concurrently can never be orphaned.
    pub async fn drop_schema(&self, schema: &str) -> Result<()> {
        let schema = normalize("schema", schema)?;
        match self.zk.delete(&self.schema_path(&schema), None).await? {
            Ok(()) => Ok(()),
            Err(zookeeper_client::Error::NoNode) => {
                Err(err!(SchemaNotFound, "schema '{schema}' does not exist"))
            }
            Err(zookeeper_client::Error::NotEmpty) => Err(err!(
                SchemaNotEmpty,
                "schema '{schema}' still holds tables: drop or unregister them first"
            )),
            Err(e) => Err(err!(ZookeeperError, "cannot drop schema '{schema}': {e}")),
        }
    }
}
