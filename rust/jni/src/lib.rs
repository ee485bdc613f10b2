//! The JNI entry points of zkarrow: one file per Java class with `native` methods, each a thin shim
//! over zkarrow-core that turns every error and panic into a `ZkArrowNativeException`.

mod catalog;
mod error;
mod page;
mod page_in;
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
    if let Ok(mut env) = vm.get_env() {
        error::cache_classes(&mut env);
        page::cache_classes(&mut env);
    }
    JNI_VERSION_1_8
}
