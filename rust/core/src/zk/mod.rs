//! Everything zkarrow keeps in ZooKeeper besides the catalog's records: the session, table locks,
//! live settings and their watch, node membership and the table cache the watch invalidates.

pub mod cache;
pub mod lock;
pub mod membership;
pub mod session;
pub mod settings;
pub mod watch;
