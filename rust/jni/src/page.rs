//! A record batch becomes the `Object[]` page of PROTOCOL.md: every Arrow buffer reaches a Java
//! primitive array in one bulk `Set<Type>ArrayRegion` copy.

use arrow::array::RecordBatch;
use jni::objects::{GlobalRef, JClass, JObject, JObjectArray};
use jni::JNIEnv;
use once_cell::sync::OnceCell;
use zkarrow_core::presto_column::{to_presto, PrestoColumn, PrestoValues};
use zkarrow_core::{err, Result};

use crate::error::jni_error;

static OBJECT_CLASS: OnceCell<GlobalRef> = OnceCell::new();

pub fn cache_classes(env: &mut JNIEnv) {
    if let Ok(class) = env.find_class("java/lang/Object") {
        if let Ok(global) = env.new_global_ref(class) {
            let _ = OBJECT_CLASS.set(global);
        }
    }
}

fn object_array<'l>(env: &mut JNIEnv<'l>, len: usize) -> Result<JObjectArray<'l>> {
    let class: &JClass = match OBJECT_CLASS.get() {
        Some(global) => <&JClass>::from(global.as_obj()),
        None => {
            return Err(err!(
                Internal,
                "java.lang.Object was not cached when the library loaded"
            ))
        }
    };
    env.new_object_array(jsize(len)?, class, JObject::null())
        .map_err(jni_error)
}

fn jsize(len: usize) -> Result<i32> {
    i32::try_from(len).map_err(|_| {
        err!(
            Internal,
            "an array of {len} elements does not fit a Java array"
        )
    })
}

/// Stores `value` at `index` of `array` and drops the local reference (pages hold many arrays).
fn put<'l>(
    env: &mut JNIEnv<'l>,
    array: &JObjectArray<'l>,
    index: usize,
    value: JObject<'l>,
) -> Result<()> {
    env.set_object_array_element(array, jsize(index)?, &value)
        .map_err(jni_error)?;
    env.delete_local_ref(value).map_err(jni_error)
}

fn int_array<'l>(env: &mut JNIEnv<'l>, values: &[i32]) -> Result<JObject<'l>> {
    let array = env.new_int_array(jsize(values.len())?).map_err(jni_error)?;
    env.set_int_array_region(&array, 0, values)
        .map_err(jni_error)?;
    Ok(array.into())
}

fn long_array<'l>(env: &mut JNIEnv<'l>, values: &[i64]) -> Result<JObject<'l>> {
    let array = env
        .new_long_array(jsize(values.len())?)
        .map_err(jni_error)?;
    env.set_long_array_region(&array, 0, values)
        .map_err(jni_error)?;
    Ok(array.into())
}

fn short_array<'l>(env: &mut JNIEnv<'l>, values: &[i16]) -> Result<JObject<'l>> {
    let array = env
        .new_short_array(jsize(values.len())?)
        .map_err(jni_error)?;
    env.set_short_array_region(&array, 0, values)
        .map_err(jni_error)?;
    Ok(array.into())
}

fn byte_array<'l>(env: &mut JNIEnv<'l>, values: &[i8]) -> Result<JObject<'l>> {
    let array = env
        .new_byte_array(jsize(values.len())?)
        .map_err(jni_error)?;
    env.set_byte_array_region(&array, 0, values)
        .map_err(jni_error)?;
    Ok(array.into())
}

fn unsigned_byte_array<'l>(env: &mut JNIEnv<'l>, values: &[u8]) -> Result<JObject<'l>> {
    // SAFETY: u8 and i8 have the same size and alignment; every bit pattern is valid for both.
    let signed = unsafe { std::slice::from_raw_parts(values.as_ptr() as *const i8, values.len()) };
    byte_array(env, signed)
}

fn boolean_array<'l>(env: &mut JNIEnv<'l>, values: &[bool]) -> Result<JObject<'l>> {
    let array = env
        .new_boolean_array(jsize(values.len())?)
        .map_err(jni_error)?;
    // SAFETY: bool is one byte holding 0 or 1, exactly what jboolean (u8) expects.
    let bytes = unsafe { std::slice::from_raw_parts(values.as_ptr() as *const u8, values.len()) };
    env.set_boolean_array_region(&array, 0, bytes)
        .map_err(jni_error)?;
    Ok(array.into())
}

/// The column object of PROTOCOL.md for one converted column.
fn column_object<'l>(env: &mut JNIEnv<'l>, column: &PrestoColumn) -> Result<JObject<'l>> {
    let mut parts: Vec<JObject<'l>> = Vec::with_capacity(5);
    parts.push(int_array(
        env,
        &[column.values.kind(), jsize(column.positions)?],
    )?);
    parts.push(match &column.nulls {
        Some(nulls) => boolean_array(env, nulls)?,
        None => JObject::null(),
    });
    match &column.values {
        PrestoValues::Bytes(v) => parts.push(byte_array(env, v)?),
        PrestoValues::Shorts(v) => parts.push(short_array(env, v)?),
        PrestoValues::Ints(v) => parts.push(int_array(env, v)?),
        PrestoValues::Longs(v) => parts.push(long_array(env, v)?),
        PrestoValues::Int128(v) => parts.push(long_array(env, v)?),
        PrestoValues::VarWidth { offsets, data } => {
            parts.push(int_array(env, offsets)?);
            parts.push(unsigned_byte_array(env, data)?);
        }
        PrestoValues::Dictionary { ids, dictionary } => {
            parts.push(int_array(env, ids)?);
            parts.push(column_object(env, dictionary)?);
        }
        PrestoValues::Array { offsets, elements } => {
            parts.push(int_array(env, offsets)?);
            parts.push(column_object(env, elements)?);
        }
        PrestoValues::Map {
            offsets,
            keys,
            values,
        } => {
            parts.push(int_array(env, offsets)?);
            parts.push(column_object(env, keys)?);
            parts.push(column_object(env, values)?);
        }
        PrestoValues::Row { fields } => {
            let array = object_array(env, fields.len())?;
            for (i, field) in fields.iter().enumerate() {
                let object = column_object(env, field)?;
                put(env, &array, i, object)?;
            }
            parts.push(array.into());
        }
    }
    let object = object_array(env, parts.len())?;
    for (i, part) in parts.into_iter().enumerate() {
        put(env, &object, i, part)?;
    }
    Ok(object.into())
}

/// `Object[]{int[]{rows}, column 0, column 1, ...}`.
pub fn batch_to_page<'l>(env: &mut JNIEnv<'l>, batch: &RecordBatch) -> Result<JObjectArray<'l>> {
    let page = object_array(env, 1 + batch.num_columns())?;
    let rows = int_array(env, &[jsize(batch.num_rows())?])?;
    put(env, &page, 0, rows)?;
    for (i, array) in batch.columns().iter().enumerate() {
        let column = to_presto(array.as_ref())?;
        let object = column_object(env, &column)?;
        put(env, &page, i + 1, object)?;
    }
    Ok(page)
}
