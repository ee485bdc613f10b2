//! The way back of `page.rs`: a column object of PROTOCOL.md that the Java page sink built from a
//! Presto block becomes a `PrestoColumn`, each Java array read in one bulk `Get<Type>ArrayRegion`.

use std::borrow::Cow;

use jni::objects::{
    JBooleanArray, JByteArray, JIntArray, JLongArray, JObject, JObjectArray, JShortArray,
};
use jni::JNIEnv;
use zkarrow_core::presto_column::{PrestoColumn, PrestoValues};
use zkarrow_core::{err, Result};

use crate::error::jni_error;

fn element<'l>(env: &mut JNIEnv<'l>, array: &JObjectArray, index: i32) -> Result<JObject<'l>> {
    env.get_object_array_element(array, index)
        .map_err(jni_error)
}

fn ints(env: &mut JNIEnv, object: JObject) -> Result<Vec<i32>> {
    let array = JIntArray::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut out = vec![0; n];
    env.get_int_array_region(&array, 0, &mut out)
        .map_err(jni_error)?;
    Ok(out)
}

fn longs(env: &mut JNIEnv, object: JObject) -> Result<Vec<i64>> {
    let array = JLongArray::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut out = vec![0; n];
    env.get_long_array_region(&array, 0, &mut out)
        .map_err(jni_error)?;
    Ok(out)
}

fn shorts(env: &mut JNIEnv, object: JObject) -> Result<Vec<i16>> {
    let array = JShortArray::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut out = vec![0; n];
    env.get_short_array_region(&array, 0, &mut out)
        .map_err(jni_error)?;
    Ok(out)
}

fn bytes(env: &mut JNIEnv, object: JObject) -> Result<Vec<i8>> {
    let array = JByteArray::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut out = vec![0; n];
    env.get_byte_array_region(&array, 0, &mut out)
        .map_err(jni_error)?;
    Ok(out)
}

fn unsigned_bytes(env: &mut JNIEnv, object: JObject) -> Result<Vec<u8>> {
    let array = JByteArray::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut out = vec![0u8; n];
    // SAFETY: u8 and i8 have the same size and alignment, and every bit pattern is valid for both.
    let signed = unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr() as *mut i8, n) };
    env.get_byte_array_region(&array, 0, signed)
        .map_err(jni_error)?;
    Ok(out)
}

fn booleans(env: &mut JNIEnv, object: JObject) -> Result<Vec<bool>> {
    let array = JBooleanArray::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut raw = vec![0u8; n];
    env.get_boolean_array_region(&array, 0, &mut raw)
        .map_err(jni_error)?;
    Ok(raw.into_iter().map(|b| b != 0).collect())
}

/// One column object: `{int[]{kind, positions}, boolean[] isNull or null, ...}`.
pub fn column_from_java(env: &mut JNIEnv, object: JObject) -> Result<PrestoColumn<'static>> {
    if object.is_null() {
        return Err(err!(InvalidArgument, "a column object is null"));
    }
    let parts = JObjectArray::from(object);
    let header = element(env, &parts, 0)?;
    let header = ints(env, header)?;
    let [kind, positions] = header[..] else {
        return Err(err!(
            InvalidArgument,
            "a column header must be int[]{{kind, positions}}"
        ));
    };
    let nulls_object = element(env, &parts, 1)?;
    let nulls = if nulls_object.is_null() {
        None
    } else {
        Some(booleans(env, nulls_object)?)
    };
    let count = env.get_array_length(&parts).map_err(jni_error)?;
    let mut rest = Vec::with_capacity(3);
    for i in 2..count {
        rest.push(element(env, &parts, i)?);
    }
    let mut rest = rest.into_iter();
    let mut part = || {
        rest.next()
            .ok_or_else(|| err!(InvalidArgument, "column of kind {kind} lacks a part"))
    };
    let values = match kind {
        1 => PrestoValues::Bytes(Cow::Owned(bytes(env, part()?)?)),
        2 => PrestoValues::Shorts(Cow::Owned(shorts(env, part()?)?)),
        3 => PrestoValues::Ints(Cow::Owned(ints(env, part()?)?)),
        4 => PrestoValues::Longs(Cow::Owned(longs(env, part()?)?)),
        5 => PrestoValues::Int128(longs(env, part()?)?),
        6 => {
            let offsets = ints(env, part()?)?;
            let data = unsigned_bytes(env, part()?)?;
            PrestoValues::VarWidth {
                offsets: Cow::Owned(offsets),
                data: Cow::Owned(data),
            }
        }
        7 => {
            let ids = ints(env, part()?)?;
            let dictionary = column_from_java(env, part()?)?;
            PrestoValues::Dictionary {
                ids,
                dictionary: Box::new(dictionary),
            }
        }
        8 => {
            let offsets = ints(env, part()?)?;
            let elements = column_from_java(env, part()?)?;
            PrestoValues::Array {
                offsets: Cow::Owned(offsets),
                elements: Box::new(elements),
            }
        }
        9 => {
            let offsets = ints(env, part()?)?;
            let keys = column_from_java(env, part()?)?;
            let values = column_from_java(env, part()?)?;
            PrestoValues::Map {
                offsets: Cow::Owned(offsets),
                keys: Box::new(keys),
                values: Box::new(values),
            }
        }
        10 => {
            let fields_object = JObjectArray::from(part()?);
            let n = env.get_array_length(&fields_object).map_err(jni_error)? as usize;
            let mut fields = Vec::with_capacity(n);
            for i in 0..n {
                let field = element(env, &fields_object, i as i32)?;
                fields.push(column_from_java(env, field)?);
            }
            PrestoValues::Row { fields }
        }
        other => return Err(err!(InvalidArgument, "unknown column kind {other}")),
    };
    Ok(PrestoColumn {
        positions: positions as usize,
        nulls,
        values,
    })
}
