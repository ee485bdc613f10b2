//! Snapshot manifests as files in the table's metadata directory. Each manifest gets a name no
//! other writer can pick (`snap-<id>-<uuid>.json`): two writers racing for the same snapshot id
//! never overwrite each other's manifest, and only the one the table record names is live. A
//! manifest is written under a temporary name, synced, renamed, and its directory synced, so a
//! reader never sees half of one and a power loss never leaves the record naming a lost one.

use std::io::Write;
use std::path::Path;

use crate::storage::records::Manifest;
use crate::{err, Result};

/// Writes `manifest` and returns its file name (what the table record points at).
pub fn write(metadata_dir: &Path, manifest: &Manifest) -> Result<String> {
    let mut existing = metadata_dir;
    while !existing.is_dir() {
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    std::fs::create_dir_all(metadata_dir).map_err(|e| {
        err!(
            IoError,
            "cannot create '{}': {e}; check that zkarrow.warehouse is writable",
            metadata_dir.display()
        )
    })?;
    // directories made here must survive a power loss too: sync each new entry's parent
    let mut made = metadata_dir;
    while made != existing {
        let parent = made.parent().unwrap_or(existing);
        sync_dir(parent)?;
        made = parent;
    }
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("snap-{}-{}.json", manifest.snapshot_id, &unique[..12]);
    let path = metadata_dir.join(&name);
    let tmp = metadata_dir.join(format!(".{name}.tmp"));
    let bytes = serde_json::to_vec(manifest)
        .map_err(|e| err!(Internal, "cannot serialize a manifest: {e}"))?;
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(&bytes)?;
        f.sync_all()
    });
    written.map_err(|e| err!(IoError, "cannot write '{}': {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path)
        .map_err(|e| err!(IoError, "cannot write '{}': {e}", path.display()))?;
    sync_dir(metadata_dir)?;
    Ok(name)
}

/// Makes a directory's entries durable (the rename of a file into it, a new subdirectory).
pub fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| err!(IoError, "cannot sync directory '{}': {e}", dir.display()))
}

pub fn read(metadata_dir: &Path, name: &str) -> Result<Manifest> {
    let path = metadata_dir.join(name);
    let bytes = std::fs::read(&path).map_err(|e| {
        err!(
            IoError,
            "cannot read snapshot manifest '{}': {e}; is the warehouse mounted on this node?",
            path.display()
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        err!(
            CorruptMetadata,
            "snapshot manifest '{}' is corrupt: {e}",
            path.display()
        )
    })
}
