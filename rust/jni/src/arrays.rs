//! Java primitive arrays to and from Rust slices, each in one bulk `Set/Get<Type>ArrayRegion`
//! copy: one generic pair of functions over the element types pages use.

use jni::objects::{JObject, JPrimitiveArray, TypeArray};
use jni::sys::{jboolean, jbyte, jint, jlong, jshort, jsize};
use jni::JNIEnv;
use zkarrow_core::{err, Result};

use crate::error::jni_error;

/// An element type of a Java primitive array, with the JNI calls that make and copy such arrays.
pub trait Element: TypeArray + Copy + Default + 'static {
    fn new_array<'l>(
        env: &mut JNIEnv<'l>,
        len: jsize,
    ) -> jni::errors::Result<JPrimitiveArray<'l, Self>>;
    fn set_region(
        env: &mut JNIEnv,
        array: &JPrimitiveArray<Self>,
        values: &[Self],
    ) -> jni::errors::Result<()>;
    fn get_region(
        env: &mut JNIEnv,
        array: &JPrimitiveArray<Self>,
        out: &mut [Self],
    ) -> jni::errors::Result<()>;
}

macro_rules! element {
    ($t:ty, $new:ident, $set:ident, $get:ident) => {
        impl Element for $t {
            fn new_array<'l>(
                env: &mut JNIEnv<'l>,
                len: jsize,
            ) -> jni::errors::Result<JPrimitiveArray<'l, Self>> {
                env.$new(len)
            }
            fn set_region(
                env: &mut JNIEnv,
                array: &JPrimitiveArray<Self>,
                values: &[Self],
            ) -> jni::errors::Result<()> {
                env.$set(array, 0, values)
            }
            fn get_region(
                env: &mut JNIEnv,
                array: &JPrimitiveArray<Self>,
                out: &mut [Self],
            ) -> jni::errors::Result<()> {
                env.$get(array, 0, out)
            }
        }
    };
}

element!(
    jbyte,
    new_byte_array,
    set_byte_array_region,
    get_byte_array_region
);
element!(
    jshort,
    new_short_array,
    set_short_array_region,
    get_short_array_region
);
element!(
    jint,
    new_int_array,
    set_int_array_region,
    get_int_array_region
);
element!(
    jlong,
    new_long_array,
    set_long_array_region,
    get_long_array_region
);
element!(
    jboolean,
    new_boolean_array,
    set_boolean_array_region,
    get_boolean_array_region
);

/// A Java array length for `len` elements.
pub fn jsize(len: usize) -> Result<i32> {
    i32::try_from(len).map_err(|_| {
        err!(
            Internal,
            "an array of {len} elements does not fit a Java array"
        )
    })
}

/// A new Java array holding `values`.
pub fn to_java<'l, T: Element>(env: &mut JNIEnv<'l>, values: &[T]) -> Result<JObject<'l>> {
    let array = T::new_array(env, jsize(values.len())?).map_err(jni_error)?;
    T::set_region(env, &array, values).map_err(jni_error)?;
    Ok(array.into())
}

/// The elements of the Java array `object`.
pub fn from_java<T: Element>(env: &mut JNIEnv, object: JObject) -> Result<Vec<T>> {
    let array = JPrimitiveArray::<T>::from(object);
    let n = env.get_array_length(&array).map_err(jni_error)? as usize;
    let mut out = vec![T::default(); n];
    T::get_region(env, &array, &mut out).map_err(jni_error)?;
    Ok(out)
}

/// `u8` data as the `i8` elements of a Java `byte[]`.
pub fn as_jbytes(values: &[u8]) -> &[i8] {
    // SAFETY: u8 and i8 have the same size and alignment; every bit pattern is valid for both.
    unsafe { std::slice::from_raw_parts(values.as_ptr() as *const i8, values.len()) }
}

/// Flags as the elements of a Java `boolean[]`.
pub fn as_jbooleans(values: &[bool]) -> &[jboolean] {
    // SAFETY: bool is one byte holding 0 or 1, exactly what jboolean (u8) expects.
    unsafe { std::slice::from_raw_parts(values.as_ptr() as *const u8, values.len()) }
}
