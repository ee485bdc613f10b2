//! zkarrow's engine: the catalog in ZooKeeper, Arrow IPC storage, statistics, splits and the
//! conversion of Arrow arrays into the layout of Presto blocks. Nothing here knows about JNI.

pub mod admin;
pub mod alter;
pub mod api;
pub mod arrow_file;
pub mod cache;
pub mod catalog;
pub mod commit;
pub mod config;
pub mod ddl;
pub mod error;
pub mod from_presto;
pub mod import;
pub mod ipc_guard;
pub mod ipc_stream;
pub mod live;
pub mod locations;
pub mod manifest;
pub mod membership;
pub mod model;
pub mod names;
pub mod page_sink;
pub mod presto_column;
pub mod presto_type;
pub mod pruning;
pub mod runtime;
pub mod scan;
pub mod settings;
pub mod snapshots;
pub mod stats;
pub mod table_writer;
pub mod types;
pub mod writes;
pub mod zk;

pub use error::{Error, ErrorCode, Result};
