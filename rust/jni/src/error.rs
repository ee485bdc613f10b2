//! Errors and panics become `io.zkarrow.presto.nativelib.ZkArrowNativeException(code, message)`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::objects::{GlobalRef, JObject, JThrowable, JValue};
use jni::JNIEnv;
use once_cell::sync::OnceCell;
use zkarrow_core::{Error, ErrorCode, Result};

const EXCEPTION_CLASS: &str = "io/zkarrow/presto/nativelib/ZkArrowNativeException";
static EXCEPTION: OnceCell<GlobalRef> = OnceCell::new();

pub fn cache_classes(env: &mut JNIEnv) {
    if let Ok(class) = env.find_class(EXCEPTION_CLASS) {
        if let Ok(global) = env.new_global_ref(class) {
            let _ = EXCEPTION.set(global);
        }
    }
    let _ = env.exception_clear();
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

fn throw(env: &mut JNIEnv, error: &Error) {
    if env.exception_check().unwrap_or(false) {
        return; // a Java exception from a JNI call is already on its way
    }
    let thrown = (|| -> jni::errors::Result<()> {
        let code = env.new_string(error.code.name())?;
        let message = env.new_string(&error.message)?;
        let class = match EXCEPTION.get() {
            Some(global) => <&jni::objects::JClass>::from(global.as_obj()),
            None => return env.throw_new("java/lang/IllegalStateException", error.to_string()),
        };
        let exception = env.new_object(
            class,
            "(Ljava/lang/String;Ljava/lang/String;)V",
            &[
                JValue::Object(&JObject::from(code)),
                JValue::Object(&JObject::from(message)),
            ],
        )?;
        env.throw(JThrowable::from(exception))
    })();
    if thrown.is_err() && !env.exception_check().unwrap_or(false) {
        let _ = env.throw_new("java/lang/RuntimeException", error.to_string());
    }
}

/// Runs `body`, returning its value, or `fallback` after throwing the Java exception that its error
/// or panic becomes. Nothing native unwinds into the JVM.
pub fn guard<'l, T>(
    env: &mut JNIEnv<'l>,
    fallback: T,
    body: impl FnOnce(&mut JNIEnv<'l>) -> Result<T>,
) -> T {
    let outcome = catch_unwind(AssertUnwindSafe(|| body(env)));
    let error = match outcome {
        Ok(Ok(value)) => return value,
        Ok(Err(error)) => error,
        Err(payload) => Error::new(
            ErrorCode::NativePanic,
            format!("zkarrow native code panicked: {}", panic_message(payload)),
        ),
    };
    throw(env, &error);
    fallback
}

/// A failed JNI call (its Java exception, if any, stays pending and wins over ours).
pub fn jni_error(e: jni::errors::Error) -> Error {
    Error::new(ErrorCode::Internal, format!("JNI call failed: {e}"))
}
