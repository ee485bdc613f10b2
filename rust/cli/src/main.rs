//! `zkarrow`: manage a zkarrow catalog from a shell, over the same core library the plugin uses.

mod output;
mod sample;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkarrow_core::catalog::Catalog;
use zkarrow_core::config::CatalogConfig;
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::records::now_ms;
use zkarrow_core::units::parse_duration;
use zkarrow_core::zk::lock::LockHolder;
use zkarrow_core::{err, Result};

use output::{done, millis_to_text, table};

#[derive(Parser)]
#[command(
    name = "zkarrow",
    version,
    about = "Manage zkarrow catalogs: Arrow tables cataloged in ZooKeeper"
)]
struct Cli {
    /// ZooKeeper connect string (host:port[,host:port...]), as zkarrow.zookeeper.connect.
    #[arg(
        long,
        env = "ZKARROW_ZOOKEEPER",
        default_value = "127.0.0.1:2181",
        global = true
    )]
    zookeeper: String,
    /// Root znode of the catalog, as zkarrow.zookeeper.root.
    #[arg(
        long,
        env = "ZKARROW_ROOT",
        default_value = "/zkarrow/zkarrow",
        global = true
    )]
    root: String,
    /// Warehouse directory or s3://bucket/prefix, as zkarrow.warehouse.
    #[arg(
        long,
        env = "ZKARROW_WAREHOUSE",
        default_value = "/var/lib/zkarrow",
        global = true
    )]
    warehouse: String,
    /// ZooKeeper session timeout: how long locks of a killed zkarrow process outlive it.
    #[arg(long, default_value = "30s", global = true)]
    session_timeout: String,
    /// The smallest --older-than `gc --apply` accepts, as zkarrow.gc-min-grace: files of writes
    /// still running are younger.
    #[arg(
        long,
        env = "ZKARROW_GC_MIN_GRACE",
        default_value = "1h",
        global = true
    )]
    gc_min_grace: String,
    /// ZooKeeper credentials, scheme:credential (digest:user:password), as zkarrow.zookeeper.auth.
    /// Prefer the environment variable: a command line is visible to other users.
    #[arg(
        long,
        env = "ZKARROW_ZOOKEEPER_AUTH",
        hide_env_values = true,
        global = true
    )]
    zookeeper_auth: Option<String>,
    /// ACL of the znodes the command creates, as zkarrow.zookeeper.acl (creator-all-world-read,
    /// creator-all, open, or scheme:id:perms entries).
    #[arg(long, env = "ZKARROW_ZOOKEEPER_ACL", global = true)]
    zookeeper_acl: Option<String>,
    /// SASL user name (DIGEST-MD5), as zkarrow.zookeeper.sasl.username.
    #[arg(long, env = "ZKARROW_ZOOKEEPER_SASL_USERNAME", global = true)]
    zookeeper_sasl_username: Option<String>,
    /// SASL password, as zkarrow.zookeeper.sasl.password (prefer the environment variable).
    #[arg(
        long,
        env = "ZKARROW_ZOOKEEPER_SASL_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    zookeeper_sasl_password: Option<String>,
    /// SASL mechanism, as zkarrow.zookeeper.sasl.mechanism (DIGEST-MD5).
    #[arg(long, env = "ZKARROW_ZOOKEEPER_SASL_MECHANISM", global = true)]
    zookeeper_sasl_mechanism: Option<String>,
    /// Connect with TLS, as zkarrow.zookeeper.tls.enabled.
    #[arg(long, env = "ZKARROW_ZOOKEEPER_TLS", global = true)]
    zookeeper_tls: bool,
    /// PEM file of the CA certificates of the servers, as zkarrow.zookeeper.tls.trust-store.
    #[arg(long, env = "ZKARROW_ZOOKEEPER_TLS_TRUST_STORE", global = true)]
    zookeeper_tls_trust_store: Option<String>,
    /// PEM file of the client certificate and its key, as zkarrow.zookeeper.tls.key-store.
    #[arg(long, env = "ZKARROW_ZOOKEEPER_TLS_KEY_STORE", global = true)]
    zookeeper_tls_key_store: Option<String>,
    /// Do not check that a server's certificate names its host
    /// (zkarrow.zookeeper.tls.hostname-verification=false).
    #[arg(long, global = true)]
    zookeeper_tls_no_hostname_verification: bool,
    /// Endpoint of an S3-compatible server for s3:// locations, as zkarrow.s3.endpoint.
    #[arg(long, env = "ZKARROW_S3_ENDPOINT", global = true)]
    s3_endpoint: Option<String>,
    /// S3 region, as zkarrow.s3.region.
    #[arg(long, env = "ZKARROW_S3_REGION", global = true)]
    s3_region: Option<String>,
    /// Path-style S3 requests, as zkarrow.s3.path-style-access (MinIO, Ceph and most S3-compatible
    /// servers).
    #[arg(long, env = "ZKARROW_S3_PATH_STYLE_ACCESS", global = true)]
    s3_path_style_access: bool,
    /// S3 access key id, as zkarrow.s3.aws-access-key (unset: AWS_* variables, web identity or
    /// the instance profile).
    #[arg(
        long,
        env = "ZKARROW_S3_ACCESS_KEY",
        hide_env_values = true,
        global = true
    )]
    s3_access_key: Option<String>,
    /// S3 secret access key, as zkarrow.s3.aws-secret-key (prefer the environment variable).
    #[arg(
        long,
        env = "ZKARROW_S3_SECRET_KEY",
        hide_env_values = true,
        global = true
    )]
    s3_secret_key: Option<String>,
    /// PEM file of CA certificates for the S3 endpoint, as zkarrow.s3.ca-file.
    #[arg(long, env = "ZKARROW_S3_CA_FILE", global = true)]
    s3_ca_file: Option<String>,
    /// Print JSON instead of readable tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the catalog's layout under the root (schemas, locks, nodes); safe to repeat.
    Init,
    /// List schemas, or the tables of one schema.
    Ls { schema: Option<String> },
    /// Create a schema.
    CreateSchema { schema: String },
    /// Show a table's columns, or its snapshots, or its current files.
    Show {
        schema: String,
        table: String,
        #[arg(long, conflicts_with = "files")]
        snapshots: bool,
        #[arg(long)]
        files: bool,
    },
    /// Register an Arrow IPC file, or a directory of them, as a table (the data stays where it is).
    Register {
        schema: String,
        table: String,
        path: String,
    },
    /// Remove a registered table from the catalog (the data files stay).
    Unregister { schema: String, table: String },
    /// Copy Arrow IPC files or streams into a table, converting them to its types and compression.
    Import {
        schema: String,
        table: String,
        path: String,
        /// Create the table from the first file's columns if it does not exist.
        #[arg(long)]
        create: bool,
    },
    /// Rewrite a table's small files (that zkarrow wrote) into files of about --target-file-size,
    /// as one replace snapshot; INSERTs go on meanwhile. Registered files are left as they are.
    Optimize {
        schema: String,
        table: String,
        /// Size of the files to write; files smaller than this are rewritten: 128MB, 1GB, or bytes.
        #[arg(long, default_value = "128MB")]
        target_file_size: String,
    },
    /// Table locks: list them, or break one.
    Locks {
        #[command(subcommand)]
        action: Option<LockAction>,
    },
    /// Live settings in <root>/config: show or change them (every node applies a change within a second).
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// The Presto nodes that run the connector (ephemeral registrations).
    Nodes,
    /// Find files no live snapshot names (failed or expired commits); deletes them only with --apply.
    Gc {
        /// One table (SCHEMA TABLE); all tables when omitted.
        #[arg(num_args = 2, value_names = ["SCHEMA", "TABLE"])]
        table: Option<Vec<String>>,
        /// Only files older than this (a grace period for commits in progress): an age such as
        /// 1d or 12h, or an ISO-8601 instant.
        #[arg(long, default_value = "24h")]
        older_than: String,
        /// Delete the files (the default is a dry run that lists them).
        #[arg(long)]
        apply: bool,
    },
    /// Write a sample dataset of Arrow IPC files (the types zkarrow reads) into a directory.
    Sample {
        #[arg(long)]
        out: String,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
}

#[derive(Subcommand)]
enum LockAction {
    /// List every lock node of every table (the default).
    List,
    /// Delete the lock nodes of a table after printing their holders. Needs --force.
    Break {
        schema: String,
        table: String,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Show the settings in force and where each comes from.
    Get { key: Option<String> },
    /// Validate and store a setting.
    Set { key: String, value: String },
}

fn open(cli: &Cli) -> Result<Catalog> {
    block_on(Catalog::open(catalog_config(cli)?))
}

/// The catalog configuration the command's options and environment give.
fn catalog_config(cli: &Cli) -> Result<CatalogConfig> {
    let mut config = serde_json::json!({
        "catalog": "cli", "connect": cli.zookeeper, "root": cli.root, "warehouse": cli.warehouse,
        "session_timeout_ms": parse_duration(&cli.session_timeout)?.as_millis() as u64,
        "gc_min_grace_ms": parse_duration(&cli.gc_min_grace)?.as_millis() as u64,
        "zookeeper_tls_enabled": cli.zookeeper_tls,
        "zookeeper_tls_hostname_verification": !cli.zookeeper_tls_no_hostname_verification,
    });
    let optional = [
        ("zookeeper_auth", &cli.zookeeper_auth),
        ("zookeeper_acl", &cli.zookeeper_acl),
        ("zookeeper_sasl_username", &cli.zookeeper_sasl_username),
        ("zookeeper_sasl_password", &cli.zookeeper_sasl_password),
        ("zookeeper_sasl_mechanism", &cli.zookeeper_sasl_mechanism),
        ("zookeeper_tls_trust_store", &cli.zookeeper_tls_trust_store),
        ("zookeeper_tls_key_store", &cli.zookeeper_tls_key_store),
    ];
    let s3_optional = [
        ("endpoint", &cli.s3_endpoint),
        ("region", &cli.s3_region),
        ("access_key", &cli.s3_access_key),
        ("secret_key", &cli.s3_secret_key),
        ("ca_file", &cli.s3_ca_file),
    ];
    let mut s3 = serde_json::json!({ "path_style_access": cli.s3_path_style_access });
    if let (Some(fields), Some(s3_fields)) = (config.as_object_mut(), s3.as_object_mut()) {
        for (key, value) in optional {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                fields.insert(key.into(), value.into());
            }
        }
        for (key, value) in s3_optional {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                s3_fields.insert(key.into(), value.into());
            }
        }
        fields.insert("s3".into(), s3);
    }
    CatalogConfig::from_json(&config.to_string())
}

fn cli_holder() -> LockHolder {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into());
    LockHolder {
        node: format!("zkarrow-cli@{host}"),
        query_id: None,
        since_ms: now_ms(),
    }
}

fn run(cli: &Cli) -> Result<()> {
    let json = cli.json;
    match &cli.command {
        Command::Sample { out, rows } => {
            let out = Path::new(out);
            if zkarrow_core::storage::store::is_object(out) {
                // no catalog is opened: reach the bucket with the command's S3 options
                let config = catalog_config(cli)?;
                let bucket = zkarrow_core::storage::object::bucket_of(out).unwrap_or_default();
                zkarrow_core::storage::object::configure(
                    &[bucket.to_string()],
                    config.s3.settings(),
                );
            }
            let files = sample::write(out, *rows)?;
            let rows_out = files.iter().map(|f| vec![f.clone()]).collect();
            table(json, &files, &["file"], rows_out);
        }
        Command::Init => {
            open(cli)?;
            done(
                json,
                &format!("catalog root {} is ready", cli.root),
                serde_json::json!({"root": cli.root}),
            );
        }
        Command::Ls { schema: None } => {
            let schemas = block_on(open(cli)?.list_schemas())?;
            table(
                json,
                &schemas,
                &["schema"],
                schemas.iter().map(|s| vec![s.clone()]).collect(),
            );
        }
        Command::Ls { schema: Some(s) } => {
            let tables = block_on(open(cli)?.list_tables(Some(s)))?;
            table(
                json,
                &tables,
                &["table"],
                tables.iter().map(|t| vec![t.table.clone()]).collect(),
            );
        }
        Command::CreateSchema { schema } => {
            block_on(open(cli)?.create_schema(schema))?;
            done(
                json,
                &format!("created schema {schema}"),
                serde_json::json!({"schema": schema}),
            );
        }
        Command::Show {
            schema,
            table: name,
            snapshots,
            files,
        } => show(cli, schema, name, *snapshots, *files)?,
        Command::Register {
            schema,
            table: name,
            path,
        } => {
            let record = block_on(open(cli)?.register_table(schema, name, path))?;
            let message = format!(
                "registered {}.{} ({} columns) from {path}",
                record.schema,
                record.name,
                record.columns.len()
            );
            done(json, &message, serde_json::json!(record));
        }
        Command::Unregister {
            schema,
            table: name,
        } => {
            block_on(open(cli)?.unregister_table(schema, name, cli_holder()))?;
            done(
                json,
                &format!("unregistered {schema}.{name}; its files are untouched"),
                serde_json::json!({}),
            );
        }
        Command::Import {
            schema,
            table: name,
            path,
            create,
        } => {
            let catalog = open(cli)?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            if json {
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            let progress = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
            };
            let outcome = block_on(catalog.import(
                schema,
                name,
                Path::new(path),
                *create,
                cli_holder(),
                &progress,
            ))?;
            bar.finish_and_clear();
            let message = format!(
                "imported {} rows from {} files into {schema}.{name} ({} files written, snapshot {})",
                outcome.rows, outcome.files_read, outcome.files_written, outcome.snapshot_id
            );
            done(json, &message, serde_json::json!(outcome));
        }
        Command::Optimize {
            schema,
            table: name,
            target_file_size,
        } => optimize(cli, schema, name, target_file_size)?,
        Command::Locks {
            action: None | Some(LockAction::List),
        } => {
            let catalog = open(cli)?;
            let locks = block_on(catalog.all_lock_holders(None))?;
            let rows = locks
                .iter()
                .map(|l| {
                    vec![
                        format!("{}.{}", l.schema, l.table),
                        l.holder.node.clone(),
                        l.holder.query_id.clone().unwrap_or_default(),
                        millis_to_text(l.holder.since_ms),
                        l.node_name.clone(),
                    ]
                })
                .collect();
            table(
                json,
                &locks,
                &["table", "holder", "query", "since", "lock node"],
                rows,
            );
        }
        Command::Locks {
            action:
                Some(LockAction::Break {
                    schema,
                    table: name,
                    force,
                }),
        } => {
            let catalog = open(cli)?;
            let holders = block_on(catalog.lock_holders(schema, name))?;
            for h in &holders {
                eprintln!("lock {} held by {}", h.node_name, h.describe(now_ms()));
            }
            if !force {
                return Err(err!(InvalidArgument, "breaking a lock can let two writers commit at once: add --force if its holder is really gone"));
            }
            let broken = block_on(catalog.break_locks(schema, name))?;
            done(
                json,
                &format!("broke {} lock node(s) of {schema}.{name}", broken.len()),
                serde_json::json!(broken),
            );
        }
        Command::Config {
            action: ConfigAction::Get { key },
        } => {
            let catalog = open(cli)?;
            let mut rows = catalog.config_rows()?;
            if let Some(k) = key {
                rows.retain(|r| &r.key == k);
                if rows.is_empty() {
                    return Err(err!(
                        InvalidArgument,
                        "unknown setting '{k}'; run `zkarrow config get` to list them"
                    ));
                }
            }
            let cells = rows
                .iter()
                .map(|r| {
                    vec![
                        r.key.clone(),
                        r.value.clone(),
                        r.source.clone(),
                        r.description.clone(),
                    ]
                })
                .collect();
            table(
                json,
                &rows,
                &["key", "value", "source", "description"],
                cells,
            );
            if let Some(e) = catalog.live().config_error() {
                eprintln!("warning: {}/config is not applied: {e}", cli.root);
            }
        }
        Command::Config {
            action: ConfigAction::Set { key, value },
        } => {
            block_on(open(cli)?.set_config(key, value))?;
            done(
                json,
                &format!("{key} = {value} (every node applies it within a second)"),
                serde_json::json!({key: value}),
            );
        }
        Command::Nodes => {
            let nodes = block_on(open(cli)?.nodes())?;
            let rows = nodes
                .iter()
                .map(|n| {
                    vec![
                        n.node_id.clone(),
                        n.http_address.clone(),
                        if n.coordinator {
                            "coordinator"
                        } else {
                            "worker"
                        }
                        .into(),
                        n.presto_version.clone(),
                        millis_to_text(n.started_at_ms),
                    ]
                })
                .collect();
            table(
                json,
                &nodes,
                &["node", "http address", "role", "presto", "started"],
                rows,
            );
        }
        Command::Gc {
            table: only,
            older_than,
            apply,
        } => {
            let catalog = open(cli)?;
            let cutoff = zkarrow_core::units::parse_cutoff("--older-than", older_than, now_ms())?;
            let tables = match only {
                Some(t) => vec![(t[0].clone(), t[1].clone())],
                None => block_on(catalog.list_tables(None))?
                    .into_iter()
                    .map(|t| (t.schema, t.table))
                    .collect(),
            };
            let mut found = Vec::new();
            for (s, t) in tables {
                let report =
                    block_on(catalog.remove_orphan_files(&s, &t, cutoff, !apply, cli_holder()))?;
                found.extend(report.files.into_iter().map(|f| (format!("{s}.{t}"), f)));
            }
            let rows = found
                .iter()
                .map(|(t, f)| vec![t.clone(), f.clone()])
                .collect();
            table(
                json,
                &found,
                &[
                    "table",
                    if *apply {
                        "removed"
                    } else {
                        "orphan (dry run: add --apply)"
                    },
                ],
                rows,
            );
        }
    }
    Ok(())
}

fn optimize(cli: &Cli, schema: &str, name: &str, target_file_size: &str) -> Result<()> {
    use zkarrow_core::catalog::optimize::OptimizePhase;

    let target = zkarrow_core::units::parse_size(target_file_size).map_err(|_| {
        err!(
            InvalidArgument,
            "--target-file-size must be a size such as 128MB or 1GB, or a number of bytes, not '{target_file_size}'"
        )
    })?;
    let catalog = open(cli)?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:12} {bar:40} {pos}/{len} files {elapsed_precise} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    if cli.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = std::time::Instant::now();
    let report = block_on(
        catalog.optimize(schema, name, target, cli_holder(), &mut |p| match p.phase {
            OptimizePhase::Planned => {
                bar.set_length(p.files_total);
                bar.set_message("rewriting");
            }
            OptimizePhase::Rewriting => bar.set_position(p.files_done),
            OptimizePhase::Committing => bar.set_message("committing"),
            OptimizePhase::Done => {}
        }),
    );
    bar.finish_and_clear();
    let report = report?;
    let elapsed = started.elapsed();
    let message = if report.committed {
        format!(
            "optimized {schema}.{name} in {:.1}s: {} files -> {} ({} small files, {} rows, {} bytes rewritten into {} files of {} bytes; snapshot {}{}{})",
            elapsed.as_secs_f64(),
            report.files_before,
            report.files_after,
            report.rewritten_files,
            report.rows,
            report.bytes_before,
            report.written_files,
            report.bytes_after,
            report.snapshot_id,
            if report.retries > 0 {
                ", re-based over INSERTs that landed meanwhile"
            } else {
                ""
            },
            if report.skipped_files > 0 {
                format!("; {} registered files left as they are", report.skipped_files)
            } else {
                String::new()
            }
        )
    } else {
        format!(
            "{schema}.{name} has nothing to compact ({} files; fewer than two that zkarrow wrote are below {target_file_size}{}): snapshot {} stays",
            report.files_before,
            if report.skipped_files > 0 {
                format!("; {} registered files are never rewritten", report.skipped_files)
            } else {
                String::new()
            },
            report.snapshot_id
        )
    };
    let mut json = serde_json::json!(report);
    if let Some(fields) = json.as_object_mut() {
        fields.insert("elapsed_ms".into(), (elapsed.as_millis() as u64).into());
    }
    done(cli.json, &message, json);
    Ok(())
}

fn show(cli: &Cli, schema: &str, name: &str, snapshots: bool, files: bool) -> Result<()> {
    let catalog = open(cli)?;
    let record = block_on(catalog.get_table(schema, name))?
        .ok_or_else(|| err!(TableNotFound, "table '{schema}.{name}' does not exist"))?;
    if snapshots {
        let history = block_on(catalog.snapshots(schema, name))?;
        let rows = history
            .iter()
            .map(|s| {
                vec![
                    s.snapshot_id.to_string(),
                    s.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                    millis_to_text(s.committed_at_ms),
                    s.operation.clone(),
                    format!("+{}/-{}", s.summary.added_rows, s.summary.removed_rows),
                    s.total_rows.to_string(),
                    s.query_id.clone().unwrap_or_default(),
                ]
            })
            .collect();
        table(
            cli.json,
            &history,
            &[
                "snapshot",
                "parent",
                "committed",
                "operation",
                "rows +/-",
                "rows",
                "query",
            ],
            rows,
        );
    } else if files {
        let data_files = block_on(catalog.files_at(&record, None))?;
        let rows = data_files
            .iter()
            .map(|f| vec![f.path.clone(), f.rows.to_string(), f.bytes.to_string()])
            .collect();
        table(cli.json, &data_files, &["path", "rows", "bytes"], rows);
    } else {
        let rows = record
            .columns
            .iter()
            .map(|c| vec![c.name.clone(), c.presto_type.clone()])
            .collect();
        if !cli.json {
            let current = block_on(catalog.current_manifest(&record))?;
            let totals = current.totals();
            println!(
                "{}.{}  snapshot {} (layout format {})  {} rows in {} files, {} bytes  at {}{}",
                record.schema,
                record.name,
                record.current_snapshot_id,
                current.format_version,
                totals.rows,
                totals.files,
                totals.bytes,
                record.location,
                if record.external {
                    "  (registered)"
                } else {
                    ""
                }
            );
        }
        table(cli.json, &record, &["column", "type"], rows);
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zkarrow: {}", e.message);
            ExitCode::from(match e.code {
                zkarrow_core::ErrorCode::ZookeeperUnavailable => 3,
                zkarrow_core::ErrorCode::InvalidArgument
                | zkarrow_core::ErrorCode::InvalidConfig => 2,
                _ => 1,
            })
        }
    }
}
