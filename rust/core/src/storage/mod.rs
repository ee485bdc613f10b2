//! Table data on the file system or in object storage (`store`): Arrow IPC files (read with guards against hostile input,
//! written with statistics), snapshot manifests, and the records stored in ZooKeeper.

pub mod arrow_file;
mod dictionary;
pub mod ipc_guard;
pub mod ipc_stream;
pub mod manifest;
#[cfg(feature = "object-store")]
pub mod object;
mod read_plan;
pub mod records;
pub mod sketch;
pub mod snapshot;
pub mod stats;
pub mod store;
pub mod table_stats;
pub mod writer;
