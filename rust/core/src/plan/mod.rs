//! Scan planning: splits of a snapshot's files, and skipping files by their statistics.

pub mod pruning;
pub mod splits;
