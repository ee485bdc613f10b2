//! Where a table's bytes live: the local file system, or an S3-compatible object store for
//! locations written `s3://bucket/key`. Every read, write, listing and delete of data files and
//! metadata files goes through these functions, so the layers above handle both alike; a local
//! path keeps the plain file system calls (and their fsyncs).
//!
//! The functions answer `std::io::Result`, as the file system does: an object that is not there
//! is `ErrorKind::NotFound`, a create-only write that finds one is `ErrorKind::AlreadyExists`, so
//! callers keep one error mapping for both.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

#[cfg(feature = "object-store")]
use crate::storage::object;

/// The scheme of object storage locations.
pub const OBJECT_SCHEME: &str = "s3://";

/// Whether `path` names an object in object storage (`s3://bucket/key`) rather than a local file.
pub fn is_object(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.starts_with(OBJECT_SCHEME))
}

/// What to check when `path` cannot be read at all, for an error message: the mount of a local
/// warehouse, or the object store's reachability (a local hint would mislead for `s3://`).
pub fn unreadable_hint(path: &Path) -> &'static str {
    if is_object(path) {
        "is the object store reachable from this node (zkarrow.s3.endpoint)?"
    } else {
        "is the warehouse mounted on this node?"
    }
}

/// An object storage location written one way: `s3://bucket/key` without a trailing `/`, no
/// empty, `.` or `..` segment (object keys are names, not paths: `..` is refused, never
/// resolved), so that locations compare by whole segments. The reason when it is not one.
pub fn normalize_object_location(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix(OBJECT_SCHEME)
        .ok_or("it does not start with s3://")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut segments = rest.split('/');
    let bucket = segments.next().unwrap_or_default();
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !bucket_ok {
        return Err(format!(
            "'{url}' does not name a bucket: write s3://<bucket>/<key prefix>, the bucket 3 to 63 lower-case letters, digits, '-' or '.'"
        ));
    }
    let bad = |s: &&str| s.is_empty() || *s == "." || *s == ".." || s.contains(['\\', '\0']);
    if let Some(segment) = segments.find(bad) {
        return Err(format!(
            "'{url}' has a key segment '{segment}': object locations may not hold empty, '.' or '..' segments"
        ));
    }
    Ok(format!("{OBJECT_SCHEME}{rest}"))
}

/// A file (or object) directly inside a directory (or key prefix).
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub bytes: u64,
    /// Last modification, milliseconds since the epoch (`i64::MAX` when unknown: never old
    /// enough for GC).
    pub modified_ms: i64,
}

#[cfg(not(feature = "object-store"))]
fn unsupported(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "'{}' is in object storage, which this build of zkarrow cannot reach",
            path.display()
        ),
    )
}

/// Calls `$object` for an object storage path, `$local` for a local one.
macro_rules! dispatch {
    ($path:expr, $object:expr, $local:expr) => {{
        if is_object($path) {
            #[cfg(feature = "object-store")]
            {
                $object
            }
            #[cfg(not(feature = "object-store"))]
            {
                Err(unsupported($path))
            }
        } else {
            $local
        }
    }};
}

/// The whole content of a (small) file: metadata files.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    dispatch!(path, object::read(path), std::fs::read(path))
}

/// Writes a new file that no reader may see half-written and that never replaces another:
/// locally a temporary file, fsync and rename (names are unique, so nothing is replaced); in
/// object storage one create-only put (`If-None-Match: *`), which fails with `AlreadyExists`.
/// Locally, the caller syncs the directory once after writing all files of a commit.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    dispatch!(path, object::write_new(path, bytes), {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = path.with_file_name(format!(".{name}.tmp"));
        let written = File::create(&tmp).and_then(|mut f| {
            io::Write::write_all(&mut f, bytes)?;
            f.sync_all()
        });
        match written.and_then(|()| std::fs::rename(&tmp, path)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    })
}

/// Makes a directory (and its parents) exist, each made one synced so that it survives a power
/// loss. Object storage has no directories: nothing to do.
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    if is_object(dir) {
        return Ok(());
    }
    let mut existing = dir;
    while !existing.is_dir() {
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    if existing == dir {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    let mut made = dir;
    while made != existing {
        let parent = made.parent().unwrap_or(existing);
        sync_dir(parent)?;
        made = parent;
    }
    Ok(())
}

/// Makes a directory's entries durable (renames into it, new subdirectories). An object store
/// makes each put durable by itself: nothing to do.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    if is_object(dir) {
        return Ok(());
    }
    File::open(dir).and_then(|d| d.sync_all())
}

/// The files directly inside `dir` (not recursive, no subdirectories), in no particular order;
/// `NotFound` when the directory does not exist (an object prefix always "exists": empty).
pub fn list(dir: &Path) -> io::Result<Vec<Entry>> {
    dispatch!(dir, object::list(dir), {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if !meta.is_file() {
                continue;
            }
            let modified_ms = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(i64::MAX, |d| d.as_millis() as i64);
            out.push(Entry {
                name: entry.file_name().to_string_lossy().into_owned(),
                bytes: meta.len(),
                modified_ms,
            });
        }
        Ok(out)
    })
}

/// Whether `dir` is absent or holds nothing (files or subdirectories).
pub fn is_absent_or_empty(dir: &Path) -> io::Result<bool> {
    dispatch!(dir, object::is_empty_prefix(dir), {
        match std::fs::read_dir(dir) {
            Ok(mut entries) => Ok(entries.next().is_none()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(false),
            Err(e) => Err(e),
        }
    })
}

/// Deletes a file; `Ok(false)` when it was not there.
pub fn remove_file(path: &Path) -> io::Result<bool> {
    let removed = dispatch!(path, object::remove(path), std::fs::remove_file(path));
    match removed {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Removes a directory when it is empty (a no-op otherwise, and in object storage, which has
/// no directories).
pub fn remove_dir_if_empty(dir: &Path) {
    if !is_object(dir) {
        let _ = std::fs::remove_dir(dir);
    }
}

/// The size of a file in bytes.
pub fn size(path: &Path) -> io::Result<u64> {
    dispatch!(
        path,
        object::size(path),
        std::fs::metadata(path).map(|m| m.len())
    )
}

/// Whether `path` is a file (an object) that exists; `false` for a directory.
pub fn is_file(path: &Path) -> io::Result<bool> {
    let found = dispatch!(path, object::size(path).map(|_| true), {
        std::fs::metadata(path).map(|m| m.is_file())
    });
    match found {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        other => other,
    }
}

/// Where a file headed for `dir` is written first: next to it under a hidden name for a local
/// directory (renamed in place by [`publish`]), or in the local spool directory for an object
/// store (uploaded by [`publish`]).
pub fn staging_path(dir: &Path, name: &str) -> io::Result<PathBuf> {
    if !is_object(dir) {
        return Ok(dir.join(format!(".{name}.tmp")));
    }
    let spool = std::env::temp_dir().join("zkarrow-spool");
    std::fs::create_dir_all(&spool)?;
    Ok(spool.join(format!("{}-{name}.tmp", std::process::id())))
}

/// Makes the finished file `staged` (from [`staging_path`]) appear at `path`: a rename for a
/// local file (the caller synced it and syncs the directory), an upload for an object store
/// (multipart for a large file), after which the staged copy is deleted. A failed upload leaves
/// no object behind.
pub fn publish(staged: &Path, path: &Path) -> io::Result<()> {
    dispatch!(
        path,
        {
            let uploaded = object::upload(staged, path);
            let _ = std::fs::remove_file(staged);
            uploaded
        },
        std::fs::rename(staged, path)
    )
}

/// A file opened for reads at offsets.
pub fn open(path: &Path) -> io::Result<StoredFile> {
    dispatch!(
        path,
        object::ObjectFile::open(path).map(StoredFile::Object),
        File::open(path).map(StoredFile::Local)
    )
}

/// Reads at offsets, the way [`crate::storage::arrow_file`] reads files: a local file, an object
/// (where each read is a request, so several ranges go out at once), or any `Read + Seek`.
pub trait ByteSource {
    /// The size in bytes.
    fn size(&mut self) -> io::Result<u64>;

    /// Whether each read is a round trip worth batching (object storage).
    fn is_remote(&self) -> bool {
        false
    }

    /// Fills `buf` with the bytes at `offset`.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<()>;

    /// Fills each buffer with the bytes at its offset; sources with latency fetch them
    /// concurrently.
    fn read_ranges(&mut self, ranges: &mut [(u64, &mut [u8])]) -> io::Result<()> {
        for (offset, buf) in ranges.iter_mut() {
            self.read_at(*offset, buf)?;
        }
        Ok(())
    }
}

impl<T: Read + Seek> ByteSource for T {
    fn size(&mut self) -> io::Result<u64> {
        self.seek(SeekFrom::End(0))
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.seek(SeekFrom::Start(offset))?;
        self.read_exact(buf)
    }
}

/// A file of a table: local or an object.
pub enum StoredFile {
    Local(File),
    #[cfg(feature = "object-store")]
    Object(object::ObjectFile),
}

impl ByteSource for StoredFile {
    fn is_remote(&self) -> bool {
        !matches!(self, StoredFile::Local(_))
    }

    fn size(&mut self) -> io::Result<u64> {
        match self {
            StoredFile::Local(f) => f.size(),
            #[cfg(feature = "object-store")]
            StoredFile::Object(o) => Ok(o.size()),
        }
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        match self {
            StoredFile::Local(f) => f.read_at(offset, buf),
            #[cfg(feature = "object-store")]
            StoredFile::Object(o) => o.read_ranges(&mut [(offset, buf)]),
        }
    }

    fn read_ranges(&mut self, ranges: &mut [(u64, &mut [u8])]) -> io::Result<()> {
        match self {
            StoredFile::Local(f) => {
                for (offset, buf) in ranges.iter_mut() {
                    f.read_at(*offset, buf)?;
                }
                Ok(())
            }
            #[cfg(feature = "object-store")]
            StoredFile::Object(o) => o.read_ranges(ranges),
        }
    }
}
