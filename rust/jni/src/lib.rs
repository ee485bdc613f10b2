//! The JNI entry points of zkarrow: one file per Java class with `native` methods, each a thin shim
//! over zkarrow-core that turns every error and panic into a `ZkArrowNativeException`.

mod arrays;
mod catalog;
mod error;
mod page_in;
mod page_out;
mod reader;
mod writer;

use std::os::raw::c_void;

use jni::sys::{jint, JNI_VERSION_1_8};
use jni::JavaVM;

/// Caches the classes native code needs while the plugin's class loader is the one in charge.
///
/// # Safety
/// Called by the JVM when `System.load` loads the library.
#[no_mangle]
pub unsafe extern "system" fn JNI_OnLoad(vm: JavaVM, _reserved: *mut c_void) -> jint {
    // A panic becomes a Java exception (error.rs); one line in the worker's log is enough.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("zkarrow: native panic{at}; the query fails with ZKARROW_NATIVE_PANIC");
    }));
    if let Ok(mut env) = vm.get_env() {
        error::cache_classes(&mut env);
        page_out::cache_classes(&mut env);
    }
    JNI_VERSION_1_8
}
