//! Table data on the file system: Arrow IPC files (read with guards against hostile input,
//! written with statistics), snapshot manifests, the records stored in ZooKeeper, and import.

pub mod arrow_file;
pub mod import;
pub mod ipc_guard;
pub mod ipc_stream;
pub mod manifest;
pub mod records;
pub mod stats;
pub mod writer;
