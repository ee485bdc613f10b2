//! `io.zkarrow.presto.nativelib.NativeReader`: one split scan per handle. `next` moves to the next
//! page and returns its row count; `column` converts one column of that page (the lazy blocks of
//! the page source call it only for the columns the engine touches).

use jni::objects::{JClass, JString};
use jni::sys::{jint, jlong, jobjectArray};
use jni::JNIEnv;
use zkarrow_core::presto::to_presto::to_presto;
use zkarrow_core::protocol::scan::Scan;
use zkarrow_core::{err, Result};

use crate::error::{guard, jni_error};
use crate::page_out::column_object;

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

/// The row count of the next page (now the current page), or -1 at the end.
#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeReader_next(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) -> jint {
    guard(&mut env, -1, |_| {
        let scan = scan_mut(handle)?;
        match scan.advance()? {
            None => Ok(-1),
            Some(rows) => jint::try_from(rows)
                .map_err(|_| err!(Internal, "a page of {rows} rows does not fit a Java int")),
        }
    })
}

/// Column `index` of page `page` (1 for the first `next`) as a column object of PROTOCOL.md.
#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeReader_column(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    page: jlong,
    index: jint,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let scan = scan_mut(handle)?;
        let page = u64::try_from(page).map_err(|_| err!(InvalidArgument, "page {page}"))?;
        let index = usize::try_from(index).map_err(|_| err!(InvalidArgument, "column {index}"))?;
        let array = scan.column(page, index)?;
        let column = to_presto(array.as_ref())?;
        Ok(column_object(env, &column)?.into_raw())
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
