//! An Arrow column becomes the `Object[]` column object of PROTOCOL.md (the way back is
//! `page_in.rs`): every Arrow buffer reaches a Java primitive array in one bulk
//! `Set<Type>ArrayRegion` copy.

use jni::objects::{GlobalRef, JClass, JObject, JObjectArray};
use jni::JNIEnv;
use once_cell::sync::OnceCell;
use zkarrow_core::presto::layout::{PrestoColumn, PrestoValues};
use zkarrow_core::{err, Result};

use crate::arrays::{as_jbooleans, as_jbytes, jsize, to_java};
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

/// The column object of PROTOCOL.md for one converted column.
pub fn column_object<'l>(env: &mut JNIEnv<'l>, column: &PrestoColumn) -> Result<JObject<'l>> {
    let mut parts: Vec<JObject<'l>> = Vec::with_capacity(5);
    parts.push(to_java(
        env,
        &[column.values.kind() as i32, jsize(column.positions)?],
    )?);
    parts.push(match &column.nulls {
        Some(nulls) => to_java(env, as_jbooleans(nulls))?,
        None => JObject::null(),
    });
    match &column.values {
        PrestoValues::Bytes(v) => parts.push(to_java(env, v)?),
        PrestoValues::Shorts(v) => parts.push(to_java(env, v)?),
        PrestoValues::Ints(v) => parts.push(to_java(env, v)?),
        PrestoValues::Longs(v) => parts.push(to_java(env, v)?),
        PrestoValues::Int128(v) => parts.push(to_java(env, v)?),
        PrestoValues::VarWidth { offsets, data } => {
            parts.push(to_java(env, offsets)?);
            parts.push(to_java(env, as_jbytes(data))?);
        }
        PrestoValues::Dictionary { ids, dictionary } => {
            parts.push(to_java(env, ids)?);
            parts.push(column_object(env, dictionary)?);
        }
        PrestoValues::Array { offsets, elements } => {
            parts.push(to_java(env, offsets)?);
            parts.push(column_object(env, elements)?);
        }
        PrestoValues::Map {
            offsets,
            keys,
            values,
        } => {
            parts.push(to_java(env, offsets)?);
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
