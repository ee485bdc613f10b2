//! Arrays that the tests of both directions of the conversion start from.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, Int32Array, Int32Builder, MapArray, MapBuilder, StringArray, StringBuilder,
    StructArray,
};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, Field, Fields};

/// `[{a: 1, b: null}, null, {c: 3}]` as a map of varchar to integer.
pub(crate) fn sample_map() -> MapArray {
    let mut b = MapBuilder::new(None, StringBuilder::new(), Int32Builder::new());
    b.keys().append_value("a");
    b.values().append_value(1);
    b.keys().append_value("b");
    b.values().append_null();
    b.append(true).unwrap();
    b.append(false).unwrap();
    b.keys().append_value("c");
    b.values().append_value(3);
    b.append(true).unwrap();
    b.finish()
}

/// A `row(i integer, s varchar)` of four rows, the second null, with `strs` as its `s`.
pub(crate) fn sample_struct(strs: StringArray) -> StructArray {
    let ints = Arc::new(Int32Array::from(vec![Some(1), Some(2), None, Some(4)])) as ArrayRef;
    StructArray::new(
        Fields::from(vec![
            Field::new("i", DataType::Int32, true),
            Field::new("s", DataType::Utf8, true),
        ]),
        vec![ints, Arc::new(strs)],
        Some(NullBuffer::from(vec![true, false, true, true])),
    )
}
