//! What the Java plugin sends across JNI: metadata requests as JSON ([`requests`], answered by
//! [`dispatch`]), scans of splits ([`scan`]) and page sinks ([`sink`]).

pub mod dispatch;
pub mod requests;
pub mod scan;
pub mod sink;

pub use dispatch::{handle, handle_json};
pub use requests::Request;
