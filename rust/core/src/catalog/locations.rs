//! Where users may point zkarrow, and which table owns which place. Every path a user names (a
//! table location, a registered file) is resolved (`..` and symlinks) and must lie under one of
//! the catalog's allowed roots; the locations of tables zkarrow writes are claimed in ZooKeeper
//! (`<root>/locations/<encoded path>`) so that no two tables ever share or nest their places.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::CatalogConfig;
use crate::storage::store;
use crate::{err, Result};

/// What a claim znode holds: the table that owns the location.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LocationClaim {
    pub location: String,
    pub table_id: String,
}

/// `path` made absolute and free of `.`, `..` and symlinks: the deepest existing ancestor is
/// canonicalized and the rest appended, so a location that does not exist yet resolves too.
pub fn resolve(path: &str) -> Result<PathBuf> {
    if path.starts_with(store::OBJECT_SCHEME) {
        return resolve_object(path);
    }
    let given = Path::new(path);
    if !given.is_absolute() {
        return Err(err!(
            InvalidArgument,
            "path '{path}' is relative: give an absolute path that every Presto node can read"
        ));
    }
    let mut lexical = PathBuf::new();
    for component in given.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other.as_os_str()),
        }
    }
    let mut existing = lexical.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(real) => {
                let mut resolved = real;
                for part in rest.iter().rev() {
                    resolved.push(part);
                }
                return Ok(resolved);
            }
            Err(_) => match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => return Ok(lexical),
            },
        }
    }
}

fn resolve_object(url: &str) -> Result<PathBuf> {
    store::normalize_object_location(url)
        .map(PathBuf::from)
        .map_err(|why| err!(InvalidArgument, "{why}"))
}

/// Resolves `path` and refuses it unless it lies under one of the catalog's allowed roots.
pub fn confine(config: &CatalogConfig, path: &str) -> Result<PathBuf> {
    let resolved = resolve(path)?;
    let roots = config.location_roots();
    for root in &roots {
        let root = resolve(&root.to_string_lossy())?;
        if resolved.starts_with(&root) {
            return Ok(resolved);
        }
    }
    let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    Err(err!(
        LocationNotAllowed,
        "'{path}' is outside the locations this catalog may use ({}); an administrator can allow it with the catalog property zkarrow.allowed-locations",
        shown.join(", ")
    ))
}

/// Whether two resolved locations are the same, or one lies inside the other (whole path
/// segments: `/a/b` is not inside `/a/bc`; an `s3://` location never overlaps a local one).
pub fn overlap(a: &Path, b: &Path) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// A znode name for a path: `/` and anything ZooKeeper refuses in a name is percent-encoded, so
/// the name stays readable (`%2Fmnt%2Fshared%2Fsales`) and decodes back exactly.
pub fn claim_name(location: &Path) -> String {
    let mut out = String::new();
    for byte in location.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~+=,@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The path a claim name stands for; `None` for a name this module did not make.
pub fn claimed_path(name: &str) -> Option<PathBuf> {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

/// Whether a directory is absent or empty: a new table's location must be, so that the table
/// never shares a directory with files it did not write.
pub fn is_absent_or_empty(dir: &Path) -> Result<bool> {
    store::is_absent_or_empty(dir)
        .map_err(|e| err!(IoError, "cannot read '{}': {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_names_round_trip_and_hold_no_slash() {
        for p in ["/mnt/shared/sales", "/a b/ü/%/x.y", "/"] {
            let name = claim_name(Path::new(p));
            assert!(!name.contains('/'), "{name}");
            assert_eq!(claimed_path(&name).unwrap(), PathBuf::from(p));
        }
    }

    #[test]
    fn resolve_removes_dots_and_follows_symlinks_of_existing_ancestors() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("inside")).unwrap();
        std::os::unix::fs::symlink("/", real.join("escape")).unwrap();
        let p = format!("{}/inside/../inside/./new/child", real.display());
        assert_eq!(resolve(&p).unwrap(), real.join("inside/new/child"));
        let p = format!("{}/escape/etc/x", real.display());
        assert_eq!(resolve(&p).unwrap(), PathBuf::from("/etc/x"));
        assert!(resolve("relative/x").is_err());
    }

    #[test]
    fn overlap_is_about_whole_components() {
        assert!(overlap(Path::new("/a/b"), Path::new("/a")));
        assert!(overlap(Path::new("/a"), Path::new("/a/b/c")));
        assert!(overlap(Path::new("/a"), Path::new("/a")));
        assert!(!overlap(Path::new("/a/b"), Path::new("/a/bc")));
    }

    #[test]
    fn object_locations_are_checked_and_compared_by_whole_segments() {
        let r = |p: &str| resolve(p).unwrap();
        assert_eq!(
            r("s3://lake/wh/sales/"),
            PathBuf::from("s3://lake/wh/sales")
        );
        assert!(overlap(&r("s3://lake/wh/sales/orders"), &r("s3://lake/wh")));
        assert!(!overlap(
            &r("s3://lake/wh/sales"),
            &r("s3://lake/wh/salesx")
        ));
        assert!(!overlap(&r("s3://lake/wh"), &r("s3://lakes/wh")));
        assert!(!overlap(&r("s3://lake/wh"), Path::new("/lake/wh")));
        for bad in [
            "s3://lake/wh/../other",
            "s3://lake//x",
            "s3://",
            "s3://Lake/x",
            "s3://a/x",
            "s3://lake/./x",
        ] {
            let e = resolve(bad).unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::InvalidArgument, "{bad}: {e}");
        }
    }
}
