//! Cluster membership: each Presto node running the connector keeps an ephemeral znode
//! `<root>/nodes/<node id>`, and splits prefer the node that rendezvous hashing of their file picks
//! among the registered ones, so a file keeps landing on the same worker and only the files of a
//! node that leaves move.

use serde::{Deserialize, Serialize};

/// What a node says about itself in its ephemeral znode.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NodeInfo {
    pub node_id: String,
    pub host: String,
    /// `host:port` of the node's Presto HTTP server (what Presto's split placement speaks).
    pub http_address: String,
    #[serde(default)]
    pub presto_version: String,
    #[serde(default)]
    pub zkarrow_version: String,
    #[serde(default)]
    pub started_at_ms: i64,
    #[serde(default)]
    pub coordinator: bool,
}

/// 64-bit FNV-1a: stable across processes and versions, unlike std's hasher.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // A final mix spreads FNV's weak low bits.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// The node that rendezvous (highest random weight) hashing assigns `key` to. Workers only, when
/// there are any: a coordinator usually schedules no splits (`node-scheduler.include-coordinator`
/// is false on clusters), and a split preferring it would lose its affinity.
pub fn preferred_node<'a>(key: &str, nodes: &'a [NodeInfo]) -> Option<&'a NodeInfo> {
    let has_workers = nodes.iter().any(|n| !n.coordinator);
    let candidates = nodes.iter().filter(|n| !has_workers || !n.coordinator);
    candidates.max_by_key(|n| {
        (
            fnv1a(&[n.node_id.as_bytes(), key.as_bytes()]),
            n.node_id.as_str(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> NodeInfo {
        NodeInfo {
            node_id: id.into(),
            host: "h".into(),
            http_address: format!("{id}:8080"),
            presto_version: String::new(),
            zkarrow_version: String::new(),
            started_at_ms: 0,
            coordinator: false,
        }
    }

    #[test]
    fn only_the_files_of_a_leaving_node_move_and_load_spreads() {
        let nodes: Vec<_> = ["a", "b", "c", "d"].iter().map(|n| node(n)).collect();
        let files: Vec<String> = (0..2000)
            .map(|i| format!("/w/t/data/part-{i}.arrow"))
            .collect();
        let before: Vec<String> = files
            .iter()
            .map(|f| preferred_node(f, &nodes).unwrap().node_id.clone())
            .collect();
        for id in ["a", "b", "c", "d"] {
            let share = before.iter().filter(|n| *n == id).count();
            assert!(
                (350..650).contains(&share),
                "node {id} got {share} of 2000 files"
            );
        }
        let without_c: Vec<_> = nodes.iter().filter(|n| n.node_id != "c").cloned().collect();
        for (file, old) in files.iter().zip(&before) {
            let new = &preferred_node(file, &without_c).unwrap().node_id;
            if old != "c" {
                assert_eq!(new, old, "{file} moved although its node stayed");
            }
        }
        assert!(preferred_node("x", &[]).is_none());
    }

    #[test]
    fn coordinators_are_preferred_only_when_there_is_no_worker() {
        let mut coordinator = node("c");
        coordinator.coordinator = true;
        let nodes = vec![coordinator.clone(), node("w1"), node("w2")];
        for file in (0..200).map(|i| format!("/w/f{i}.arrow")) {
            assert_ne!(preferred_node(&file, &nodes).unwrap().node_id, "c");
        }
        let alone = [coordinator];
        assert_eq!(preferred_node("/w/f.arrow", &alone).unwrap().node_id, "c");
    }
}
