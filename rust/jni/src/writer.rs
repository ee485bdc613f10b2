//! `io.zkarrow.presto.nativelib.NativeWriter`: one page sink per handle.

use jni::objects::{JClass, JObjectArray, JString};
use jni::sys::{jlong, jstring};
use jni::JNIEnv;
use zkarrow_core::protocol::sink::PageSink;
use zkarrow_core::{err, Result};

use crate::error::{guard, jni_error};
use crate::page_in::column_from_java;

fn sink_mut<'a>(handle: jlong) -> Result<&'a mut PageSink> {
    if handle == 0 {
        return Err(err!(InvalidArgument, "the writer is closed"));
    }
    // SAFETY: handles come from `open`; the Java owner uses one from a single thread at a time.
    Ok(unsafe { &mut *(handle as *mut PageSink) })
}

fn take(handle: jlong) -> Result<PageSink> {
    if handle == 0 {
        return Err(err!(InvalidArgument, "the writer is closed"));
    }
    // SAFETY: the Java owner finishes or aborts a handle once and then forgets it.
    Ok(*unsafe { Box::from_raw(handle as *mut PageSink) })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeWriter_open(
    mut env: JNIEnv,
    _class: JClass,
    sink_json: JString,
) -> jlong {
    guard(&mut env, 0, |env| {
        let json: String = env.get_string(&sink_json).map_err(jni_error)?.into();
        Ok(Box::into_raw(Box::new(PageSink::open_json(&json)?)) as jlong)
    })
}

/// `page` is `Object[]{int[]{rows}, column 0, column 1, ...}`, as PROTOCOL.md lays out.
#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeWriter_write(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    page: JObjectArray,
) {
    guard(&mut env, (), |env| {
        let sink = sink_mut(handle)?;
        let count = env.get_array_length(&page).map_err(jni_error)?;
        let header = env.get_object_array_element(&page, 0).map_err(jni_error)?;
        let mut rows = [0i32; 1];
        env.get_int_array_region(jni::objects::JIntArray::from(header), 0, &mut rows)
            .map_err(jni_error)?;
        let mut columns = Vec::with_capacity(count as usize - 1);
        for i in 1..count {
            let column = env.get_object_array_element(&page, i).map_err(jni_error)?;
            columns.push(column_from_java(env, column)?);
        }
        sink.write_page(rows[0] as usize, columns)
    })
}

/// Closes the files and returns their descriptions as a JSON array (the commit's fragments).
#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeWriter_finish(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let files = take(handle)?.finish()?;
        let json = serde_json::to_string(&files).map_err(|e| err!(Internal, "{e}"))?;
        Ok(env.new_string(json).map_err(jni_error)?.into_raw())
    })
}

/// Deletes every file the writer wrote.
#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeWriter_abort(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        if handle == 0 {
            Ok(())
        } else {
            take(handle)?.abort()
        }
    })
}
