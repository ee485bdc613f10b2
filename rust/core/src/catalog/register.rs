//! Registering Arrow IPC files that another tool wrote as a table, and unregistering them.

use std::path::Path;

use crate::catalog::ddl::NewTable;
use crate::catalog::names::normalize;
use crate::catalog::{locations, Catalog};
use crate::presto::types::presto_type_of_field;
use crate::storage::arrow_file;
use crate::storage::records::{ColumnRecord, DataFile, TableRecord};
use crate::zk::lock::LockHolder;
use crate::{err, Result};

impl Catalog {
    /// Registers Arrow IPC files that another tool wrote as a table: infers the columns from the
    /// first file, checks that every file agrees, and commits a first snapshot that lists them with
    /// their statistics. The data is never moved or changed.
    pub async fn register_table(
        &self,
        schema: &str,
        table: &str,
        path: &str,
    ) -> Result<TableRecord> {
        let (schema, table) = (normalize("schema", schema)?, normalize("table", table)?);
        let location = locations::confine(&self.config, path)?;
        let (schema, table) = self.check_new_table_name(&schema, &table).await?;
        let (columns, files) = describe_files(&location)?;
        let id = uuid::Uuid::new_v4().to_string();
        // Registered data stays where it is; zkarrow's manifests go under the warehouse.
        let metadata_location = self
            .config
            .warehouse
            .join(&schema)
            .join(format!("{table}-{id}"))
            .join("metadata");
        let new = NewTable {
            schema,
            table,
            id,
            location: location.to_string_lossy().to_string(),
            metadata_location: metadata_location.to_string_lossy().to_string(),
            external: true,
            columns,
            properties: Default::default(),
            query_id: None,
        };
        self.publish_table(new, "register", files).await
    }

    /// Removes a registered table: its record goes under the table lock, then what zkarrow
    /// wrote for it (manifests, rows inserted through zkarrow); the registered data files stay.
    pub async fn unregister_table(
        &self,
        schema: &str,
        table: &str,
        holder: LockHolder,
    ) -> Result<()> {
        let record = self.require_table(schema, table).await?;
        if !record.external {
            return Err(err!(
                InvalidArgument,
                "table '{schema}.{table}' was written by zkarrow, not registered: use DROP TABLE"
            ));
        }
        self.drop_table(schema, table, holder).await
    }
}

/// Columns and file descriptions of the Arrow files at `location`; every file must have the same
/// column names and Presto types as the first.
fn describe_files(location: &Path) -> Result<(Vec<ColumnRecord>, Vec<DataFile>)> {
    let paths = arrow_file::list_data_files(location)?;
    let mut columns: Option<Vec<ColumnRecord>> = None;
    let mut first_path = String::new();
    let mut files = Vec::with_capacity(paths.len());
    for path in &paths {
        let (schema, file) = arrow_file::describe(path)?;
        let mut these = Vec::with_capacity(schema.fields().len());
        for (i, field) in schema.fields().iter().enumerate() {
            let presto_type = presto_type_of_field(field).map_err(|mut e| {
                e.message = format!("{} (in '{}')", e.message, path.display());
                e
            })?;
            these.push(ColumnRecord {
                id: i as u32 + 1,
                name: field.name().to_lowercase(),
                presto_type,
                file_name: Some(field.name().clone()),
            });
        }
        match &columns {
            None => {
                check_unique_names(&these, path)?;
                columns = Some(these);
                first_path = path.display().to_string();
            }
            Some(expected) => check_same_columns(expected, &these, &first_path, path)?,
        }
        files.push(file);
    }
    Ok((columns.unwrap_or_default(), files))
}

fn check_unique_names(columns: &[ColumnRecord], path: &Path) -> Result<()> {
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].iter().any(|o| o.name == c.name) {
            return Err(err!(
                SchemaMismatch,
                "'{}' has two columns named '{}' (names are case-insensitive in Presto)",
                path.display(),
                c.name
            ));
        }
    }
    Ok(())
}

fn check_same_columns(
    expected: &[ColumnRecord],
    got: &[ColumnRecord],
    first: &str,
    path: &Path,
) -> Result<()> {
    for (i, e) in expected.iter().enumerate() {
        match got.get(i) {
            None => {
                return Err(err!(
                    SchemaMismatch,
                    "'{}' lacks column '{}' that '{first}' has",
                    path.display(),
                    e.name
                ))
            }
            Some(g) if g.name != e.name => {
                return Err(err!(
                    SchemaMismatch,
                    "'{}' has column '{}' where '{first}' has '{}' (position {})",
                    path.display(),
                    g.name,
                    e.name,
                    i + 1
                ))
            }
            Some(g) if g.presto_type != e.presto_type => {
                return Err(err!(
                    SchemaMismatch,
                    "column '{}' is {} in '{}' but {} in '{first}'",
                    e.name,
                    g.presto_type,
                    path.display(),
                    e.presto_type
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = got.get(expected.len()) {
        return Err(err!(
            SchemaMismatch,
            "'{}' has column '{}' that '{first}' lacks",
            path.display(),
            extra.name
        ));
    }
    Ok(())
}
