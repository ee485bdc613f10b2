//! Round trips: Arrow -> Presto blocks ([`crate::presto::to_presto`]) -> Arrow
//! ([`crate::presto::from_presto`]), for every type zkarrow stores, whole and sliced.

use std::borrow::Cow;
use std::sync::Arc;

use arrow::buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::datatypes::DataType;

use crate::error::ErrorCode;
use crate::presto::from_presto::{into_arrow, to_arrow};
use crate::presto::layout::{PrestoColumn, PrestoValues};
use crate::presto::test_arrays::sample_struct;
use crate::presto::to_presto::to_presto;
use crate::presto::types::arrow_type;
use arrow::array::*;
use arrow::compute::cast;
use arrow::datatypes::{Field, Fields, Int32Type, Int64Type, UInt16Type};

/// to_presto -> to_arrow / into_arrow gives back `array` (cast to `stored` where it differs),
/// whole and sliced.
fn round_trip(array: &dyn Array, stored: &DataType) {
    let expected = if array.data_type() == stored {
        make_array(array.to_data())
    } else {
        cast(array, stored).unwrap()
    };
    let column = to_presto(array).unwrap();
    let back = to_arrow(&column, stored).unwrap();
    assert_eq!(back.data_type(), stored);
    assert_eq!(back.to_data(), expected.to_data(), "{stored}");
    let back = into_arrow(column.into_owned(), stored).unwrap();
    assert_eq!(back.to_data(), expected.to_data(), "{stored} (owned)");
    if array.len() >= 3 {
        let sliced = array.slice(1, array.len() - 2);
        let column = to_presto(sliced.as_ref()).unwrap();
        let back = to_arrow(&column, stored).unwrap();
        assert_eq!(
            back.to_data(),
            expected.slice(1, array.len() - 2).to_data(),
            "{stored} sliced"
        );
    }
}

fn same(array: &dyn Array) {
    round_trip(array, &array.data_type().clone());
}

fn sig(s: &str) -> DataType {
    arrow_type(s).unwrap()
}

#[test]
fn primitives_with_nulls() {
    same(&BooleanArray::from(vec![
        Some(true),
        None,
        Some(false),
        Some(true),
    ]));
    same(&Int8Array::from(vec![Some(-128), None, Some(127), Some(0)]));
    same(&Int16Array::from(vec![Some(i16::MIN), None, Some(7), None]));
    same(&Int32Array::from(vec![
        Some(i32::MAX),
        None,
        Some(-1),
        Some(3),
    ]));
    same(&Int64Array::from(vec![
        Some(i64::MIN),
        Some(i64::MAX),
        None,
        Some(0),
    ]));
    same(&Float32Array::from(vec![
        Some(1.5),
        None,
        Some(-0.0),
        Some(f32::INFINITY),
    ]));
    same(&Float64Array::from(vec![
        Some(-2.25),
        None,
        Some(f64::MAX),
        Some(1e-300),
    ]));
    same(&Date32Array::from(vec![
        Some(-719_162),
        None,
        Some(19_000),
        Some(0),
    ]));
    same(&Time32MillisecondArray::from(vec![
        Some(0),
        None,
        Some(86_399_999),
        Some(5),
    ]));
    same(&TimestampMillisecondArray::from(vec![
        Some(-1),
        None,
        Some(1_700_000_000_123),
        Some(0),
    ]));
    let zoned = TimestampMillisecondArray::from(vec![
        Some(-86_400_001),
        None,
        Some(1_700_000_000_123),
        Some(-1),
    ])
    .with_timezone("UTC");
    same(&zoned);
    assert_eq!(zoned.data_type(), &sig("timestamp with time zone"));
    // no nulls at all
    same(&Int64Array::from(vec![1, 2, 3, 4]));
}

#[test]
fn decimals_short_and_long() {
    let short = Decimal128Array::from(vec![
        Some(-999_999_999_999_999_999),
        None,
        Some(12_345),
        Some(999_999_999_999_999_999),
    ])
    .with_precision_and_scale(18, 2)
    .unwrap();
    same(&short);
    let max = 10i128.pow(38) - 1;
    let long = Decimal128Array::from(vec![
        Some(-max),
        None,
        Some(max),
        Some(-1),
        Some(0),
        Some(1),
        Some(i64::MIN as i128 - 1),
        Some(u64::MAX as i128 + 7),
        Some(-(1i128 << 64)),
    ])
    .with_precision_and_scale(38, 5)
    .unwrap();
    same(&long);
    assert_eq!(long.data_type(), &sig("decimal(38,5)"));
    same(
        &Decimal128Array::from(vec![Some(-123_456_789_012_345_678_901), None])
            .with_precision_and_scale(30, 0)
            .unwrap(),
    );
}

#[test]
fn strings_and_binary() {
    same(&StringArray::from(vec![
        Some("héllo"),
        None,
        Some(""),
        Some("zkarrow"),
    ]));
    same(&BinaryArray::from(vec![
        Some(&b"\x00\xff"[..]),
        None,
        Some(b""),
        Some(b"abc"),
    ]));
    // stored types that differ from the original
    let large = LargeStringArray::from(vec![Some("a"), None, Some("bcd"), Some("")]);
    round_trip(&large, &DataType::Utf8);
    let view = StringViewArray::from(vec![Some("short"), None, Some("a longer string view")]);
    round_trip(&view, &DataType::Utf8);
    let micros =
        TimestampMicrosecondArray::from(vec![Some(1_700_000_000_123_000), None, Some(5_000)]);
    round_trip(&micros, &sig("timestamp"));
}

#[test]
fn dictionaries_materialize() {
    let d: DictionaryArray<Int32Type> = vec![Some("x"), None, Some("y"), Some("x"), None]
        .into_iter()
        .collect();
    round_trip(&d, &DataType::Utf8);
    let d: DictionaryArray<UInt16Type> = vec!["p", "q", "p"].into_iter().collect();
    round_trip(&d, &DataType::Utf8);
    let all_null: DictionaryArray<Int32Type> = vec![None::<&str>, None].into_iter().collect();
    round_trip(&all_null, &DataType::Utf8);
    let ints = DictionaryArray::<Int32Type>::new(
        Int32Array::from(vec![Some(1), None, Some(0)]),
        Arc::new(Int64Array::from(vec![10, 20])),
    );
    round_trip(&ints, &DataType::Int64);

    // a dictionary column with nulls of its own, and junk ids at those null positions
    let column = PrestoColumn {
        positions: 3,
        nulls: Some(vec![false, true, false]),
        values: PrestoValues::Dictionary {
            ids: vec![1, -5, 0],
            dictionary: Box::new(PrestoColumn {
                positions: 2,
                nulls: None,
                values: PrestoValues::Longs(Cow::Owned(vec![7, 8])),
            }),
        },
    };
    let back = to_arrow(&column, &DataType::Int64).unwrap();
    assert_eq!(
        back.as_primitive::<Int64Type>(),
        &Int64Array::from(vec![Some(8), None, Some(7)])
    );
}

#[test]
fn structs_with_null_rows_and_nested_structs() {
    let st = sample_struct(StringArray::from(vec![
        Some("a"),
        Some("b"),
        Some("c"),
        None,
    ]));
    assert_eq!(st.data_type(), &sig("row(i integer, s varchar)"));
    same(&st);
    // a struct without null rows, a struct of only null rows
    let (fields, columns, _) = sample_struct(StringArray::from(vec![
        Some("a"),
        Some("b"),
        Some("c"),
        None,
    ]))
    .into_parts();
    same(&StructArray::new(fields.clone(), columns.clone(), None));
    same(&StructArray::new(
        fields,
        columns,
        Some(NullBuffer::new_null(4)),
    ));

    // row(inner row(i, s), n bigint): inner null where outer is valid, outer null rows
    let inner = sample_struct(StringArray::from(vec![
        Some("a"),
        Some("b"),
        Some("c"),
        None,
    ]));
    let n = Int64Array::from(vec![Some(1), None, Some(3), Some(4)]);
    let outer = StructArray::new(
        Fields::from(vec![
            Field::new("inner", inner.data_type().clone(), true),
            Field::new("n", DataType::Int64, true),
        ]),
        vec![Arc::new(inner), Arc::new(n)],
        Some(NullBuffer::from(vec![true, true, false, true])),
    );
    same(&outer);
}

#[test]
fn lists_of_structs_and_maps() {
    let list = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1), None]),
        None,
        Some(vec![]),
        Some(vec![Some(4), Some(5), Some(6)]),
    ]);
    assert_eq!(list.data_type(), &sig("array(bigint)"));
    same(&list);

    let st = sample_struct(StringArray::from(vec![
        Some("a"),
        Some("b"),
        Some("c"),
        None,
    ]));
    let field = Arc::new(Field::new("item", st.data_type().clone(), true));
    let list = ListArray::new(
        field,
        OffsetBuffer::new(ScalarBuffer::from(vec![0, 1, 1, 4, 4])),
        Arc::new(st),
        Some(NullBuffer::from(vec![true, false, true, true])),
    );
    same(&list);

    // map(varchar, array(double)) built to the stored type
    let map_type = sig("map(varchar, array(double))");
    let DataType::Map(entries_field, _) = &map_type else {
        panic!()
    };
    let DataType::Struct(entry_fields) = entries_field.data_type() else {
        panic!()
    };
    let keys = Arc::new(StringArray::from(vec!["a", "b", "c", "d"])) as ArrayRef;
    let values = Arc::new(ListArray::from_iter_primitive::<
        arrow::datatypes::Float64Type,
        _,
        _,
    >(vec![
        Some(vec![Some(1.0)]),
        None,
        Some(vec![None, Some(2.5)]),
        Some(vec![]),
    ])) as ArrayRef;
    let entries = StructArray::new(entry_fields.clone(), vec![keys, values], None);
    let map = MapArray::new(
        Arc::clone(entries_field),
        OffsetBuffer::new(ScalarBuffer::from(vec![0, 2, 2, 3, 4])),
        entries,
        Some(NullBuffer::from(vec![true, false, true, true])),
        false,
    );
    assert_eq!(map.data_type(), &map_type);
    same(&map);

    // a struct holding a list and a dictionary, with a null row: stored with varchar
    let inner = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1)]),
        None,
        Some(vec![Some(2), None]),
    ]);
    let dict: DictionaryArray<Int32Type> = vec![Some("u"), Some("v"), None].into_iter().collect();
    let fields = |d: DataType| {
        Fields::from(vec![
            Field::new("l", inner.data_type().clone(), true),
            Field::new("d", d, true),
        ])
    };
    let nulls = Some(NullBuffer::from(vec![false, true, true]));
    let st = StructArray::new(
        fields(dict.data_type().clone()),
        vec![Arc::new(inner.clone()), Arc::new(dict.clone())],
        nulls.clone(),
    );
    let stored = StructArray::new(
        fields(DataType::Utf8),
        vec![Arc::new(inner), cast(&dict, &DataType::Utf8).unwrap()],
        nulls,
    );
    let back = to_arrow(&to_presto(&st).unwrap(), stored.data_type()).unwrap();
    assert_eq!(back.to_data(), stored.to_data());
}

#[test]
fn empty_arrays() {
    same(&Int64Array::from(Vec::<i64>::new()));
    same(&StringArray::from(Vec::<&str>::new()));
    same(&StructArray::from(
        sample_struct(StringArray::from(vec![
            Some("a"),
            Some("b"),
            Some("c"),
            None,
        ]))
        .slice(0, 0)
        .to_data(),
    ));
}

#[test]
fn owned_buffers_are_moved_not_copied() {
    let longs: Vec<i64> = vec![1, 2, 3];
    let at = longs.as_ptr();
    let column = PrestoColumn {
        positions: 3,
        nulls: Some(vec![false, true, false]),
        values: PrestoValues::Longs(Cow::Owned(longs)),
    };
    let back = into_arrow(column, &DataType::Float64).unwrap();
    let back = back.as_primitive::<arrow::datatypes::Float64Type>();
    assert_eq!(back.values().inner().as_ptr() as *const i64, at);
    assert!(back.is_null(1));

    let data = b"abcdef".to_vec();
    let at = data.as_ptr();
    let column = PrestoColumn {
        positions: 2,
        nulls: None,
        values: PrestoValues::VarWidth {
            offsets: Cow::Owned(vec![0, 2, 6]),
            data: Cow::Owned(data),
        },
    };
    let back = into_arrow(column, &DataType::Utf8).unwrap();
    assert_eq!(back.as_string::<i32>().values().as_ptr(), at);
    assert_eq!(back.as_string::<i32>().value(1), "cdef");
}

fn longs(v: Vec<i64>) -> PrestoColumn<'static> {
    PrestoColumn {
        positions: v.len(),
        nulls: None,
        values: PrestoValues::Longs(Cow::Owned(v)),
    }
}

#[test]
fn errors() {
    let e = to_arrow(&longs(vec![1]), &DataType::Utf8).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert!(
        e.message.contains("LONG") && e.message.contains("Utf8"),
        "{e}"
    );
    let e = to_arrow(&longs(vec![1]), &sig("decimal(30,2)")).unwrap_err();
    assert!(
        e.message.contains("LONG") && e.message.contains("Decimal128(30, 2)"),
        "{e}"
    );
    let e = to_arrow(&longs(vec![1]), &DataType::LargeUtf8).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedType);

    let bad_utf8 = PrestoColumn {
        positions: 1,
        nulls: None,
        values: PrestoValues::VarWidth {
            offsets: Cow::Owned(vec![0, 2]),
            data: Cow::Owned(vec![0xc3, 0x28]),
        },
    };
    let e = to_arrow(&bad_utf8, &DataType::Utf8).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert!(e.message.contains("UTF-8"), "{e}");
    assert!(to_arrow(&bad_utf8, &DataType::Binary).is_ok());
    let split = PrestoColumn {
        positions: 2,
        nulls: None,
        values: PrestoValues::VarWidth {
            offsets: Cow::Owned(vec![0, 1, 2]),
            data: Cow::Owned("é".as_bytes().to_vec()),
        },
    };
    let e = to_arrow(&split, &DataType::Utf8).unwrap_err();
    assert!(e.message.contains("splits a character"), "{e}");

    let bad_offsets = PrestoColumn {
        positions: 2,
        nulls: None,
        values: PrestoValues::VarWidth {
            offsets: Cow::Owned(vec![0, 3, 1]),
            data: Cow::Owned(b"abc".to_vec()),
        },
    };
    assert_eq!(
        to_arrow(&bad_offsets, &DataType::Binary).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    let mut short = longs(vec![1, 2]);
    short.positions = 3;
    assert!(to_arrow(&short, &DataType::Int64).is_err());
    let mut wrong_nulls = longs(vec![1, 2]);
    wrong_nulls.nulls = Some(vec![true]);
    assert!(to_arrow(&wrong_nulls, &DataType::Int64).is_err());

    let dict = PrestoColumn {
        positions: 1,
        nulls: None,
        values: PrestoValues::Dictionary {
            ids: vec![2],
            dictionary: Box::new(longs(vec![1, 2])),
        },
    };
    let e = to_arrow(&dict, &DataType::Int64).unwrap_err();
    assert!(e.message.contains("outside the dictionary"), "{e}");

    // a row whose fields do not hold one entry per non-null row
    let row = PrestoColumn {
        positions: 2,
        nulls: Some(vec![true, false]),
        values: PrestoValues::Row {
            fields: vec![longs(vec![1, 2])],
        },
    };
    let e = to_arrow(&row, &sig("row(a bigint)")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let e = to_arrow(&longs(vec![1 << 40]), &sig("time")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}
