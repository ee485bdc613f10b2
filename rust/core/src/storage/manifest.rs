//! Metadata files in a table's metadata directory: snapshot manifests (`snap-<id>-<uuid>.json`),
//! data manifests (`manifest-<uuid>.json`) and snapshot log segments (`log-<uuid>.json`). Each
//! gets a name no other writer can pick, so writers racing for the same snapshot never overwrite
//! each other's files, and is never changed once written. A file is written under a temporary
//! name, synced and renamed (in object storage: one create-only put), and the directory is synced before the table record names it, so a
//! reader never sees half of one and a power loss never leaves the record naming a lost one.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::storage::records::Manifest;
use crate::storage::store;
use crate::{err, Result};

/// Creates the metadata directory (and syncs every directory made on the way, so that it
/// survives a power loss too). Nothing to do in object storage.
pub fn ensure_dir(metadata_dir: &Path) -> Result<()> {
    store::ensure_dir(metadata_dir).map_err(|e| {
        err!(
            IoError,
            "cannot create '{}': {e}; check that zkarrow.warehouse is writable",
            metadata_dir.display()
        )
    })
}

/// A file name no other writer picks: `<prefix>-<12 hex digits>.json`.
pub fn unique_name(prefix: &str) -> String {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}.json", &unique[..12])
}

/// Writes `value` as `dir/name`, never half-visible and never over another file (temporary
/// file, fsync, rename; in object storage a create-only put). The caller syncs the directory
/// once after writing all files of a commit.
pub fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<()> {
    let path = dir.join(name);
    let bytes = serde_json::to_vec(value)
        .map_err(|e| err!(Internal, "cannot serialize '{}': {e}", path.display()))?;
    store::write_new(&path, &bytes)
        .map_err(|e| err!(IoError, "cannot write '{}': {e}", path.display()))
}

/// True for a name zkarrow gives a metadata file: one plain file name, never a path. Names read
/// from metadata files are checked with it before they are read or deleted, so a tampered
/// manifest cannot point outside its table's metadata directory.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

pub fn read_json<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<T> {
    if !is_plain_name(name) {
        return Err(err!(
            CorruptMetadata,
            "a metadata file of '{}' names '{name}', which is not a file of that directory",
            dir.display()
        ));
    }
    let path = dir.join(name);
    let bytes = store::read(&path).map_err(|e| {
        err!(
            IoError,
            "cannot read metadata file '{}': {e}; {}",
            path.display(),
            store::unreadable_hint(&path)
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        err!(
            CorruptMetadata,
            "metadata file '{}' is corrupt: {e}",
            path.display()
        )
    })
}

/// Writes a snapshot manifest with its own unique name and syncs the directory; returns the
/// name (what the table record points at).
pub fn write(metadata_dir: &Path, manifest: &Manifest) -> Result<String> {
    ensure_dir(metadata_dir)?;
    let name = unique_name(&format!("snap-{}", manifest.snapshot_id));
    write_json(metadata_dir, &name, manifest)?;
    sync_dir(metadata_dir)?;
    Ok(name)
}

/// Makes a directory's entries durable (the rename of a file into it, a new subdirectory).
pub fn sync_dir(dir: &Path) -> Result<()> {
    store::sync_dir(dir)
        .map_err(|e| err!(IoError, "cannot sync directory '{}': {e}", dir.display()))
}

/// Whether metadata file `name` is still in `dir` (expiry removes snapshot manifests).
pub fn exists(dir: &Path, name: &str) -> Result<bool> {
    let path = dir.join(name);
    store::is_file(&path).map_err(|e| {
        err!(
            IoError,
            "cannot read metadata file '{}': {e}; is the warehouse reachable from this node?",
            path.display()
        )
    })
}

/// Reads a snapshot manifest.
pub fn read(metadata_dir: &Path, name: &str) -> Result<Manifest> {
    read_json(metadata_dir, name)
}
