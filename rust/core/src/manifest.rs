//! Snapshot manifests as files in the table's metadata directory. Each manifest gets a name no
//! other writer can pick (`snap-<id>-<uuid>.json`): two writers racing for the same snapshot id
//! never overwrite each other's manifest, and only the one the table record names is live. A
//! manifest is written under a temporary name and renamed, so a reader never sees half of one.

use std::path::Path;

use crate::model::Manifest;
use crate::{err, Result};

/// Writes `manifest` and returns its file name (what the table record points at).
pub fn write(metadata_dir: &Path, manifest: &Manifest) -> Result<String> {
    std::fs::create_dir_all(metadata_dir).map_err(|e| {
        err!(
            IoError,
            "cannot create '{}': {e}; check that zkarrow.warehouse is writable",
            metadata_dir.display()
        )
    })?;
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("snap-{}-{}.json", manifest.snapshot_id, &unique[..12]);
    let path = metadata_dir.join(&name);
    let tmp = metadata_dir.join(format!(".{name}.tmp"));
    let bytes = serde_json::to_vec(manifest)
        .map_err(|e| err!(Internal, "cannot serialize a manifest: {e}"))?;
    std::fs::write(&tmp, bytes)
        .map_err(|e| err!(IoError, "cannot write '{}': {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path)
        .map_err(|e| err!(IoError, "cannot write '{}': {e}", path.display()))?;
    Ok(name)
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

pub fn remove_metadata_dir(metadata_dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(metadata_dir)
        .map_err(|e| err!(IoError, "cannot remove '{}': {e}", metadata_dir.display()))
}
