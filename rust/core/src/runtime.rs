//! The one tokio runtime of the library, shared by every catalog in the JVM.

use std::future::Future;

use once_cell::sync::Lazy;
use tokio::runtime::Runtime;

static RUNTIME: Lazy<Runtime> = Lazy::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("zkarrow-io")
        .enable_all()
        .build()
        .expect("zkarrow cannot start its I/O runtime")
});

/// Runs `future` to completion from a synchronous caller (a JNI thread, the CLI, a test).
pub fn block_on<F: Future>(future: F) -> F::Output {
    RUNTIME.block_on(future)
}

/// The runtime itself, to spawn background tasks (watches, ephemeral registrations).
pub fn handle() -> tokio::runtime::Handle {
    RUNTIME.handle().clone()
}
