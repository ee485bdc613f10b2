//! The snapshot layout (format 2): what a commit writes and how a snapshot's files and history
//! are read back, without ZooKeeper (the catalog moves the table record to what is written here).
//!
//! A snapshot manifest stays small whatever the history. Its files live in immutable data
//! manifests that later snapshots share: an append writes one manifest with just its files.
//! Its ancestors live in immutable log segments (plus the newest few inline), each named with
//! the range of ids and commit times it holds, so time travel reads one segment, not a chain.
//! Manifests and segments are merged size-tiered (eight of a tier become one of the next), so
//! a snapshot names O(log n) of each and every file entry is rewritten O(log n) times.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::storage::manifest::{is_plain_name, read_json, sync_dir, unique_name, write_json};
use crate::storage::records::{
    now_ms, ColumnRecord, DataFile, DataManifest, LogRef, LogSegment, Manifest, ManifestRef,
    SnapshotEntry, SnapshotSummary, Totals,
};
use crate::storage::store;
use crate::storage::table_stats::{self, TableStats};
use crate::{err, Result};

/// How many items of one tier are merged into one of the next.
const FANOUT: u64 = 8;
/// Ancestors kept inline in a snapshot manifest before they move to a log segment.
const RECENT_LOG: usize = 8;

/// What a new snapshot does to its parent's files.
pub enum Change<'a> {
    /// Adds files.
    Append(Vec<DataFile>),
    /// Replaces every file (overwrite, a table's first snapshot).
    Overwrite(Vec<DataFile>),
    /// Replaces every file by those of an older snapshot, whose column statistics they get back
    /// (rollback: data manifests keep no sketches to fold them again from).
    Restore {
        files: Vec<DataFile>,
        column_stats: Option<TableStats>,
    },
    /// Takes out `removed` (paths; every one must be current) and adds `added` (compaction).
    Replace {
        removed: &'a HashSet<String>,
        added: Vec<DataFile>,
    },
}

/// A snapshot written to the metadata directory but not yet named by the table record.
pub struct Written {
    pub name: String,
    pub manifest: Manifest,
    /// Every file written for it (the snapshot manifest last): what to remove if the commit
    /// does not land.
    pub files: Vec<String>,
}

impl Written {
    /// Removes what was written (a commit that did not land).
    pub fn discard(&self, dir: &Path) {
        for name in &self.files {
            let _ = store::remove_file(&dir.join(name));
        }
    }
}

/// Writes the snapshot after `parent` (the parent's manifest and its file name; `None` for a
/// table's first snapshot), and syncs the directory. `columns`: the table's columns, which its
/// column statistics are kept for.
pub fn write_next(
    dir: &Path,
    table_id: &str,
    parent: Option<(&Manifest, &str)>,
    operation: &str,
    query_id: Option<String>,
    change: Change,
    columns: &[ColumnRecord],
) -> Result<Written> {
    crate::storage::manifest::ensure_dir(dir)?;
    let mut out = Out {
        dir,
        written: Vec::new(),
    };
    match build(
        &mut out, table_id, parent, operation, query_id, change, columns,
    ) {
        Ok(manifest) => {
            let name = unique_name(&format!("snap-{}", manifest.snapshot_id));
            let written = out.write(&name, &manifest).and_then(|_| sync_dir(dir));
            if let Err(e) = written {
                out.discard();
                return Err(e);
            }
            let files = std::mem::take(&mut out.written);
            Ok(Written {
                name,
                manifest,
                files,
            })
        }
        Err(e) => {
            out.discard();
            Err(e)
        }
    }
}

/// The files a commit writes, so that a failed one leaves none behind.
struct Out<'a> {
    dir: &'a Path,
    written: Vec<String>,
}

impl Out<'_> {
    fn write<T: serde::Serialize>(&mut self, name: &str, value: &T) -> Result<()> {
        write_json(self.dir, name, value)?;
        self.written.push(name.to_string());
        Ok(())
    }

    fn manifest(&mut self, files: Vec<DataFile>) -> Result<ManifestRef> {
        let totals = Totals::of(&files);
        let files = table_stats::without_sketches(files);
        let name = unique_name("manifest");
        self.write(
            &name,
            &DataManifest {
                format_version: 2,
                files,
            },
        )?;
        Ok(ManifestRef {
            name,
            rows: totals.rows,
            files: totals.files,
            bytes: totals.bytes,
        })
    }

    fn segment(&mut self, entries: Vec<SnapshotEntry>) -> Result<LogRef> {
        let name = unique_name("log");
        let reference = LogRef {
            name: name.clone(),
            entries: entries.len() as u64,
            first_snapshot_id: entries.first().map_or(0, |e| e.snapshot_id),
            last_snapshot_id: entries.last().map_or(0, |e| e.snapshot_id),
            min_committed_at_ms: entries.iter().map(|e| e.committed_at_ms).min().unwrap_or(0),
            max_committed_at_ms: entries.iter().map(|e| e.committed_at_ms).max().unwrap_or(0),
        };
        self.write(
            &name,
            &LogSegment {
                format_version: 2,
                entries,
            },
        )?;
        Ok(reference)
    }

    fn discard(&mut self) {
        for name in self.written.drain(..) {
            let _ = store::remove_file(&self.dir.join(name));
        }
    }
}

fn build(
    out: &mut Out,
    table_id: &str,
    parent: Option<(&Manifest, &str)>,
    operation: &str,
    query_id: Option<String>,
    change: Change,
    columns: &[ColumnRecord],
) -> Result<Manifest> {
    let dir = out.dir;
    // the parent's column statistics, when they cover all of its rows
    let parent_stats: Option<TableStats> = match parent {
        None => Some(TableStats::new()),
        Some((p, _)) if p.totals().rows == 0 => Some(TableStats::new()),
        Some((p, _)) => p.column_stats.clone(),
    };
    let parent_rows = parent.map_or(0, |(p, _)| p.totals().rows);
    let column_stats = match &change {
        Change::Append(added) => {
            parent_stats.and_then(|s| table_stats::fold(s, parent_rows, added, columns))
        }
        Change::Overwrite(files) => table_stats::fold(TableStats::new(), 0, files, columns),
        Change::Restore { column_stats, .. } => column_stats.clone(),
        // compaction rewrites the same rows
        Change::Replace { .. } => parent_stats,
    };
    // the parent's files as data manifests (a format-1 parent's inline files become one)
    let mut manifests = match parent {
        Some((p, _)) if p.is_format_1() && !p.files.is_empty() => {
            vec![out.manifest(p.files.clone())?]
        }
        Some((p, _)) => p.manifests.clone(),
        None => Vec::new(),
    };
    let mut summary = SnapshotSummary::default();
    match change {
        Change::Append(added) => {
            count_added(&mut summary, &added);
            add_manifest(out, &mut manifests, added)?;
        }
        Change::Overwrite(files) | Change::Restore { files, .. } => {
            let before: Vec<DataFile> = match parent {
                Some((p, _)) => files_of(dir, p)?,
                None => Vec::new(),
            };
            let after: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
            let kept: HashSet<&str> = before.iter().map(|f| f.path.as_str()).collect();
            for f in before.iter().filter(|f| !after.contains(f.path.as_str())) {
                summary.removed_files += 1;
                summary.removed_rows += f.rows;
            }
            for f in files.iter().filter(|f| !kept.contains(f.path.as_str())) {
                summary.added_files += 1;
                summary.added_rows += f.rows;
            }
            manifests = if files.is_empty() {
                Vec::new()
            } else {
                vec![out.manifest(files)?]
            };
        }
        Change::Replace { removed, added } => {
            let mut found = 0;
            let mut kept = Vec::with_capacity(manifests.len());
            for m in manifests {
                let data: DataManifest = read_json(dir, &m.name)?;
                if !data.files.iter().any(|f| removed.contains(&f.path)) {
                    kept.push(m);
                    continue;
                }
                let (out_files, rest): (Vec<DataFile>, Vec<DataFile>) = data
                    .files
                    .into_iter()
                    .partition(|f| removed.contains(&f.path));
                found += out_files.len();
                summary.removed_files += out_files.len() as u64;
                summary.removed_rows += out_files.iter().map(|f| f.rows).sum::<u64>();
                if !rest.is_empty() {
                    kept.push(out.manifest(rest)?);
                }
            }
            if found != removed.len() {
                return Err(err!(
                    CommitConflict,
                    "{} of the {} files this statement replaces are no longer current (a concurrent statement replaced or removed them): nothing was committed; run it again",
                    removed.len() - found,
                    removed.len()
                ));
            }
            count_added(&mut summary, &added);
            manifests = kept;
            add_manifest(out, &mut manifests, added)?;
        }
    }
    let totals = manifests
        .iter()
        .fold(Totals::default(), |t, m| t.plus(m.totals()));
    // the history: the parent joins the inline log; eight inline entries become a segment
    let (mut log, mut recent_log, legacy_parent) = match parent {
        Some((p, _)) if p.is_format_1() => (Vec::new(), Vec::new(), p.parent_manifest.clone()),
        Some((p, _)) => (p.log.clone(), p.recent_log.clone(), p.legacy_parent.clone()),
        None => (Vec::new(), Vec::new(), None),
    };
    if let Some((p, name)) = parent {
        recent_log.push(p.entry(name));
    }
    if recent_log.len() >= RECENT_LOG {
        log.push(out.segment(std::mem::take(&mut recent_log))?);
        merge_tail(&mut log, |l| l.entries, |group| merge_segments(out, group))?;
    }
    Ok(Manifest {
        format_version: 2,
        table_id: table_id.to_string(),
        snapshot_id: parent.map_or(1, |(p, _)| p.snapshot_id + 1),
        parent_snapshot_id: parent.map(|(p, _)| p.snapshot_id),
        parent_manifest: parent.map(|(_, name)| name.to_string()),
        committed_at_ms: now_ms(),
        operation: operation.to_string(),
        query_id,
        summary,
        files: Vec::new(),
        totals: Some(totals),
        manifests,
        log,
        recent_log,
        legacy_parent,
        column_stats,
    })
}

fn count_added(summary: &mut SnapshotSummary, added: &[DataFile]) {
    summary.added_files += added.len() as u64;
    summary.added_rows += added.iter().map(|f| f.rows).sum::<u64>();
}

/// Appends a data manifest of `added` (if any) and merges the tail of the list.
fn add_manifest(
    out: &mut Out,
    manifests: &mut Vec<ManifestRef>,
    added: Vec<DataFile>,
) -> Result<()> {
    if !added.is_empty() {
        manifests.push(out.manifest(added)?);
    }
    merge_tail(manifests, |m| m.files, |group| merge_manifests(out, group))
}

fn merge_manifests(out: &mut Out, group: &[ManifestRef]) -> Result<ManifestRef> {
    let mut files = Vec::new();
    for m in group {
        files.extend(read_json::<DataManifest>(out.dir, &m.name)?.files);
    }
    out.manifest(files)
}

fn merge_segments(out: &mut Out, group: &[LogRef]) -> Result<LogRef> {
    let mut entries = Vec::new();
    for l in group {
        entries.extend(read_json::<LogSegment>(out.dir, &l.name)?.entries);
    }
    out.segment(entries)
}

/// The tier of an item holding `count` entries: 0 below 8, 1 below 64, ...
fn tier(count: u64) -> u32 {
    count.max(1).ilog(FANOUT)
}

/// How many trailing items to merge now: the trailing run whose tiers are at most the last
/// one's, once it holds `FANOUT` items (0: nothing to merge).
pub fn trailing_merge(counts: &[u64]) -> usize {
    let Some(&last) = counts.last() else {
        return 0;
    };
    let run = counts
        .iter()
        .rev()
        .take_while(|&&c| tier(c) <= tier(last))
        .count();
    if run >= FANOUT as usize {
        run
    } else {
        0
    }
}

fn merge_tail<T>(
    items: &mut Vec<T>,
    count: impl Fn(&T) -> u64,
    mut merge: impl FnMut(&[T]) -> Result<T>,
) -> Result<()> {
    loop {
        let counts: Vec<u64> = items.iter().map(&count).collect();
        let n = trailing_merge(&counts);
        if n == 0 {
            return Ok(());
        }
        let merged = merge(&items[items.len() - n..])?;
        items.truncate(items.len() - n);
        items.push(merged);
    }
}

/// Every file of a snapshot, in commit order.
pub fn files_of(dir: &Path, manifest: &Manifest) -> Result<Vec<DataFile>> {
    visit_files(dir, manifest, |file, out| out.push(file))
}

/// What `visit` makes of each file of a snapshot, in commit order. Data manifests are read in
/// parallel and parsed as a stream: a file's entry is dropped once visited, so planning a
/// million files keeps only its splits, not a million entries with their statistics.
pub fn visit_files<T: Send>(
    dir: &Path,
    manifest: &Manifest,
    visit: impl Fn(DataFile, &mut Vec<T>) + Sync,
) -> Result<Vec<T>> {
    if manifest.is_format_1() {
        let mut out = Vec::new();
        for file in &manifest.files {
            visit(file.clone(), &mut out);
        }
        return Ok(out);
    }
    let names: Vec<&str> = manifest.manifests.iter().map(|m| m.name.as_str()).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(names.len().max(1));
    let chunk = names.len().div_ceil(threads).max(1);
    let visit = &visit;
    let parts: Vec<Result<Vec<T>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for name in part {
                        stream_manifest(dir, name, &mut |file| visit(file, &mut out))?;
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(err!(Internal, "reading a data manifest panicked")))
            })
            .collect()
    });
    let mut out = Vec::new();
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Parses the data manifest `name`, handing each file entry to `each` as soon as it is read.
fn stream_manifest(dir: &Path, name: &str, each: &mut dyn FnMut(DataFile)) -> Result<()> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    struct Files<'a>(&'a mut dyn FnMut(DataFile));

    impl<'de> DeserializeSeed<'de> for Files<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Files<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of data files")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            while let Some(file) = seq.next_element::<DataFile>()? {
                (self.0)(file);
            }
            Ok(())
        }
    }

    struct ManifestFiles<'a>(&'a mut dyn FnMut(DataFile));

    impl<'de> Visitor<'de> for ManifestFiles<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a data manifest")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "files" {
                    map.next_value_seed(Files(&mut *self.0))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
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
    let mut parser = serde_json::Deserializer::from_slice(&bytes);
    parser
        .deserialize_map(ManifestFiles(each))
        .and_then(|()| parser.end())
        .map_err(|e| {
            err!(
                CorruptMetadata,
                "metadata file '{}' is corrupt: {e}",
                path.display()
            )
        })
}

/// The newest entry of the history of `current` (itself included) that `wanted` accepts;
/// `may_hold` says whether a log segment can hold such an entry, so that the others stay
/// unread. Entries whose manifest was expired are still found: the caller checks.
pub fn find_entry(
    dir: &Path,
    current: &Manifest,
    current_name: &str,
    may_hold: impl Fn(&LogRef) -> bool,
    wanted: impl Fn(&SnapshotEntry) -> bool,
) -> Result<Option<SnapshotEntry>> {
    let own = current.entry(current_name);
    if wanted(&own) {
        return Ok(Some(own));
    }
    if current.is_format_1() {
        return find_in_chain(dir, current.parent_manifest.clone(), &wanted);
    }
    if let Some(e) = current.recent_log.iter().rev().find(|e| wanted(e)) {
        return Ok(Some(e.clone()));
    }
    for segment in current.log.iter().rev().filter(|l| may_hold(l)) {
        let entries = read_json::<LogSegment>(dir, &segment.name)?.entries;
        if let Some(e) = entries.into_iter().rev().find(|e| wanted(e)) {
            return Ok(Some(e));
        }
    }
    find_in_chain(dir, current.legacy_parent.clone(), &wanted)
}

/// Walks a format-1 chain of manifests from `next` while they exist (expiry removes the oldest).
fn find_in_chain(
    dir: &Path,
    mut next: Option<String>,
    wanted: &impl Fn(&SnapshotEntry) -> bool,
) -> Result<Option<SnapshotEntry>> {
    while let Some(name) = next {
        if !crate::storage::manifest::exists(dir, &name)? {
            return Ok(None);
        }
        let m: Manifest = read_json(dir, &name)?;
        let entry = m.entry(&name);
        if wanted(&entry) {
            return Ok(Some(entry));
        }
        next = m.parent_manifest;
    }
    Ok(None)
}

/// The whole history of `current`, newest first (expired snapshots included: the caller checks
/// which manifests are still there).
pub fn history(dir: &Path, current: &Manifest, current_name: &str) -> Result<Vec<SnapshotEntry>> {
    let mut out = vec![current.entry(current_name)];
    let legacy = if current.is_format_1() {
        current.parent_manifest.clone()
    } else {
        out.extend(current.recent_log.iter().rev().cloned());
        for segment in current.log.iter().rev() {
            let entries = read_json::<LogSegment>(dir, &segment.name)?.entries;
            out.extend(entries.into_iter().rev());
        }
        current.legacy_parent.clone()
    };
    let mut next = legacy;
    while let Some(name) = next {
        if !crate::storage::manifest::exists(dir, &name)? {
            break; // the rest of the history was expired
        }
        let m: Manifest = read_json(dir, &name)?;
        out.push(m.entry(&name));
        next = m.parent_manifest;
    }
    Ok(out)
}

/// The metadata and data files the snapshots named `live` (manifest file names) hold: what
/// orphan removal and DROP must treat as the table's. Shared manifests are read once.
pub fn referenced_files(dir: &Path, live: &[String]) -> Result<(HashSet<String>, Vec<DataFile>)> {
    let mut metadata: HashSet<String> = HashSet::new();
    let mut data: HashMap<String, DataFile> = HashMap::new();
    for name in live {
        if !metadata.insert(name.clone()) {
            continue;
        }
        let m: Manifest = read_json(dir, name)?;
        for f in m.files {
            data.entry(f.path.clone()).or_insert(f);
        }
        for l in m.log.iter().filter(|l| is_plain_name(&l.name)) {
            metadata.insert(l.name.clone());
        }
        for r in &m.manifests {
            if metadata.insert(r.name.clone()) {
                for f in read_json::<DataManifest>(dir, &r.name)?.files {
                    data.entry(f.path.clone()).or_insert(f);
                }
            }
        }
    }
    Ok((metadata, data.into_values().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_metadata_directory_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["../x.json", "/etc/passwd", "a/b.json", "..", ""] {
            let e = read_json::<LogSegment>(dir.path(), name).unwrap_err();
            assert_eq!(e.code, crate::error::ErrorCode::CorruptMetadata, "{name}");
        }
        assert!(is_plain_name("log-0123456789ab.json"));
    }

    #[test]
    fn merges_eight_of_a_tier_into_one_of_the_next() {
        assert_eq!(trailing_merge(&[1; 7]), 0);
        assert_eq!(trailing_merge(&[1; 8]), 8);
        assert_eq!(trailing_merge(&[8, 1, 1, 1, 1, 1, 1, 1]), 0);
        assert_eq!(trailing_merge(&[8, 8, 8, 8, 8, 8, 8, 1]), 0);
        // a big item at the end pulls the smaller ones before it in
        assert_eq!(trailing_merge(&[1, 1, 1, 1, 1, 1, 1, 100]), 8);
    }

    #[test]
    fn appends_keep_the_manifest_list_logarithmic() {
        let mut counts: Vec<u64> = Vec::new();
        let mut longest = 0;
        for i in 0..100_000u64 {
            counts.push(if i % 97 == 0 { 500 } else { 1 });
            loop {
                let n = trailing_merge(&counts);
                if n == 0 {
                    break;
                }
                let merged = counts.split_off(counts.len() - n).iter().sum();
                counts.push(merged);
            }
            longest = longest.max(counts.len());
        }
        assert_eq!(counts.iter().sum::<u64>(), (100_000 - 1031) + 1031 * 500);
        assert!(longest <= 7 * 7 + 1, "{longest} manifests");
    }
}
