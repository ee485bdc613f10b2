//! Bytes fetched from object storage by scans of a table's data files (issue 12): each data file
//! of a table written to S3, read whole with `BatchRangeReader` (what a Presto split does) with a
//! projection of one column and of every column, against the same files (byte for byte) on the
//! local file system. Prints one line per file and a total:
//!
//! - the object's size;
//! - bytes and requests fetched (`object::fetched()`, what the core asked for) and the bytes that
//!   came over the wire (response bytes, HTTP headers included, counted by a loopback proxy in
//!   front of the server: what the client really transferred): for the one-column projection on
//!   the file's first open (the footer's tail is fetched and cached), again (footer cached), and
//!   for every column;
//! - milliseconds (median of the runs, straight to the server, footers cached) of the one-column
//!   and the all-column read from S3 and from the local copy (in the page cache).
//!
//! Environment (tests/bench/s3_scan.sh sets it; without OBJECT_READS_S3_DIR this prints how to
//! run it and exits): OBJECT_READS_S3_DIR (s3://bucket/key of a directory of data files),
//! OBJECT_READS_LOCAL_DIR (a local directory holding the same files under the same names: the
//! S3 server's own posix backend directory of that key),
//! OBJECT_READS_S3_ENDPOINT (http://127.0.0.1:PORT), ZKARROW_S3_ACCESS_KEY and
//! ZKARROW_S3_SECRET_KEY (tests/s3/s3-server.sh writes them), OBJECT_READS_COLUMN (the projected
//! column, default l_extendedprice), OBJECT_READS_RUNS (timed runs, default 3).

use std::hint::black_box;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use zkarrow_core::storage::arrow_file::{self, BatchRangeReader};
use zkarrow_core::storage::object::{self, Fetched, S3Settings};
use zkarrow_core::storage::store;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn required(name: &str) -> String {
    var(name).unwrap_or_else(|| panic!("object_reads: set {name} (tests/bench/s3_scan.sh does)"))
}

/// A loopback TCP proxy that counts the bytes the server sends back.
struct WireProxy {
    port: u16,
    received: Arc<AtomicU64>,
}

impl WireProxy {
    fn start(upstream: SocketAddr) -> WireProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy listens");
        let port = listener.local_addr().expect("proxy address").port();
        let received = Arc::new(AtomicU64::new(0));
        let counter = received.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                // small requests and replies must not wait for Nagle's algorithm
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (c, s) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                thread::spawn(move || relay(c, s, None));
                let counter = counter.clone();
                thread::spawn(move || relay(server, client, Some(counter)));
            }
        });
        WireProxy { port, received }
    }

    fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }
}

/// Copies `from` to `to` until either side closes, adding the bytes to `counter`.
fn relay(mut from: TcpStream, mut to: TcpStream, counter: Option<Arc<AtomicU64>>) {
    let mut buf = vec![0u8; 256 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(c) = &counter {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

fn settings(endpoint: String) -> S3Settings {
    S3Settings {
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        path_style: true,
        access_key: Some(required("ZKARROW_S3_ACCESS_KEY")),
        secret_key: Some(required("ZKARROW_S3_SECRET_KEY")),
        request_timeout: Duration::from_secs(60),
        max_retries: 3,
        ..S3Settings::default()
    }
}

/// Reads every record batch of `path` with `projection`: rows read.
fn scan(path: &Path, projection: &[usize]) -> u64 {
    let mut reader = BatchRangeReader::open(path, projection.to_vec(), 0, usize::MAX)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut rows = 0;
    while let Some(batch) = reader
        .next_batch()
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    {
        rows += batch.num_rows() as u64;
        black_box(batch);
    }
    rows
}

/// What one read fetched: core counters and wire bytes.
#[derive(Default, Clone, Copy)]
struct Cost {
    bytes: u64,
    requests: u64,
    wire: u64,
}

impl std::ops::AddAssign for Cost {
    fn add_assign(&mut self, o: Cost) {
        self.bytes += o.bytes;
        self.requests += o.requests;
        self.wire += o.wire;
    }
}

fn counted(proxy: &WireProxy, read: impl FnOnce()) -> Cost {
    let (before, wire) = (object::fetched(), proxy.received());
    read();
    let Fetched { requests, bytes } = object::fetched();
    Cost {
        bytes: bytes - before.bytes,
        requests: requests - before.requests,
        wire: proxy.received() - wire,
    }
}

/// Median milliseconds of `runs` calls of `read`.
fn timed(runs: usize, mut read: impl FnMut()) -> f64 {
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            read();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

/// One file's figures (sizes in bytes, times in ms).
#[derive(Default, Clone, Copy)]
struct Figures {
    size: u64,
    first: Cost,
    again: Cost,
    all: Cost,
    s3_one_ms: f64,
    s3_all_ms: f64,
    local_one_ms: f64,
    local_all_ms: f64,
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn pct(part: u64, whole: u64) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

fn print_line(name: &str, f: &Figures) {
    println!(
        "{:<18} {:>8.2} | {:>8.3} {:>5.1}% {:>5} {:>8.3} | {:>8.3} {:>5.1}% {:>5} | {:>8.2} {:>5} {:>8.2} | {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        name,
        mb(f.size),
        mb(f.first.bytes),
        pct(f.first.bytes, f.size),
        f.first.requests,
        mb(f.first.wire),
        mb(f.again.bytes),
        pct(f.again.bytes, f.size),
        f.again.requests,
        mb(f.all.bytes),
        f.all.requests,
        mb(f.all.wire),
        f.s3_one_ms,
        f.local_one_ms,
        f.s3_all_ms,
        f.local_all_ms,
    );
}

fn main() {
    let Some(s3_dir) = var("OBJECT_READS_S3_DIR") else {
        println!("object_reads: OBJECT_READS_S3_DIR is not set; tests/bench/s3_scan.sh runs this bench against a real S3 server");
        return;
    };
    let local_dir = PathBuf::from(required("OBJECT_READS_LOCAL_DIR"));
    let endpoint = required("OBJECT_READS_S3_ENDPOINT");
    let column = var("OBJECT_READS_COLUMN").unwrap_or_else(|| "l_extendedprice".into());
    let runs: usize = var("OBJECT_READS_RUNS").map_or(3, |r| r.parse().expect("OBJECT_READS_RUNS"));
    let s3_dir = PathBuf::from(s3_dir);
    let bucket = object::bucket_of(&s3_dir)
        .expect("OBJECT_READS_S3_DIR is s3://bucket/key")
        .to_string();
    let upstream: SocketAddr = endpoint
        .strip_prefix("http://")
        .expect("OBJECT_READS_S3_ENDPOINT is http://host:port")
        .trim_end_matches('/')
        .parse()
        .expect("OBJECT_READS_S3_ENDPOINT is http://IP:port");

    let proxy = WireProxy::start(upstream);
    let through_proxy = settings(format!("http://127.0.0.1:{}", proxy.port));
    let direct = settings(endpoint.clone());
    object::configure(std::slice::from_ref(&bucket), through_proxy);

    // the local files give the schema, so no object is touched before its first measured read
    let local_files = arrow_file::list_data_files(&local_dir).expect("local data files");
    let schema = arrow_file::open(&local_files[0], None)
        .expect("open a local data file")
        .schema();
    let one = vec![schema
        .index_of(&column)
        .unwrap_or_else(|_| panic!("no column {column} in {}", local_files[0].display()))];
    let all: Vec<usize> = (0..schema.fields().len()).collect();

    let objects = arrow_file::list_data_files(&s3_dir).expect("data objects");
    println!(
        "{} objects under {} ({} local files under {}), projection {column} (1 of {} columns) vs all; {runs} timed runs",
        objects.len(),
        s3_dir.display(),
        local_files.len(),
        local_dir.display(),
        all.len()
    );
    println!("fetched: bytes the core asked for (object::fetched); wire: response bytes on the socket, headers included");
    println!(
        "{:<18} {:>8} | {:^33} | {:^22} | {:^24} | {:^35}",
        "", "", "1 column, first open", "1 column, again", "all columns", "median ms"
    );
    println!(
        "{:<18} {:>8} | {:>8} {:>6} {:>5} {:>8} | {:>8} {:>6} {:>5} | {:>8} {:>5} {:>8} | {:>8} {:>8} {:>8} {:>8}",
        "file", "size MB", "fetch MB", "%", "reqs", "wire MB", "fetch MB", "%", "reqs", "fetch MB", "reqs", "wire MB",
        "s3 1col", "loc 1col", "s3 all", "loc all"
    );

    // bytes first, through the proxy
    let mut figures: Vec<(String, Figures, PathBuf)> = Vec::new();
    for path in &objects {
        let size = store::size(path).expect("object size");
        let mut f = Figures {
            size,
            ..Figures::default()
        };
        let mut rows = 0;
        f.first = counted(&proxy, || rows = scan(path, &one));
        f.again = counted(&proxy, || {
            scan(path, &one);
        });
        let mut all_rows = 0;
        f.all = counted(&proxy, || all_rows = scan(path, &all));
        assert_eq!(
            rows,
            all_rows,
            "{}: the projections read the same rows",
            path.display()
        );
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        figures.push((name, f, path.clone()));
    }

    // then the times, straight to the server, against the local copies of the same bytes
    object::configure(std::slice::from_ref(&bucket), direct);
    for (name, f, path) in figures.iter_mut() {
        let local = local_dir.join(&*name);
        assert!(
            local.is_file(),
            "no local copy {} of {}",
            local.display(),
            path.display()
        );
        f.s3_one_ms = timed(runs, || {
            scan(path, &one);
        });
        f.s3_all_ms = timed(runs, || {
            scan(path, &all);
        });
        f.local_one_ms = timed(runs, || {
            scan(&local, &one);
        });
        f.local_all_ms = timed(runs, || {
            scan(&local, &all);
        });
    }

    let mut total = Figures::default();
    for (i, (_, f, _)) in figures.iter().enumerate() {
        print_line(&format!("file {}", i + 1), f);
        total.size += f.size;
        total.first += f.first;
        total.again += f.again;
        total.all += f.all;
        total.s3_one_ms += f.s3_one_ms;
        total.s3_all_ms += f.s3_all_ms;
        total.local_one_ms += f.local_one_ms;
        total.local_all_ms += f.local_all_ms;
    }
    print_line("total", &total);
    for (i, (name, _, _)) in figures.iter().enumerate() {
        println!("file {}: {name}", i + 1);
    }
    println!(
        "throughput (all columns, object bytes / median time): s3 {:.0} MB/s, local {:.0} MB/s",
        mb(total.size) / (total.s3_all_ms / 1e3),
        mb(total.size) / (total.local_all_ms / 1e3)
    );
    let _ = io::stdout().flush();
}
