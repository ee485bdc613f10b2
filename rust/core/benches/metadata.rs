//! Metadata at scale (issue 9), against a real ZooKeeper that the bench starts itself (the test
//! support's `ZooKeeperServer`: `gradle zookeeperClasspath` must have run). Prints one table per
//! measurement:
//!
//! 1. streaming one-row appends into `bench.events` (3 columns) from several writers, each with
//!    its own `Catalog` (its own ZooKeeper session, like separate Presto nodes): planning of the
//!    current snapshot with its id passed (what Java sends on every query; median of several
//!    runs, from a separate reader catalog), commit latency p50/p99 of the 100 commits ending at
//!    each point, and the table's metadata directory (bytes, files, current snapshot manifest);
//!    then time travel by id to snapshot 1 and by timestamp, and `$snapshots`;
//! 2. format 1 (the layout before: every snapshot manifest holds every file, `parent_manifest`
//!    chains them) synthesized exactly as old main wrote it, with the same data file entries, at
//!    1 and N/10 appends (N appends is computed, not written: it is quadratic): metadata bytes,
//!    planning the current snapshot, and time travel to snapshot 1, which walks the whole chain:
//!    the cost old main paid on every query (it always walked the chain when given an id);
//! 3. `optimize` of the N one-row files into one, planning before and after;
//! 4. planning a synthetic table of 10^6 files (one data manifest written by
//!    `snapshot::write_next`, realistic statistics for 3 columns) in a fresh child process: time
//!    and peak resident memory (VmHWM of /proc/self/status: the process's high-water mark of
//!    resident pages: heap, code, stacks; before = after opening the catalog);
//! 5. `information_schema.columns` over 10^4 tables: `Catalog::table_records` and the
//!    `describe_tables` op on fresh catalogs (no cached record), against `get_table` one table
//!    after the other. The tables are one made by `create_table` and copies of its record
//!    created directly in ZooKeeper (pipelined creates), sharing its metadata directory.
//!
//! Scale (environment): `ZKARROW_BENCH_APPENDS` (10000; the points are 1, N/10 and N),
//! `ZKARROW_BENCH_WRITERS` (4), `ZKARROW_BENCH_FILES` (1000000), `ZKARROW_BENCH_TABLES` (10000),
//! `ZKARROW_BENCH_RUNS` (planning runs per median, 7). Run with `tests/bench/metadata.sh`, or
//! `cargo bench -p zkarrow-core --bench metadata` once `gradle zookeeperClasspath` has run.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::SchemaRef;
use futures::StreamExt;
use serde_json::{json, Value};
use zkarrow_core::catalog::commit::{CommitRequest, Operation};
use zkarrow_core::catalog::ddl::data_dir;
use zkarrow_core::catalog::snapshots::Version;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::config::CatalogConfig;
use zkarrow_core::runtime::block_on;
use zkarrow_core::storage::manifest;
use zkarrow_core::storage::records::{
    now_ms, ColumnSpec, DataFile, Manifest, SnapshotSummary, TableRecord,
};
use zkarrow_core::storage::snapshot::{self, Change};
use zkarrow_core::storage::stats::ColumnStats;
use zkarrow_core::storage::writer::{arrow_schema, TableWriter, WriterOptions};
use zkarrow_core::zk::lock::LockHolder;
use zookeeper_client as zk;

const ROOT: &str = "/zkarrow/bench";
const SCHEMA: &str = "bench";
/// Commits per latency window (the ones ending at each point).
const WINDOW: u64 = 100;
/// What the child process that plans the big table is told (see `child_plan`).
const CHILD_ENV: &str = "ZKARROW_BENCH_CHILD_PLAN";

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

struct Scale {
    appends: u64,
    writers: u64,
    files: u64,
    tables: u64,
    runs: usize,
}

impl Scale {
    fn from_env() -> Scale {
        Scale {
            appends: env_u64("ZKARROW_BENCH_APPENDS", 10_000).max(2),
            writers: env_u64("ZKARROW_BENCH_WRITERS", 4).max(1),
            files: env_u64("ZKARROW_BENCH_FILES", 1_000_000).max(1),
            tables: env_u64("ZKARROW_BENCH_TABLES", 10_000).max(1),
            runs: env_u64("ZKARROW_BENCH_RUNS", 7).max(1) as usize,
        }
    }

    /// The append counts measured: 1, N/10 and N.
    fn points(&self) -> Vec<u64> {
        let mut points = vec![1, (self.appends / 10).max(2), self.appends];
        points.dedup();
        points
    }
}

// ---------------------------------------------------------------------------------------------
// catalogs, tables, files

fn open_at(connect: &str, warehouse: &Path, node: Option<&str>) -> Catalog {
    let mut config = json!({ "connect": connect, "root": ROOT, "warehouse": warehouse });
    if let Some(node) = node {
        // a registered node, so that split planning hashes files onto nodes as in a cluster
        config["node"] = json!({
            "node_id": node,
            "host": "127.0.0.1",
            "http_address": format!("127.0.0.1:{}", 8080 + node.len()),
        });
    }
    let config = CatalogConfig::from_json(&config.to_string()).unwrap();
    block_on(Catalog::open(config)).unwrap()
}

fn table_columns() -> Vec<ColumnSpec> {
    [("id", "bigint"), ("name", "varchar"), ("price", "double")]
        .into_iter()
        .map(|(name, t)| ColumnSpec {
            name: name.into(),
            presto_type: t.into(),
            id: None,
        })
        .collect()
}

fn create_table(cat: &Catalog, schema: &str, table: &str, columns: &[ColumnSpec]) -> TableRecord {
    block_on(cat.create_table(schema, table, columns, &BTreeMap::new())).unwrap()
}

fn table_path(schema: &str, table: &str) -> String {
    format!("{ROOT}/schemas/{schema}/{table}")
}

/// Moves the table record to `record` directly (no lock, no version check): how the bench points
/// a table at metadata it wrote itself.
fn put_record(cat: &Catalog, record: &TableRecord) {
    let data = zkarrow_core::zk::session::to_json(record).unwrap();
    let path = table_path(&record.schema, &record.name);
    block_on(cat.zk().client().set_data(&path, &data, None)).unwrap();
}

/// The record as `cat` sees it once it names snapshot `snapshot_id` (its cache follows a watch).
fn wait_for_snapshot(cat: &Catalog, table: &str, snapshot_id: i64) -> TableRecord {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let record = block_on(cat.require_table(SCHEMA, table)).unwrap();
        if record.current_snapshot_id == snapshot_id {
            return record;
        }
        assert!(
            Instant::now() < deadline,
            "{table} stays at snapshot {} (expected {snapshot_id})",
            record.current_snapshot_id
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// One real one-row file of `bench.events`, written like a Presto page sink writes it.
fn one_row_file(dir: &Path, schema: &SchemaRef, prefix: &str, n: u64) -> DataFile {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![n as i64])),
        Arc::new(StringArray::from(vec![format!("customer-{:06}", n % 997)])),
        Arc::new(Float64Array::from(vec![(n % 10_000) as f64 / 100.0])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let options = WriterOptions {
        file_prefix: prefix.to_string(),
        ..WriterOptions::default()
    };
    let mut writer = TableWriter::new(dir, schema.clone(), options).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap().pop().unwrap()
}

// ---------------------------------------------------------------------------------------------
// measuring

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p / 100.0).round() as usize;
    sorted[i]
}

/// What `time_plan` measured: the median and the fastest run, and the number of splits.
struct Plan {
    median: Duration,
    min: Duration,
    splits: usize,
}

/// `plan_splits` of snapshot `snapshot_id` of `SCHEMA.table` as Java asks for it (all columns,
/// no predicate), `runs` times after a warm-up run.
fn time_plan(cat: &Catalog, table: &str, snapshot_id: i64, runs: usize) -> Plan {
    let plan = || block_on(cat.plan_splits(SCHEMA, table, Some(snapshot_id), None, &[], None));
    // one run first, untimed: the record and node list into this node's caches, as for a query
    // right after another
    plan().unwrap();
    let mut times = Vec::with_capacity(runs);
    let mut splits = 0;
    for _ in 0..runs {
        let t = Instant::now();
        splits = plan().unwrap().len();
        times.push(t.elapsed());
    }
    Plan {
        min: *times.iter().min().unwrap(),
        median: median(times),
        splits,
    }
}

fn time_median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.unwrap())
}

#[derive(Default, Clone, Copy)]
struct DirStats {
    files: u64,
    /// Sum of the file lengths.
    bytes: u64,
    /// Allocated blocks (what `du` counts).
    disk: u64,
    snapshots: u64,
    snapshot_bytes: u64,
    data_manifests: u64,
    data_manifest_bytes: u64,
    log_segments: u64,
    log_bytes: u64,
}

fn dir_stats(dir: &Path) -> DirStats {
    use std::os::unix::fs::MetadataExt;
    let mut s = DirStats::default();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if !meta.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        s.files += 1;
        s.bytes += meta.len();
        s.disk += meta.blocks() * 512;
        if name.starts_with("snap-") {
            s.snapshots += 1;
            s.snapshot_bytes += meta.len();
        } else if name.starts_with("manifest-") {
            s.data_manifests += 1;
            s.data_manifest_bytes += meta.len();
        } else if name.starts_with("log-") {
            s.log_segments += 1;
            s.log_bytes += meta.len();
        }
    }
    s
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// `VmHWM` and `VmRSS` of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

// ---------------------------------------------------------------------------------------------
// printing

/// The ZooKeeper version the test server runs, from its jar's name in the classpath.
fn zookeeper_version() -> String {
    let classpath = std::env::var("ZKARROW_ZK_CLASSPATH").ok().or_else(|| {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../build/zookeeper.classpath");
        std::fs::read_to_string(file).ok()
    });
    classpath
        .unwrap_or_default()
        .split(':')
        .filter_map(|jar| Path::new(jar.trim()).file_name()?.to_str())
        .find_map(|name| {
            let version = name.strip_prefix("zookeeper-")?.strip_suffix(".jar")?;
            version
                .starts_with(|c: char| c.is_ascii_digit())
                .then(|| version.to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

fn size(bytes: u64) -> String {
    let b = bytes as f64;
    if b < 1e3 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}

fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        return "-".into();
    }
    let r = a / b;
    if r >= 100.0 {
        format!("{r:.0}x")
    } else {
        format!("{r:.1}x")
    }
}

/// A plain-text table: the first column left-aligned, the others right-aligned.
fn print_table(title: &str, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        println!("  {}", parts.join("  ").trim_end());
    };
    println!("\n{title}");
    line(header.to_vec());
    let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
    println!("  {}", "-".repeat(total));
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn progress(what: &str) {
    eprintln!("[bench] {what}");
}

// ---------------------------------------------------------------------------------------------
// 1. streaming appends

struct Writer {
    cat: Catalog,
    node: String,
}

struct Sample {
    append: u64,
    latency: Duration,
    retries: u32,
}

struct Appends<'a> {
    writers: &'a [Writer],
    table: &'a TableRecord,
    schema: SchemaRef,
    data: PathBuf,
    issued: AtomicU64,
    samples: Mutex<Vec<Sample>>,
    /// Every appended file by append number (snapshot id - 1).
    files: Mutex<BTreeMap<u64, DataFile>>,
}

impl Appends<'_> {
    /// Appends one-row files from every writer at once until the table holds `upto` appends.
    fn run_until(&self, upto: u64) -> Duration {
        let started = Instant::now();
        std::thread::scope(|scope| {
            for w in self.writers {
                scope.spawn(move || loop {
                    let n = self.issued.fetch_add(1, Ordering::SeqCst);
                    if n >= upto {
                        return;
                    }
                    let file = one_row_file(&self.data, &self.schema, &w.node, n);
                    let request = CommitRequest {
                        schema: SCHEMA.into(),
                        table: self.table.name.clone(),
                        operation: Operation::Append,
                        files: vec![file.clone()],
                        removed_files: Vec::new(),
                        base_snapshot_id: None,
                        table_id: Some(self.table.id.clone()),
                        holder: LockHolder {
                            node: w.node.clone(),
                            query_id: Some(format!("{}-insert-{n}", w.node)),
                            since_ms: 0,
                        },
                        lock_timeout: Duration::from_secs(120),
                    };
                    let t = Instant::now();
                    let outcome = block_on(w.cat.commit(request)).unwrap();
                    let latency = t.elapsed();
                    let append = outcome.snapshot_id as u64 - 1;
                    self.samples.lock().unwrap().push(Sample {
                        append,
                        latency,
                        retries: outcome.retries,
                    });
                    self.files.lock().unwrap().insert(append, file);
                    if append.is_multiple_of(1000) {
                        progress(&format!("{append} appends"));
                    }
                });
            }
        });
        self.issued.store(upto, Ordering::SeqCst);
        started.elapsed()
    }

    /// Commit latencies of the `WINDOW` appends ending at `point` (the first `WINDOW` for points
    /// below it): p50, p99, max and the window itself.
    fn latencies(&self, point: u64) -> (Duration, Duration, (u64, u64), u32) {
        let end = point.max(WINDOW);
        let start = end.saturating_sub(WINDOW) + 1;
        let samples = self.samples.lock().unwrap();
        let in_window: Vec<&Sample> = samples
            .iter()
            .filter(|s| (start..=end).contains(&s.append))
            .collect();
        let mut lat: Vec<Duration> = in_window.iter().map(|s| s.latency).collect();
        lat.sort();
        let retries = in_window.iter().map(|s| s.retries).sum();
        let last = in_window.iter().map(|s| s.append).max().unwrap_or(end);
        (
            percentile(&lat, 50.0),
            percentile(&lat, 99.0),
            (start, last),
            retries,
        )
    }
}

struct Point {
    appends: u64,
    plan: Duration,
    plan_min: Duration,
    splits: usize,
    /// Time travel by id to snapshot 1 (the CREATE).
    travel: Duration,
    dir: DirStats,
    current_manifest: u64,
    phase: Duration,
    phase_commits: u64,
}

// ---------------------------------------------------------------------------------------------
// 2. format 1, as old main wrote it

struct Format1 {
    appends: u64,
    dir: DirStats,
    current_manifest: u64,
    plan: Duration,
    /// Time travel to snapshot 1: walks the whole chain, what old main did on every query.
    walk: Duration,
}

/// A table of `files.len()` one-file appends in format 1: snapshot 1 (the CREATE, no file), then
/// snapshot k + 1 holding the first k files inline, each manifest naming its parent, the record
/// (format 1, no totals) pointing at the newest.
fn synthesize_format1(cat: &Catalog, table: &str, files: &[DataFile]) -> TableRecord {
    let mut record = create_table(cat, SCHEMA, table, &table_columns());
    let dir = PathBuf::from(&record.metadata_location);
    // the format-2 CREATE snapshot goes: old main's snapshot 1 was format 1 too
    std::fs::remove_file(dir.join(&record.current_manifest)).unwrap();
    let mut parent: Option<(i64, String)> = None;
    for k in 0..=files.len() {
        let snapshot_id = k as i64 + 1;
        let (operation, summary, query_id) = match k {
            0 => ("create", SnapshotSummary::default(), None),
            _ => (
                "append",
                SnapshotSummary {
                    added_files: 1,
                    added_rows: files[k - 1].rows,
                    ..SnapshotSummary::default()
                },
                Some(format!("20250101_000000_{k:05}_bench")),
            ),
        };
        let m = Manifest {
            format_version: 1,
            table_id: record.id.clone(),
            snapshot_id,
            parent_snapshot_id: parent.as_ref().map(|p| p.0),
            parent_manifest: parent.as_ref().map(|p| p.1.clone()),
            committed_at_ms: now_ms(),
            operation: operation.into(),
            query_id,
            summary,
            files: files[..k].to_vec(),
            totals: None,
            manifests: Vec::new(),
            log: Vec::new(),
            recent_log: Vec::new(),
            legacy_parent: None,
            column_stats: None,
        };
        let name = manifest::write(&dir, &m).unwrap();
        parent = Some((snapshot_id, name));
    }
    let (id, name) = parent.unwrap();
    record.format_version = 1;
    record.current_snapshot_id = id;
    record.current_manifest = name;
    record.totals = None;
    put_record(cat, &record);
    record
}

/// Bytes format 1 would hold after every append of `files` (computed: the manifest of snapshot
/// k + 1 is the one of snapshot 2 plus k - 1 more entries and commas).
fn format1_bytes(files: &[DataFile], one_file_manifest: u64) -> u64 {
    let empty = one_file_manifest - serde_json::to_vec(&files[0]).unwrap().len() as u64;
    let mut total = empty; // snapshot 1
    let mut entries = 0u64;
    for (k, f) in files.iter().enumerate() {
        entries += serde_json::to_vec(f).unwrap().len() as u64 + u64::from(k > 0);
        total += empty + entries;
    }
    total
}

// ---------------------------------------------------------------------------------------------
// 4. a table of 10^6 files

/// `n` data files of about 64K rows each in 4 batches, with statistics for 3 columns, named as
/// Presto's page sink names them.
fn synthetic_files(data: &Path, n: u64) -> Vec<DataFile> {
    (0..n)
        .map(|i| {
            let rows = 60_000 + (i * 7919) % 8_000;
            let batch_rows = vec![rows / 4, rows / 4, rows / 4, rows - 3 * (rows / 4)];
            let id_bytes = rows * 8;
            let name_bytes = rows * 20;
            let price_bytes = rows * 8;
            let batch_bytes: Vec<u64> = batch_rows.iter().map(|r| r * 36 + 512).collect();
            let stats = |id: u32, nulls: u64, min: Value, max: Value, bytes: u64| ColumnStats {
                column_id: Some(id),
                null_count: nulls,
                min: Some(min),
                max: Some(max),
                bytes: Some(bytes),
                sketch: None,
            };
            let first = i * 65_536;
            let columns = BTreeMap::from([
                (
                    "id".to_string(),
                    stats(1, 0, json!(first), json!(first + rows - 1), id_bytes),
                ),
                (
                    "name".to_string(),
                    stats(
                        2,
                        i % 13,
                        json!(format!("customer-{:06}", i % 1000)),
                        json!(format!("customer-{:06}", 999_000 + i % 1000)),
                        name_bytes,
                    ),
                ),
                (
                    "price".to_string(),
                    stats(3, i % 7, json!(0.01), json!(9_999.99), price_bytes),
                ),
            ]);
            DataFile {
                path: data
                    .join(format!(
                        "20250101_{:06}_{:05}_bench-{:012x}.arrow",
                        i / 100_000,
                        i % 100_000,
                        i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16
                    ))
                    .to_string_lossy()
                    .to_string(),
                rows,
                bytes: batch_bytes.iter().sum::<u64>() + 1024,
                batch_rows,
                batch_bytes,
                columns,
                batch_columns: Default::default(),
            }
        })
        .collect()
}

/// The child process: opens the catalog, plans `SCHEMA.<table>` at its current snapshot three
/// times and prints its times and memory as one JSON line.
fn child_plan(spec: &str) {
    let spec: Value = serde_json::from_str(spec).unwrap();
    let warehouse = PathBuf::from(spec["warehouse"].as_str().unwrap());
    let cat = open_at(spec["connect"].as_str().unwrap(), &warehouse, None);
    let table = spec["table"].as_str().unwrap();
    let record = block_on(cat.require_table(SCHEMA, table)).unwrap();
    let (hwm_before, rss_before) = memory_kib();
    let mut times = Vec::new();
    let mut splits = 0;
    let mut hwm_first = 0;
    for run in 0..3 {
        let t = Instant::now();
        let planned = block_on(cat.plan_splits(
            SCHEMA,
            table,
            Some(record.current_snapshot_id),
            None,
            &[],
            None,
        ))
        .unwrap();
        times.push(t.elapsed());
        splits = planned.len();
        drop(planned);
        if run == 0 {
            hwm_first = memory_kib().0;
        }
    }
    let (hwm_after, rss_after) = memory_kib();
    println!(
        "{}",
        json!({
            "first_ms": times[0].as_secs_f64() * 1000.0,
            "median_ms": median(times).as_secs_f64() * 1000.0,
            "splits": splits,
            "hwm_before_kib": hwm_before,
            "rss_before_kib": rss_before,
            "hwm_first_kib": hwm_first,
            "hwm_after_kib": hwm_after,
            "rss_after_kib": rss_after,
        })
    );
}

// ---------------------------------------------------------------------------------------------

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        child_plan(&spec);
        return;
    }
    let scale = Scale::from_env();
    let began = Instant::now();
    let zk_server = support::ZooKeeperServer::start();
    let connect = zk_server.connect_string();
    let warehouse = tempfile::tempdir().unwrap();
    let wh = warehouse.path();
    let admin = open_at(&connect, wh, None);
    let reader = open_at(&connect, wh, Some("coordinator"));
    block_on(admin.create_schema(SCHEMA)).unwrap();

    println!(
        "zkarrow metadata benchmark (issue 9): ZooKeeper {} (one server, fsync on) at {connect}, warehouse {}, {} CPUs",
        zookeeper_version(),
        wh.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "scale: {} one-row appends from {} writers, {} synthetic files, {} tables; planning = median of {} runs (after one warm-up) of Catalog::plan_splits(current snapshot id passed, all columns, no predicate)",
        count(scale.appends),
        scale.writers,
        count(scale.files),
        count(scale.tables),
        scale.runs
    );

    // ---- 1. streaming appends
    let events = create_table(&admin, SCHEMA, "events", &table_columns());
    let specs: Vec<ColumnSpec> = events
        .columns
        .iter()
        .map(|c| ColumnSpec {
            name: c.name.clone(),
            presto_type: c.presto_type.clone(),
            id: Some(c.id),
        })
        .collect();
    let writers: Vec<Writer> = (0..scale.writers)
        .map(|w| {
            let node = format!("worker-{w}");
            Writer {
                cat: open_at(&connect, wh, Some(&node)),
                node,
            }
        })
        .collect();
    let appends = Appends {
        writers: &writers,
        table: &events,
        schema: arrow_schema(&specs).unwrap(),
        data: data_dir(&events.metadata_location),
        issued: AtomicU64::new(0),
        samples: Mutex::new(Vec::new()),
        files: Mutex::new(BTreeMap::new()),
    };
    let metadata = PathBuf::from(&events.metadata_location);
    let mut points = Vec::new();
    let mut done = 0;
    for &point in &scale.points() {
        progress(&format!("appending up to {point}"));
        let phase = appends.run_until(point);
        let record = wait_for_snapshot(&reader, "events", point as i64 + 1);
        let plan = time_plan(&reader, "events", record.current_snapshot_id, scale.runs);
        let travel = time_plan(&reader, "events", 1, scale.runs).median;
        points.push(Point {
            appends: point,
            plan: plan.median,
            plan_min: plan.min,
            splits: plan.splits,
            travel,
            dir: dir_stats(&metadata),
            current_manifest: file_len(&metadata.join(&record.current_manifest)),
            phase,
            phase_commits: point - done,
        });
        done = point;
    }
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            let (p50, p99, (from, to), retries) = appends.latencies(p.appends);
            vec![
                count(p.appends),
                count(p.appends + 1),
                ms(p.plan),
                ms(p.plan_min),
                count(p.splits as u64),
                ms(p50),
                ms(p99),
                format!("{from}-{to}"),
                retries.to_string(),
                format!(
                    "{:.0}",
                    p.phase_commits as f64 / p.phase.as_secs_f64().max(1e-9)
                ),
                size(p.dir.bytes),
                size(p.dir.disk),
                format!(
                    "{}/{}/{}",
                    p.dir.snapshots, p.dir.data_manifests, p.dir.log_segments
                ),
                size(p.current_manifest),
                size(p.dir.snapshot_bytes / p.dir.snapshots.max(1)),
            ]
        })
        .collect();
    print_table(
        &format!(
            "1. One-row appends into bench.events (3 columns), {} concurrent writers, each its own Catalog and ZooKeeper session; format 2",
            scale.writers
        ),
        &[
            "appends",
            "snapshot",
            "plan",
            "plan (min)",
            "splits",
            "commit p50",
            "commit p99",
            "window",
            "re-bases",
            "commits/s",
            "metadata",
            "du",
            "snap/manifest/log files",
            "current snapshot manifest",
            "mean snapshot manifest",
        ],
        &rows,
    );
    println!(
        "  commit latency: Catalog::commit of one one-row file (lock, record read, manifests written and synced, fenced record write), waiting for the table lock included; window = the appends (by snapshot order) whose latencies are taken"
    );
    let last = points.last().unwrap();
    let all_files: Vec<DataFile> = appends.files.lock().unwrap().values().cloned().collect();
    let data_bytes: u64 = all_files.iter().map(|f| f.bytes).sum();
    println!(
        "  after {} appends: metadata {} in {} files ({} per appended file), data {} in {} files",
        count(last.appends),
        size(last.dir.bytes),
        count(last.dir.files),
        size(last.dir.bytes / last.appends),
        size(data_bytes),
        count(all_files.len() as u64)
    );
    let d = &last.dir;
    println!(
        "  of which snapshot manifests {} ({} files), data manifests {} ({} files: one per append, plus size-tiered merges), log segments {} ({} files)",
        size(d.snapshot_bytes),
        count(d.snapshots),
        size(d.data_manifest_bytes),
        count(d.data_manifests),
        size(d.log_bytes),
        count(d.log_segments)
    );

    // time travel at the last point
    let n = scale.appends;
    let current = block_on(reader.require_table(SCHEMA, "events")).unwrap();
    let by_id = last.travel;
    let (snapshots_time, history) = time_median(scale.runs, || {
        block_on(reader.snapshots(SCHEMA, "events")).unwrap()
    });
    let first_append = history.iter().find(|e| e.snapshot_id == 2).unwrap();
    let middle = history
        .iter()
        .find(|e| e.snapshot_id == (n / 2) as i64 + 1)
        .unwrap();
    let travel = |millis: i64| {
        time_median(scale.runs, || {
            let id = block_on(reader.resolve_version(SCHEMA, "events", None, Some(millis), false))
                .unwrap();
            let splits =
                block_on(reader.plan_splits(SCHEMA, "events", Some(id), None, &[], None)).unwrap();
            (id, splits.len())
        })
    };
    let (by_time_first, (first_id, first_splits)) = travel(first_append.committed_at_ms);
    let (by_time_middle, (middle_id, middle_splits)) = travel(middle.committed_at_ms);
    let (resolve_id, _) = time_median(scale.runs, || {
        block_on(reader.resolve_version(SCHEMA, "events", Some(&Version::Id(1)), None, false))
            .unwrap()
    });
    print_table(
        &format!(
            "Time travel on bench.events at snapshot {} (format 2)",
            count(current.current_snapshot_id as u64)
        ),
        &["query", "time", "resolved snapshot", "splits"],
        &[
            vec![
                "FOR VERSION AS OF 1: resolve_version".into(),
                ms(resolve_id),
                "1".into(),
                "-".into(),
            ],
            vec![
                "FOR VERSION AS OF 1: plan_splits(snapshot 1)".into(),
                ms(by_id),
                "1".into(),
                "0".into(),
            ],
            vec![
                "FOR TIMESTAMP AS OF <1st append's commit>: resolve + plan".into(),
                ms(by_time_first),
                count(first_id as u64),
                count(first_splits as u64),
            ],
            vec![
                format!(
                    "FOR TIMESTAMP AS OF <{}th append's commit>: resolve + plan",
                    count(n / 2)
                ),
                ms(by_time_middle),
                count(middle_id as u64),
                count(middle_splits as u64),
            ],
            vec![
                "\"events$snapshots\" (whole history)".into(),
                ms(snapshots_time),
                format!("{} rows", count(history.len() as u64)),
                "-".into(),
            ],
        ],
    );

    // ---- 2. format 1
    let mid = points[points.len().min(2) - 1].appends.min(n);
    let mut format1 = Vec::new();
    for k in [1, mid] {
        progress(&format!("format 1: {k} appends"));
        let table = format!("old_{k}");
        let record = synthesize_format1(&admin, &table, &all_files[..k as usize]);
        let record = wait_for_snapshot(&reader, &table, record.current_snapshot_id);
        let dir = PathBuf::from(&record.metadata_location);
        let plan = time_plan(&reader, &table, record.current_snapshot_id, scale.runs).median;
        let walk = time_plan(&reader, &table, 1, scale.runs.min(3)).median;
        format1.push(Format1 {
            appends: k,
            dir: dir_stats(&dir),
            current_manifest: file_len(&dir.join(&record.current_manifest)),
            plan,
            walk,
        });
    }
    let one_file_manifest = format1[0].current_manifest;
    let f1_bytes_n = format1_bytes(&all_files, one_file_manifest);
    let f1_mid = format1.last().unwrap();
    let walk_n = f1_mid.walk.as_secs_f64() * f1_bytes_n as f64 / f1_mid.dir.bytes as f64;
    let f1_current_n = one_file_manifest
        + all_files[1..]
            .iter()
            .map(|f| serde_json::to_vec(f).unwrap().len() as u64 + 1)
            .sum::<u64>();
    let mut rows = Vec::new();
    for p in &points {
        rows.push(vec![
            "format 2 (now)".to_string(),
            count(p.appends),
            size(p.dir.bytes),
            count(p.dir.files),
            size(p.current_manifest),
            ms(p.plan),
            ms(p.travel),
        ]);
        if let Some(f) = format1.iter().find(|f| f.appends == p.appends) {
            rows.push(vec![
                "format 1 (old main)".to_string(),
                count(f.appends),
                size(f.dir.bytes),
                count(f.dir.files),
                size(f.current_manifest),
                ms(f.plan),
                ms(f.walk),
            ]);
        } else if p.appends == last.appends {
            rows.push(vec![
                "format 1 (computed)".to_string(),
                count(p.appends),
                format!("{} *", size(f1_bytes_n)),
                count(p.appends + 1),
                format!("{} *", size(f1_current_n)),
                "-".into(),
                format!("~{} *", ms(Duration::from_secs_f64(walk_n))),
            ]);
        }
    }
    print_table(
        "2. The same appends in format 1 (old main's layout, synthesized with the same file entries) against format 2",
        &[
            "layout",
            "appends",
            "metadata",
            "files",
            "current snapshot manifest",
            "plan current",
            "time travel to snapshot 1 = old main's every query",
        ],
        &rows,
    );
    println!(
        "  * computed, not written: format 1 holds every file in every snapshot manifest (bytes quadratic in appends); the chain walk is extrapolated from the {}-append table by bytes read",
        count(mid)
    );
    println!(
        "  old main planned every query by walking the chain (Java always sends the snapshot id): that is the time travel column of format 1"
    );
    let f2_mid = points.iter().find(|p| p.appends == mid).unwrap();
    println!(
        "  ratios at {} appends: metadata bytes format 1 / format 2 = {}; old main's per-query planning / format 2 planning = {}",
        count(mid),
        ratio(f1_mid.dir.bytes as f64, f2_mid.dir.bytes as f64),
        ratio(f1_mid.walk.as_secs_f64(), f2_mid.plan.as_secs_f64())
    );
    println!(
        "  ratios at {} appends (format 1 computed): metadata bytes = {}; per-query planning = {}",
        count(n),
        ratio(f1_bytes_n as f64, last.dir.bytes as f64),
        ratio(walk_n, last.plan.as_secs_f64())
    );

    // ---- 3. optimize
    progress("optimize");
    let Plan {
        median: before,
        splits: before_splits,
        ..
    } = time_plan(&reader, "events", current.current_snapshot_id, scale.runs);
    let t = Instant::now();
    let report = block_on(admin.optimize(
        SCHEMA,
        "events",
        128 << 20,
        LockHolder {
            node: "bench".into(),
            query_id: Some("optimize".into()),
            since_ms: 0,
        },
        &mut |_| {},
    ))
    .unwrap();
    let optimize_time = t.elapsed();
    let after_record = wait_for_snapshot(&reader, "events", report.snapshot_id);
    let Plan {
        median: after,
        splits: after_splits,
        ..
    } = time_plan(
        &reader,
        "events",
        after_record.current_snapshot_id,
        scale.runs,
    );
    let after_manifest = file_len(&metadata.join(&after_record.current_manifest));
    print_table(
        &format!(
            "3. optimize(bench.events, target 128MB): {} files into {} in {} ({} rows, {} -> {}), snapshot {} -> {}",
            count(report.rewritten_files),
            count(report.written_files),
            ms(optimize_time),
            count(report.rows),
            size(report.bytes_before),
            size(report.bytes_after),
            count(report.base_snapshot_id as u64),
            count(report.snapshot_id as u64)
        ),
        &["", "files", "plan", "splits", "current snapshot manifest"],
        &[
            vec![
                "before".into(),
                count(report.files_before),
                ms(before),
                count(before_splits as u64),
                size(last.current_manifest),
            ],
            vec![
                "after".into(),
                count(report.files_after),
                ms(after),
                count(after_splits as u64),
                size(after_manifest),
            ],
        ],
    );

    // ---- 4. 10^6 files
    progress(&format!("synthetic table of {} files", scale.files));
    let huge = create_table(&admin, SCHEMA, "huge", &table_columns());
    let huge_dir = PathBuf::from(&huge.metadata_location);
    let parent = manifest::read(&huge_dir, &huge.current_manifest).unwrap();
    let t = Instant::now();
    let files = synthetic_files(&data_dir(&huge.metadata_location), scale.files);
    let written = snapshot::write_next(
        &huge_dir,
        &huge.id,
        Some((&parent, &huge.current_manifest)),
        "overwrite",
        None,
        Change::Overwrite(files),
        &huge.columns,
    )
    .unwrap();
    let write_time = t.elapsed();
    let mut record = huge.clone();
    record.current_snapshot_id = written.manifest.snapshot_id;
    record.current_manifest = written.name.clone();
    record.totals = written.manifest.totals;
    put_record(&admin, &record);
    drop(written);
    let huge_stats = dir_stats(&huge_dir);
    let spec = json!({ "connect": connect, "warehouse": wh, "table": "huge" });
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env(CHILD_ENV, spec.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "the planning child failed");
    let child: Value = serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or("{}"),
    )
    .unwrap();
    let kib = |key: &str| child[key].as_u64().unwrap_or(0) * 1024;
    let child_ms = |key: &str| Duration::from_secs_f64(child[key].as_f64().unwrap_or(0.0) / 1000.0);
    print_table(
        &format!(
            "4. Planning a table of {} files (synthetic: one data manifest of {}, 3 columns with statistics, 4 batches per file; generated and written in {}), in a fresh process",
            count(scale.files),
            size(huge_stats.bytes - file_len(&huge_dir.join(&record.current_manifest))),
            ms(write_time)
        ),
        &[
            "plan (1st run)",
            "plan (median of 3)",
            "splits",
            "VmHWM before",
            "VmHWM after 1st plan",
            "VmHWM after 3",
            "VmRSS after",
        ],
        &[vec![
            ms(child_ms("first_ms")),
            ms(child_ms("median_ms")),
            count(child["splits"].as_u64().unwrap_or(0)),
            size(kib("hwm_before_kib")),
            size(kib("hwm_first_kib")),
            size(kib("hwm_after_kib")),
            size(kib("rss_after_kib")),
        ]],
    );
    println!(
        "  VmHWM: the child's peak resident set (heap, code, stacks, the ZooKeeper client), read from /proc/self/status after opening the catalog (before) and after planning; goal under 5 s and under 1 GB"
    );

    // ---- 5. 10^4 tables
    progress(&format!("{} tables", scale.tables));
    let schema = "many";
    block_on(admin.create_schema(schema)).unwrap();
    let wide: Vec<ColumnSpec> = (1..=8)
        .map(|i| ColumnSpec {
            name: format!("c{i}"),
            presto_type: if i % 2 == 1 { "bigint" } else { "varchar" }.into(),
            id: None,
        })
        .collect();
    let template = create_table(&admin, schema, "t00000", &wide);
    let t = Instant::now();
    let client = admin.zk().client();
    let options = admin.zk().create_options(zk::CreateMode::Persistent);
    let created: Vec<bool> = block_on(
        futures::stream::iter(1..scale.tables)
            .map(|i| {
                let mut r = template.clone();
                r.name = format!("t{i:05}");
                r.id = uuid::Uuid::new_v4().to_string();
                let data = zkarrow_core::zk::session::to_json(&r).unwrap();
                let path = table_path(schema, &r.name);
                let (client, options) = (&client, &options);
                async move { client.create(&path, &data, options).await.is_ok() }
            })
            .buffer_unordered(256)
            .collect(),
    );
    assert!(
        created.iter().all(|&ok| ok),
        "a table record was not created"
    );
    let create_time = t.elapsed();
    let fresh = || open_at(&connect, wh, None);
    let bulk = fresh();
    let t = Instant::now();
    let records = block_on(bulk.table_records(Some(schema))).unwrap();
    let bulk_time = t.elapsed();
    assert_eq!(records.len() as u64, scale.tables);
    let describe = fresh();
    let t = Instant::now();
    let answer = zkarrow_core::protocol::handle_json(
        &describe,
        &json!({"op": "describe_tables", "schema": schema}).to_string(),
    )
    .unwrap();
    let describe_time = t.elapsed();
    let described: Value = serde_json::from_str(&answer).unwrap();
    let described_tables = described["tables"].as_array().map_or(0, Vec::len);
    let column_rows: usize = described["tables"].as_array().map_or(0, |ts| {
        ts.iter()
            .map(|t| t["columns"].as_array().map_or(0, Vec::len))
            .sum()
    });
    let cached_time = {
        let t = Instant::now();
        zkarrow_core::protocol::handle_json(
            &describe,
            &json!({"op": "describe_tables", "schema": schema}).to_string(),
        )
        .unwrap();
        t.elapsed()
    };
    let sequential = fresh();
    let t = Instant::now();
    let names = block_on(sequential.list_tables(Some(schema))).unwrap();
    for name in &names {
        block_on(sequential.get_table(&name.schema, &name.table))
            .unwrap()
            .unwrap();
    }
    let sequential_time = t.elapsed();
    print_table(
        &format!(
            "5. information_schema.columns over {} tables of 8 columns (records made by pipelined creates in {}; fresh catalog per row: no cached record)",
            count(scale.tables),
            ms(create_time)
        ),
        &["call", "time", "tables", "column rows"],
        &[
            vec![
                "Catalog::table_records(schema)".into(),
                ms(bulk_time),
                count(records.len() as u64),
                "-".into(),
            ],
            vec![
                "describe_tables op (the native call of information_schema)".into(),
                ms(describe_time),
                count(described_tables as u64),
                count(column_rows as u64),
            ],
            vec![
                "describe_tables op again (records cached)".into(),
                ms(cached_time),
                count(described_tables as u64),
                count(column_rows as u64),
            ],
            vec![
                "list_tables + get_table one after the other".into(),
                ms(sequential_time),
                count(names.len() as u64),
                "-".into(),
            ],
        ],
    );
    println!(
        "  goal under 2 s; ratio one after the other / describe_tables = {}",
        ratio(sequential_time.as_secs_f64(), describe_time.as_secs_f64())
    );

    // ---- summary against the goals
    let first = &points[0];
    println!("\nGoals (issue 9)");
    println!(
        "  planning at {} appends / at 1: {} (goal within 1.5x; {} files vs 1); commit p50 at 1 / at {}: {} / {}",
        count(last.appends),
        ratio(last.plan.as_secs_f64(), first.plan.as_secs_f64()),
        count(last.appends),
        count(last.appends),
        ms(appends.latencies(first.appends).0),
        ms(appends.latencies(last.appends).0)
    );
    println!(
        "  planning after optimize (1 file, {} snapshots of history): {}; at 1 append (1 file, 2 snapshots): {}",
        count(report.snapshot_id as u64),
        ms(after),
        ms(first.plan)
    );
    println!(
        "  metadata after {} appends: {} ({} per file; format 1: {})",
        count(last.appends),
        size(last.dir.bytes),
        size(last.dir.bytes / last.appends),
        size(f1_bytes_n)
    );
    println!(
        "  {} files: plan {} (goal < 5 s), peak resident {} (goal < 1 GB)",
        count(scale.files),
        ms(child_ms("median_ms")),
        size(kib("hwm_after_kib"))
    );
    println!(
        "  information_schema.columns over {} tables: {} (goal < 2 s)",
        count(scale.tables),
        ms(describe_time)
    );
    println!(
        "  optimize of {} one-row files: {}; planning {} -> {}",
        count(report.rewritten_files),
        ms(optimize_time),
        ms(before),
        ms(after)
    );
    println!("  total bench time {}", ms(began.elapsed()));
    drop(zk_server);
}
