//! `io.zkarrow.presto.nativelib.NativeReader`: one split scan per handle, one page per `next`.

use jni::objects::{JClass, JString};
use jni::sys::{jlong, jobjectArray};
use jni::JNIEnv;
use zkarrow_core::protocol::scan::Scan;
use zkarrow_core::{err, Result};

use crate::error::{guard, jni_error};
use crate::page_out::batch_to_page;

fn scan_mut<'a>(handle: jlong) -> Result<&'a mut Scan> {
    if handle == 0 {
        return Err(err!(InvalidArgument, "the reader is closed"));
    }
    // SAFETY: handles come from `open`; the Java owner uses one from a single thread at a time.
    Ok(unsafe { &mut *(handle as *mut Scan) })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeReader_open(
    mut env: JNIEnv,
    _class: JClass,
    scan_json: JString,
) -> jlong {
    guard(&mut env, 0, |env| {
        let json: String = env.get_string(&scan_json).map_err(jni_error)?.into();
        let scan = Scan::open_json(&json)?;
        Ok(Box::into_raw(Box::new(scan)) as jlong)
    })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeReader_next(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let scan = scan_mut(handle)?;
        match scan.next_batch()? {
            None => Ok(std::ptr::null_mut()),
            Some(batch) => Ok(batch_to_page(env, &batch)?.into_raw()),
        }
    })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeReader_close(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        if handle != 0 {
            // SAFETY: the Java owner calls close once and forgets the handle.
            drop(unsafe { Box::from_raw(handle as *mut Scan) });
        }
        Ok(())
    })
}
