//! The way back of `page.rs`: a column object of PROTOCOL.md that the Java page sink built from a
//! Presto block becomes a `PrestoColumn`, each Java array read in one bulk `Get<Type>ArrayRegion`.

use std::borrow::Cow;

use jni::objects::{JObject, JObjectArray};
use jni::JNIEnv;
use zkarrow_core::presto::layout::{Kind, PrestoColumn, PrestoValues};
use zkarrow_core::{err, Result};

use crate::arrays::from_java;
use crate::error::jni_error;

fn element<'l>(env: &mut JNIEnv<'l>, array: &JObjectArray, index: i32) -> Result<JObject<'l>> {
    env.get_object_array_element(array, index)
        .map_err(jni_error)
}

fn ints(env: &mut JNIEnv, object: JObject) -> Result<Vec<i32>> {
    from_java(env, object)
}

fn unsigned_bytes(env: &mut JNIEnv, object: JObject) -> Result<Vec<u8>> {
    let signed = std::mem::ManuallyDrop::new(from_java::<i8>(env, object)?);
    // SAFETY: u8 and i8 have the same size and alignment, and every bit pattern is valid for
    // both; the vector's allocation moves over unchanged.
    Ok(unsafe { Vec::from_raw_parts(signed.as_ptr() as *mut u8, signed.len(), signed.capacity()) })
}

fn booleans(env: &mut JNIEnv, object: JObject) -> Result<Vec<bool>> {
    let raw: Vec<u8> = from_java(env, object)?;
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
    let Some(kind_of) = Kind::from_i32(kind) else {
        return Err(err!(InvalidArgument, "unknown column kind {kind}"));
    };
    let values = match kind_of {
        Kind::Byte => PrestoValues::Bytes(Cow::Owned(from_java(env, part()?)?)),
        Kind::Short => PrestoValues::Shorts(Cow::Owned(from_java(env, part()?)?)),
        Kind::Int => PrestoValues::Ints(Cow::Owned(ints(env, part()?)?)),
        Kind::Long => PrestoValues::Longs(Cow::Owned(from_java(env, part()?)?)),
        Kind::Int128 => PrestoValues::Int128(from_java(env, part()?)?),
        Kind::VarWidth => {
            let offsets = ints(env, part()?)?;
            let data = unsigned_bytes(env, part()?)?;
            PrestoValues::VarWidth {
                offsets: Cow::Owned(offsets),
                data: Cow::Owned(data),
            }
        }
        Kind::Dictionary => {
            let ids = ints(env, part()?)?;
            let dictionary = column_from_java(env, part()?)?;
            PrestoValues::Dictionary {
                ids,
                dictionary: Box::new(dictionary),
            }
        }
        Kind::Array => {
            let offsets = ints(env, part()?)?;
            let elements = column_from_java(env, part()?)?;
            PrestoValues::Array {
                offsets: Cow::Owned(offsets),
                elements: Box::new(elements),
            }
        }
        Kind::Map => {
            let offsets = ints(env, part()?)?;
            let keys = column_from_java(env, part()?)?;
            let values = column_from_java(env, part()?)?;
            PrestoValues::Map {
                offsets: Cow::Owned(offsets),
                keys: Box::new(keys),
                values: Box::new(values),
            }
        }
        Kind::Row => {
            let fields_object = JObjectArray::from(part()?);
            let n = env.get_array_length(&fields_object).map_err(jni_error)? as usize;
            let mut fields = Vec::with_capacity(n);
            for i in 0..n {
                let field = element(env, &fields_object, i as i32)?;
                fields.push(column_from_java(env, field)?);
            }
            PrestoValues::Row { fields }
        }
    };
    Ok(PrestoColumn {
        positions: positions as usize,
        nulls,
        values,
    })
}
