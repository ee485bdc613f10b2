//! S3-compatible object storage through the `object_store` crate: the object side of
//! [`crate::storage::store`]. One client per bucket, built from the settings the catalog gives
//! ([`configure`]); requests run on their own small runtime, so a synchronous caller (a JNI thread,
//! or a catalog future that reads a manifest) can wait for them anywhere.
//!
//! Reads of a data file fetch its tail (footer) once per node and keep it in a small cache, then
//! only the byte ranges asked for, several at once.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{
    ClientOptions, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutMode, PutOptions,
    PutPayload, RetryConfig, WriteMultipart,
};
use once_cell::sync::Lazy;

use crate::storage::store::{Entry, OBJECT_SCHEME};

/// How an object store is reached: the catalog's `zkarrow.s3.*` properties. Keys are never
/// shown: `Debug` leaves them out.
#[derive(Clone, Default, PartialEq)]
pub struct S3Settings {
    /// `http(s)://host:port` of an S3-compatible server; none: AWS S3 of `region`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Path-style requests (`endpoint/bucket/key`), as most S3-compatible servers want.
    pub path_style: bool,
    /// Static keys; none: the environment (AWS_ACCESS_KEY_ID, ...), web identity or the
    /// instance profile, as the AWS SDKs look for them.
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub session_token: Option<String>,
    /// A PEM file of CA certificates to trust besides the system's (a private CA).
    pub ca_file: Option<String>,
    /// Per-request timeout; a store that does not answer fails the statement after it.
    pub request_timeout: Duration,
    /// Retries of a failed request (with backoff) before the statement fails.
    pub max_retries: usize,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("path_style", &self.path_style)
            .field("static_keys", &self.access_key.is_some())
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// How each bucket is reached, and how a bucket no catalog named is reached (the settings of
/// the catalog opened last).
#[derive(Default)]
struct Registry {
    by_bucket: HashMap<String, S3Settings>,
    default: Option<S3Settings>,
    clients: HashMap<String, Arc<dyn ObjectStore>>,
}

static REGISTRY: Lazy<Mutex<Registry>> = Lazy::new(Default::default);

/// Sets how `buckets` (the buckets of a catalog's warehouse and allowed roots) are reached, and
/// any other bucket until another catalog says otherwise. Two catalogs of one process that name
/// the same bucket reach it one way: the one opened last decides.
pub fn configure(buckets: &[String], settings: S3Settings) {
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    for bucket in buckets {
        if registry.by_bucket.get(bucket) != Some(&settings) {
            registry.clients.remove(bucket);
            registry.by_bucket.insert(bucket.clone(), settings.clone());
        }
    }
    if registry.default.as_ref() != Some(&settings) {
        registry.default = Some(settings);
        // clients of unnamed buckets were built with the old default
        let named: Vec<String> = registry.by_bucket.keys().cloned().collect();
        registry.clients.retain(|bucket, _| named.contains(bucket));
    }
}

/// The bucket of an `s3://bucket/key` location.
pub fn bucket_of(location: &Path) -> Option<&str> {
    let url = location.to_str()?.strip_prefix(OBJECT_SCHEME)?;
    Some(url.split('/').next().unwrap_or(url))
}

/// Requests and bytes fetched from object storage by this process, for benchmarks and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fetched {
    pub requests: u64,
    pub bytes: u64,
}

static REQUESTS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

pub fn fetched() -> Fetched {
    Fetched {
        requests: REQUESTS.load(Ordering::Relaxed),
        bytes: BYTES.load(Ordering::Relaxed),
    }
}

fn count(bytes: u64) {
    REQUESTS.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(bytes, Ordering::Relaxed);
}

/// The runtime object requests run on (the catalog's runtime may be the caller).
static RUNTIME: Lazy<tokio::runtime::Runtime> = Lazy::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("zkarrow-object-io")
        .enable_all()
        .build()
        .expect("zkarrow cannot start its object storage runtime")
});

/// Runs `future` on the object runtime and waits for it from any thread, inside a runtime or not.
fn wait<T: Send + 'static>(
    future: impl Future<Output = io::Result<T>> + Send + 'static,
) -> io::Result<T> {
    let task = RUNTIME.spawn(future);
    futures::executor::block_on(task)
        .map_err(|e| io::Error::other(format!("an object storage request failed: {e}")))?
}

/// `s3://bucket/key` split into the bucket's client and the key.
fn locate(path: &Path) -> io::Result<(Arc<dyn ObjectStore>, Key, String)> {
    let url = path.to_str().unwrap_or_default();
    let rest = url.strip_prefix(OBJECT_SCHEME).unwrap_or(url);
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(invalid(url, "it names no bucket (s3://bucket/key)"));
    }
    let key = Key::parse(key.trim_end_matches('/'))
        .map_err(|e| invalid(url, &format!("its key is not a valid object key: {e}")))?;
    Ok((client(bucket)?, key, url.to_string()))
}

fn invalid(url: &str, why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("'{url}': {why}"))
}

fn client(bucket: &str) -> io::Result<Arc<dyn ObjectStore>> {
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = registry.clients.get(bucket) {
        return Ok(c.clone());
    }
    let s = registry
        .by_bucket
        .get(bucket)
        .or(registry.default.as_ref())
        .cloned()
        .unwrap_or_else(|| S3Settings {
            request_timeout: Duration::from_secs(30),
            max_retries: 3,
            ..S3Settings::default()
        });
    let mut options = ClientOptions::new()
        .with_timeout(s.request_timeout)
        .with_connect_timeout(Duration::from_secs(5));
    if let Some(ca) = &s.ca_file {
        let pem = std::fs::read(ca)
            .map_err(|e| io::Error::other(format!("cannot read zkarrow.s3.ca-file '{ca}': {e}")))?;
        let certs = object_store::Certificate::from_pem_bundle(&pem).map_err(|e| {
            io::Error::other(format!(
                "zkarrow.s3.ca-file '{ca}' holds no PEM certificate: {e}"
            ))
        })?;
        for cert in certs {
            options = options.with_root_certificate(cert);
        }
    }
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_virtual_hosted_style_request(!s.path_style)
        .with_retry(RetryConfig {
            max_retries: s.max_retries,
            retry_timeout: s.request_timeout,
            ..RetryConfig::default()
        });
    if let Some(endpoint) = &s.endpoint {
        options = options.with_allow_http(endpoint.starts_with("http://"));
        builder = builder.with_endpoint(endpoint);
    }
    builder = builder.with_client_options(options);
    if let Some(region) = &s.region {
        builder = builder.with_region(region);
    }
    if let (Some(key), Some(secret)) = (&s.access_key, &s.secret_key) {
        builder = builder
            .with_access_key_id(key)
            .with_secret_access_key(secret);
        if let Some(token) = &s.session_token {
            builder = builder.with_token(token);
        }
    }
    let store: Arc<dyn ObjectStore> = Arc::new(builder.build().map_err(|e| {
        io::Error::other(format!(
            "cannot set up object storage for bucket '{bucket}': {e}; check the zkarrow.s3.* catalog properties"
        ))
    })?);
    registry.clients.insert(bucket.to_string(), store.clone());
    Ok(store)
}

/// An object_store error as an I/O error of the same kind; messages name the URL, never keys.
fn io_error(url: &str, e: object_store::Error) -> io::Error {
    let kind = match &e {
        object_store::Error::NotFound { .. } => io::ErrorKind::NotFound,
        object_store::Error::AlreadyExists { .. } | object_store::Error::Precondition { .. } => {
            io::ErrorKind::AlreadyExists
        }
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, format!("object storage, '{url}': {e}"))
}

pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let (store, key, url) = locate(path)?;
    wait(async move {
        let got = store.get(&key).await.map_err(|e| io_error(&url, e))?;
        let bytes = got.bytes().await.map_err(|e| io_error(&url, e))?;
        count(bytes.len() as u64);
        Ok(bytes.to_vec())
    })
}

pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (store, key, url) = locate(path)?;
    let payload = PutPayload::from(bytes.to_vec());
    wait(async move {
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        store
            .put_opts(&key, payload, options)
            .await
            .map(|_| ())
            .map_err(|e| io_error(&url, e))
    })
}

/// Files larger than this are uploaded in parts of this size.
const PART: usize = 8 << 20;

/// Uploads local file `staged` as the object `path`: one put when small, else a multipart
/// upload, aborted on failure so that no part stays behind.
pub fn upload(staged: &Path, path: &Path) -> io::Result<()> {
    let (store, key, url) = locate(path)?;
    let mut file = std::fs::File::open(staged)?;
    let len = file.metadata()?.len();
    if len <= PART as u64 {
        let mut bytes = Vec::with_capacity(len as usize);
        file.read_to_end(&mut bytes)?;
        return wait(async move {
            store
                .put(&key, PutPayload::from(bytes))
                .await
                .map(|_| ())
                .map_err(|e| io_error(&url, e))
        });
    }
    wait(async move {
        let upload = store
            .put_multipart(&key)
            .await
            .map_err(|e| io_error(&url, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut chunk = vec![0u8; PART];
        let sent: io::Result<()> = async {
            loop {
                // at most a few parts in flight: a large file never sits in memory whole
                writer
                    .wait_for_capacity(4)
                    .await
                    .map_err(|e| io_error(&url, e))?;
                let n = read_full(&mut file, &mut chunk)?;
                if n == 0 {
                    return Ok(());
                }
                writer.put(Bytes::copy_from_slice(&chunk[..n]));
            }
        }
        .await;
        match sent {
            Ok(()) => writer
                .finish()
                .await
                .map(|_| ())
                .map_err(|e| io_error(&url, e)),
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
    })
}

/// Reads until `buf` is full or the file ends; the bytes read.
fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The objects directly under `dir` (its key followed by `/`).
pub fn list(dir: &Path) -> io::Result<Vec<Entry>> {
    let (store, key, url) = locate(dir)?;
    wait(async move {
        let listed = store
            .list_with_delimiter(Some(&key))
            .await
            .map_err(|e| io_error(&url, e))?;
        Ok(listed
            .objects
            .into_iter()
            .filter_map(|o| {
                Some(Entry {
                    name: o.location.filename()?.to_string(),
                    bytes: o.size,
                    modified_ms: o.last_modified.timestamp_millis(),
                })
            })
            .collect())
    })
}

/// Whether no object has a key under `dir/`.
pub fn is_empty_prefix(dir: &Path) -> io::Result<bool> {
    let (store, key, url) = locate(dir)?;
    wait(async move {
        let mut listed = store.list(Some(&key));
        match listed.next().await {
            None => Ok(true),
            Some(Ok(_)) => Ok(false),
            Some(Err(e)) => Err(io_error(&url, e)),
        }
    })
}

pub fn remove(path: &Path) -> io::Result<()> {
    let (store, key, url) = locate(path)?;
    // S3 answers a delete of a missing key with success: ask first, so callers can tell.
    let (s, k, u) = (store.clone(), key.clone(), url.clone());
    wait(async move { s.head(&k).await.map(|_| ()).map_err(|e| io_error(&u, e)) })?;
    wait(async move { store.delete(&key).await.map_err(|e| io_error(&url, e)) })
}

pub fn size(path: &Path) -> io::Result<u64> {
    let (store, key, url) = locate(path)?;
    wait(async move {
        let meta = store.head(&key).await.map_err(|e| io_error(&url, e))?;
        Ok(meta.size)
    })
}

/// Range requests of one read in flight at once.
const IN_FLIGHT: usize = 8;

/// The tail fetched when a data file is first opened: the footer of most files fits.
const TAIL: u64 = 64 << 10;
/// Tails kept per process (at most `TAIL` bytes each: 16 MiB).
const CACHED_TAILS: usize = 256;

/// What the first fetch of an object learned: its size, and its first and last bytes.
struct Known {
    size: u64,
    head: Bytes,
    tail: Bytes,
}

/// Data files are never changed once written (unique names), so a URL's tail stays valid.
static TAILS: Lazy<Mutex<Tails>> = Lazy::new(Default::default);

/// The cached tails by URL, and the URLs in the order they came (the oldest goes first).
#[derive(Default)]
struct Tails {
    by_url: HashMap<String, Arc<Known>>,
    order: VecDeque<String>,
}

fn cached(url: &str) -> Option<Arc<Known>> {
    TAILS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .by_url
        .get(url)
        .cloned()
}

fn remember(url: &str, known: Arc<Known>) {
    let mut guard = TAILS.lock().unwrap_or_else(|e| e.into_inner());
    let Tails { by_url: map, order } = &mut *guard;
    if map.insert(url.to_string(), known).is_none() {
        order.push_back(url.to_string());
        while order.len() > CACHED_TAILS {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }
}

/// A data file in object storage, read at offsets: reads inside its cached head or tail cost no
/// request; the others go out together.
pub struct ObjectFile {
    store: Arc<dyn ObjectStore>,
    key: Key,
    url: String,
    known: Arc<Known>,
}

impl ObjectFile {
    pub fn open(path: &Path) -> io::Result<ObjectFile> {
        let (store, key, url) = locate(path)?;
        let known = match cached(&url) {
            Some(k) => k,
            None => {
                let (s, k, u) = (store.clone(), key.clone(), url.clone());
                let known = wait(async move {
                    let options = GetOptions {
                        range: Some(GetRange::Suffix(TAIL)),
                        ..GetOptions::default()
                    };
                    let got = s.get_opts(&k, options).await.map_err(|e| io_error(&u, e))?;
                    let size = got.meta.size;
                    let tail = got.bytes().await.map_err(|e| io_error(&u, e))?;
                    count(tail.len() as u64);
                    let head = if size <= tail.len() as u64 {
                        tail.slice(..tail.len().min(16))
                    } else {
                        let head = s
                            .get_range(&k, 0..16.min(size))
                            .await
                            .map_err(|e| io_error(&u, e))?;
                        count(head.len() as u64);
                        head
                    };
                    Ok(Known { size, head, tail })
                })?;
                let known = Arc::new(known);
                remember(&url, known.clone());
                known
            }
        };
        Ok(ObjectFile {
            store,
            key,
            url,
            known,
        })
    }

    pub fn size(&self) -> u64 {
        self.known.size
    }

    /// The bytes at `range` when the head or tail holds them.
    fn known_bytes(&self, range: &Range<u64>) -> Option<&[u8]> {
        let k = &self.known;
        if range.end <= k.head.len() as u64 {
            return Some(&k.head[range.start as usize..range.end as usize]);
        }
        let tail_start = k.size - k.tail.len() as u64;
        if range.start >= tail_start && range.end <= k.size {
            return Some(
                &k.tail[(range.start - tail_start) as usize..(range.end - tail_start) as usize],
            );
        }
        None
    }

    pub fn read_ranges(&mut self, ranges: &mut [(u64, &mut [u8])]) -> io::Result<()> {
        let mut fetch = Vec::new();
        for (i, (offset, buf)) in ranges.iter_mut().enumerate() {
            let range = *offset..*offset + buf.len() as u64;
            if range.end > self.known.size {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "'{}' has {} bytes, {range:?} asked",
                        self.url, self.known.size
                    ),
                ));
            }
            match self.known_bytes(&range) {
                Some(bytes) => buf.copy_from_slice(bytes),
                None if range.is_empty() => {}
                None => fetch.push((i, range)),
            }
        }
        if fetch.is_empty() {
            return Ok(());
        }
        let wanted: Vec<Range<u64>> = fetch.iter().map(|(_, r)| r.clone()).collect();
        let (store, key, url) = (self.store.clone(), self.key.clone(), self.url.clone());
        // One request per range, several in flight. Not `get_ranges`: it merges ranges up to
        // 1 MiB apart, fetching the other columns' bytes between them; the caller has already
        // merged the ranges worth merging.
        let got = wait(async move {
            let requests = wanted.into_iter().map(|range| {
                let (store, key) = (store.clone(), key.clone());
                async move { store.get_range(&key, range).await }
            });
            let got: Vec<Bytes> = futures::stream::iter(requests)
                .buffered(IN_FLIGHT)
                .try_collect()
                .await
                .map_err(|e| io_error(&url, e))?;
            for bytes in &got {
                count(bytes.len() as u64);
            }
            Ok(got)
        })?;
        for ((i, range), bytes) in fetch.into_iter().zip(got) {
            if bytes.len() as u64 != range.end - range.start {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "'{}' answered {} bytes for {range:?}",
                        self.url,
                        bytes.len()
                    ),
                ));
            }
            ranges[i].1.copy_from_slice(&bytes);
        }
        Ok(())
    }
}
