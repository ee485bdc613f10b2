//! `io.zkarrow.presto.nativelib.NativeCatalog`: one open catalog per handle.

use jni::objects::{JClass, JString};
use jni::sys::{jlong, jstring};
use jni::JNIEnv;
use zkarrow_core::catalog::Catalog;
use zkarrow_core::config::CatalogOpen;
use zkarrow_core::{err, protocol, runtime, Result};

use crate::error::{guard, jni_error};

fn read_string(env: &mut JNIEnv, s: &JString) -> Result<String> {
    if s.is_null() {
        return Err(err!(InvalidArgument, "a null string reached native code"));
    }
    Ok(env.get_string(s).map_err(jni_error)?.into())
}

fn catalog_ref<'a>(handle: jlong) -> Result<&'a Catalog> {
    if handle == 0 {
        return Err(err!(InvalidArgument, "the catalog is closed"));
    }
    // SAFETY: handles come from `open` and stay valid until the owning Java object closes them.
    Ok(unsafe { &*(handle as *const Catalog) })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeCatalog_open(
    mut env: JNIEnv,
    _class: JClass,
    config_json: JString,
) -> jlong {
    guard(&mut env, 0, |env| {
        let config = CatalogOpen::from_json(&read_string(env, &config_json)?)?.into_config()?;
        let catalog = runtime::block_on(Catalog::open(config))?;
        Ok(Box::into_raw(Box::new(catalog)) as jlong)
    })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeCatalog_call(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    request_json: JString,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let catalog = catalog_ref(handle)?;
        let answer = protocol::handle_json(catalog, &read_string(env, &request_json)?)?;
        Ok(env.new_string(answer).map_err(jni_error)?.into_raw())
    })
}

#[no_mangle]
pub extern "C" fn Java_io_zkarrow_presto_nativelib_NativeCatalog_close(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        if handle != 0 {
            // SAFETY: the Java owner calls close once and forgets the handle.
            let catalog = unsafe { Box::from_raw(handle as *mut Catalog) };
            runtime::block_on(catalog.close());
            drop(catalog);
        }
        Ok(())
    })
}
