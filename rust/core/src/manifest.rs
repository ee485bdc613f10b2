//! Snapshot manifests as files: `<metadata dir>/snap-<id>.json`, written to a temporary name and
//! renamed so that a reader never sees half a manifest.

use std::path::{Path, PathBuf};

use crate::model::Manifest;
use crate::{err, Result};

pub fn manifest_path(metadata_dir: &Path, snapshot_id: i64) -> PathBuf {
    metadata_dir.join(format!("snap-{snapshot_id}.json"))
}

pub fn write(metadata_dir: &Path, manifest: &Manifest) -> Result<PathBuf> {
    std::fs::create_dir_all(metadata_dir)
        .map_err(|e| err!(IoError, "cannot create '{}': {e}; check zkarrow.warehouse is writable", metadata_dir.display()))?;
    let path = manifest_path(metadata_dir, manifest.snapshot_id);
    let tmp = metadata_dir.join(format!(".snap-{}.json.{}", manifest.snapshot_id, uuid::Uuid::new_v4()));
    let bytes = serde_json::to_vec(manifest).map_err(|e| err!(Internal, "cannot serialize a manifest: {e}"))?;
    std::fs::write(&tmp, bytes).map_err(|e| err!(IoError, "cannot write '{}': {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| err!(IoError, "cannot write '{}': {e}", path.display()))?;
    Ok(path)
}

pub fn read(metadata_dir: &Path, snapshot_id: i64) -> Result<Manifest> {
    let path = manifest_path(metadata_dir, snapshot_id);
    let bytes = std::fs::read(&path).map_err(|e| {
        err!(IoError, "cannot read snapshot manifest '{}': {e}; is the warehouse mounted on this node?", path.display())
    })?;
    serde_json::from_slice(&bytes).map_err(|e| err!(CorruptMetadata, "snapshot manifest '{}' is corrupt: {e}", path.display()))
}

pub fn remove_metadata_dir(metadata_dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(metadata_dir).map_err(|e| err!(IoError, "cannot remove '{}': {e}", metadata_dir.display()))
}
