//! `zkarrow`: manage a zkarrow catalog from a shell, over the same core library the plugin uses.

mod sample;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::config::CatalogConfig;
use zkarrow_core::runtime::block_on;
use zkarrow_core::Result;

#[derive(Parser)]
#[command(
    name = "zkarrow",
    version,
    about = "Manage zkarrow catalogs: Arrow tables cataloged in ZooKeeper"
)]
struct Cli {
    /// ZooKeeper connect string (host:port[,host:port...]).
    #[arg(
        long,
        env = "ZKARROW_ZOOKEEPER",
        default_value = "127.0.0.1:2181",
        global = true
    )]
    zookeeper: String,
    /// Root znode of the catalog (the plugin's zkarrow.zookeeper.root).
    #[arg(
        long,
        env = "ZKARROW_ROOT",
        default_value = "/zkarrow/zkarrow",
        global = true
    )]
    root: String,
    /// Warehouse directory (the plugin's zkarrow.warehouse).
    #[arg(
        long,
        env = "ZKARROW_WAREHOUSE",
        default_value = "/var/lib/zkarrow",
        global = true
    )]
    warehouse: String,
    /// Print JSON instead of readable text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List schemas, or the tables of one schema.
    Ls { schema: Option<String> },
    /// Create a schema.
    CreateSchema { schema: String },
    /// Show a table's columns and current snapshot.
    Show { schema: String, table: String },
    /// Register an Arrow IPC file, or a directory of them, as a table (the data stays where it is).
    Register {
        schema: String,
        table: String,
        path: String,
    },
    /// Remove a registered table from the catalog (the data files stay).
    Unregister { schema: String, table: String },
    /// Write a sample dataset of Arrow IPC files (every column type zkarrow reads) into a directory.
    Sample {
        #[arg(long)]
        out: String,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
}

fn open(cli: &Cli) -> Result<Catalog> {
    let config = CatalogConfig::from_json(
        &serde_json::json!({
            "catalog": "cli", "connect": cli.zookeeper, "root": cli.root, "warehouse": cli.warehouse
        })
        .to_string(),
    )?;
    block_on(Catalog::open(config))
}

fn print(cli: &Cli, json: serde_json::Value, text: impl FnOnce() -> String) {
    if cli.json {
        println!("{json}");
    } else {
        println!("{}", text());
    }
}

fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Sample { out, rows } => {
            let files = sample::write(std::path::Path::new(out), *rows)?;
            print(cli, serde_json::json!({ "files": files }), || {
                files.join("\n")
            });
        }
        Command::Ls { schema } => {
            let catalog = open(cli)?;
            match schema {
                None => {
                    let schemas = block_on(catalog.list_schemas())?;
                    print(cli, serde_json::json!(schemas), || schemas.join("\n"));
                }
                Some(s) => {
                    let tables: Vec<String> = block_on(catalog.list_tables(Some(s)))?
                        .into_iter()
                        .map(|t| t.table)
                        .collect();
                    print(cli, serde_json::json!(tables), || tables.join("\n"));
                }
            }
        }
        Command::CreateSchema { schema } => block_on(open(cli)?.create_schema(schema))?,
        Command::Show { schema, table } => {
            let catalog = open(cli)?;
            let record = block_on(catalog.get_table(schema, table))?.ok_or_else(|| {
                zkarrow_core::err!(TableNotFound, "table '{schema}.{table}' does not exist")
            })?;
            let manifest = block_on(catalog.current_manifest(&record))?;
            print(
                cli,
                serde_json::json!({ "table": record, "files": manifest.files.len(), "rows": manifest.row_count() }),
                || {
                    let mut s = format!(
                        "{}.{}  snapshot {}  {} rows in {} files  at {}\n",
                        record.schema,
                        record.name,
                        record.current_snapshot_id,
                        manifest.row_count(),
                        manifest.files.len(),
                        record.location
                    );
                    for c in &record.columns {
                        s.push_str(&format!("  {:<24} {}\n", c.name, c.presto_type));
                    }
                    s
                },
            );
        }
        Command::Register {
            schema,
            table,
            path,
        } => {
            let catalog = open(cli)?;
            let record = block_on(catalog.register_table(schema, table, path))?;
            print(cli, serde_json::json!(record), || {
                format!(
                    "registered {}.{} ({} columns) from {}",
                    record.schema,
                    record.name,
                    record.columns.len(),
                    path
                )
            });
        }
        Command::Unregister { schema, table } => {
            block_on(open(cli)?.unregister_table(schema, table))?
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zkarrow: {e}");
            ExitCode::FAILURE
        }
    }
}
