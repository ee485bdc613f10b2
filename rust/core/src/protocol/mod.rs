//! What the Java plugin sends across JNI: metadata requests as JSON ([`requests`], answered by
//! [`dispatch`] with the typed [`responses`]), scans of splits ([`scan`]) and page sinks
//! ([`sink`]). The golden documents `tests/protocol/*.json` are the contract (protocol v2).

pub mod dispatch;
pub mod requests;
pub mod responses;
pub mod scan;
pub mod sink;
pub mod statistics;

pub use dispatch::{handle, handle_json};
pub use requests::Request;
pub use responses::Response;
