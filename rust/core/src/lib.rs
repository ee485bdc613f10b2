//! zkarrow's engine: the catalog in ZooKeeper, Arrow IPC storage, statistics, splits and the
//! conversion of Arrow arrays into the layout of Presto blocks. Nothing here knows about JNI.
//!
//! - [`zk`]: the ZooKeeper session, table locks, live settings, membership and the table cache.
//! - [`catalog`]: schemas and tables, their changes, commits and snapshots (`impl Catalog`).
//! - [`storage`]: Arrow IPC files, writing them, manifests, the records stored in ZooKeeper and
//!   statistics.
//! - [`plan`]: splits and file pruning.
//! - [`presto`]: Presto types and the block layout, both directions.
//! - [`protocol`]: the JSON requests of the Java plugin, scans and page sinks.

#[cfg(feature = "catalog")]
pub mod catalog;
#[cfg(feature = "catalog")]
pub mod config;
pub mod error;
#[cfg(feature = "catalog")]
pub mod plan;
pub mod presto;
#[cfg(feature = "catalog")]
pub mod protocol;
pub mod runtime;
pub mod storage;
pub mod units;
#[cfg(feature = "catalog")]
pub mod zk;

pub use error::{Error, ErrorCode, Result};
