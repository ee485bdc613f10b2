//! The mapping from Arrow data types to Presto type signatures.
//!
//! The mapping here and the conversion in [`crate::presto_column`] agree: every type that
//! [`presto_type`] accepts can be converted by [`crate::presto_column::to_presto`].

use arrow::datatypes::{DataType, Field};

use crate::err;
use crate::error::Result;

/// The widest decimal Presto can represent.
pub const MAX_DECIMAL_PRECISION: u8 = 38;

/// The Presto type signature for an Arrow type, or a sentence saying why there is none.
pub fn presto_type(data_type: &DataType) -> std::result::Result<String, String> {
    use DataType::*;
    Ok(match data_type {
        Boolean => "boolean".into(),
        Int8 => "tinyint".into(),
        Int16 | UInt8 => "smallint".into(),
        Int32 | UInt16 => "integer".into(),
        Int64 | UInt32 => "bigint".into(),
        UInt64 => {
            return Err(
                "UInt64 does not fit in Presto's bigint; convert it to int64 (or decimal(20,0))"
                    .into(),
            )
        }
        Float32 => "real".into(),
        Float64 => "double".into(),
        Decimal32(p, s) | Decimal64(p, s) | Decimal128(p, s) | Decimal256(p, s) => decimal(*p, *s)?,
        Utf8 | LargeUtf8 | Utf8View => "varchar".into(),
        Binary | LargeBinary | BinaryView | FixedSizeBinary(_) => "varbinary".into(),
        Date32 | Date64 => "date".into(),
        Time32(_) | Time64(_) => "time".into(),
        Timestamp(_, None) => "timestamp".into(),
        Timestamp(_, Some(_)) => "timestamp with time zone".into(),
        List(f) | LargeList(f) | FixedSizeList(f, _) => {
            format!("array({})", presto_type(f.data_type())?)
        }
        Map(entries, _) => {
            let DataType::Struct(kv) = entries.data_type() else {
                return Err(format!(
                    "map entries must be a struct, found {}",
                    entries.data_type()
                ));
            };
            if kv.len() != 2 {
                return Err(format!(
                    "map entries must have 2 fields (key, value), found {}",
                    kv.len()
                ));
            }
            format!(
                "map({},{})",
                presto_type(kv[0].data_type())?,
                presto_type(kv[1].data_type())?
            )
        }
        Struct(fields) => {
            if fields.is_empty() {
                return Err("a struct without fields has no Presto row type".into());
            }
            let mut parts = Vec::with_capacity(fields.len());
            for f in fields.iter() {
                let t = presto_type(f.data_type())
                    .map_err(|e| format!("struct field '{}': {e}", f.name()))?;
                parts.push(format!("{} {t}", quote_identifier(f.name())));
            }
            format!("row({})", parts.join(", "))
        }
        Dictionary(key, value) => {
            if !key.is_integer() {
                return Err(format!("dictionary keys must be integers, found {key}"));
            }
            match value.as_ref() {
                Utf8 | LargeUtf8 | Utf8View => "varchar".into(),
                Binary | LargeBinary | BinaryView => "varbinary".into(),
                other => {
                    return Err(format!(
                        "only dictionaries of strings or binaries are supported, found values of type {other}"
                    ))
                }
            }
        }
        other => return Err(format!("Arrow type {other} has no Presto equivalent")),
    })
}

fn decimal(precision: u8, scale: i8) -> std::result::Result<String, String> {
    if precision == 0 || precision > MAX_DECIMAL_PRECISION {
        return Err(format!(
            "decimal precision {precision} is outside Presto's range 1..=38"
        ));
    }
    if scale < 0 || scale as u8 > precision {
        return Err(format!(
            "decimal scale {scale} is outside Presto's range 0..=precision ({precision})"
        ));
    }
    Ok(format!("decimal({precision},{scale})"))
}

/// Quotes a row field name the way Presto's type signatures do: `"a""b"` for `a"b`.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The Presto type of a column, or an UNSUPPORTED_TYPE error naming the column and its Arrow type.
pub fn presto_type_of_field(field: &Field) -> Result<String> {
    presto_type(field.data_type()).map_err(|reason| {
        let detail = match field.data_type() {
            DataType::Float16 => "; convert it to float32 before registering".to_string(),
            DataType::UInt64 => "; convert it to int64 before registering".to_string(),
            DataType::Null => "; give the column a concrete type before registering".to_string(),
            _ => format!(" ({reason})"),
        };
        err!(
            UnsupportedType,
            "column '{}' has Arrow type {}, which Presto cannot represent{detail}",
            field.name(),
            field.data_type()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use arrow::datatypes::{Fields, TimeUnit};
    use std::sync::Arc;

    fn t(d: DataType) -> String {
        presto_type(&d).unwrap()
    }

    #[test]
    fn scalars() {
        assert_eq!(t(DataType::Boolean), "boolean");
        assert_eq!(t(DataType::Int8), "tinyint");
        assert_eq!(t(DataType::Int16), "smallint");
        assert_eq!(t(DataType::Int32), "integer");
        assert_eq!(t(DataType::Int64), "bigint");
        assert_eq!(t(DataType::UInt8), "smallint");
        assert_eq!(t(DataType::UInt16), "integer");
        assert_eq!(t(DataType::UInt32), "bigint");
        assert!(presto_type(&DataType::UInt64).is_err());
        assert_eq!(t(DataType::Float32), "real");
        assert_eq!(t(DataType::Float64), "double");
        assert!(presto_type(&DataType::Float16).is_err());
        assert_eq!(t(DataType::Utf8), "varchar");
        assert_eq!(t(DataType::LargeUtf8), "varchar");
        assert_eq!(t(DataType::Utf8View), "varchar");
        assert_eq!(t(DataType::Binary), "varbinary");
        assert_eq!(t(DataType::LargeBinary), "varbinary");
        assert_eq!(t(DataType::BinaryView), "varbinary");
        assert_eq!(t(DataType::FixedSizeBinary(16)), "varbinary");
        assert_eq!(t(DataType::Date32), "date");
        assert_eq!(t(DataType::Date64), "date");
        assert_eq!(t(DataType::Time32(TimeUnit::Second)), "time");
        assert_eq!(t(DataType::Time64(TimeUnit::Nanosecond)), "time");
        assert_eq!(
            t(DataType::Timestamp(TimeUnit::Microsecond, None)),
            "timestamp"
        );
        assert_eq!(
            t(DataType::Timestamp(
                TimeUnit::Second,
                Some("Europe/Paris".into())
            )),
            "timestamp with time zone"
        );
        assert!(presto_type(&DataType::Null).is_err());
        assert!(presto_type(&DataType::Duration(TimeUnit::Second)).is_err());
    }

    #[test]
    fn decimals() {
        assert_eq!(t(DataType::Decimal128(10, 2)), "decimal(10,2)");
        assert_eq!(t(DataType::Decimal128(38, 38)), "decimal(38,38)");
        assert_eq!(t(DataType::Decimal32(9, 0)), "decimal(9,0)");
        assert_eq!(t(DataType::Decimal64(18, 4)), "decimal(18,4)");
        assert_eq!(t(DataType::Decimal256(38, 5)), "decimal(38,5)");
        assert!(presto_type(&DataType::Decimal256(39, 5)).is_err());
        assert!(presto_type(&DataType::Decimal128(10, -2)).is_err());
        assert!(presto_type(&DataType::Decimal128(5, 6)).is_err());
    }

    #[test]
    fn nested() {
        let item = Arc::new(Field::new("item", DataType::Int64, true));
        assert_eq!(t(DataType::List(item.clone())), "array(bigint)");
        assert_eq!(t(DataType::LargeList(item.clone())), "array(bigint)");
        assert_eq!(t(DataType::FixedSizeList(item.clone(), 3)), "array(bigint)");
        let entries = Field::new(
            "entries",
            DataType::Struct(Fields::from(vec![
                Field::new("key", DataType::Utf8, false),
                Field::new("value", DataType::List(item), true),
            ])),
            false,
        );
        assert_eq!(
            t(DataType::Map(Arc::new(entries), false)),
            "map(varchar,array(bigint))"
        );
        let st = DataType::Struct(Fields::from(vec![
            Field::new("a", DataType::Int32, true),
            Field::new("we\"ird", DataType::Utf8, true),
        ]));
        assert_eq!(t(st), "row(\"a\" integer, \"we\"\"ird\" varchar)");
        assert!(presto_type(&DataType::Struct(Fields::empty())).is_err());
        let bad = DataType::List(Arc::new(Field::new("item", DataType::UInt64, true)));
        assert!(presto_type(&bad).is_err());
    }

    #[test]
    fn dictionaries() {
        let d = |k: DataType, v: DataType| DataType::Dictionary(Box::new(k), Box::new(v));
        assert_eq!(t(d(DataType::Int32, DataType::Utf8)), "varchar");
        assert_eq!(t(d(DataType::UInt8, DataType::LargeUtf8)), "varchar");
        assert_eq!(t(d(DataType::Int16, DataType::Binary)), "varbinary");
        assert!(presto_type(&d(DataType::Int32, DataType::Int64)).is_err());
    }

    #[test]
    fn field_error_names_column_and_type() {
        let f = Field::new("x", DataType::Float16, true);
        let e = presto_type_of_field(&f).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedType);
        assert!(e.message.contains("column 'x'"), "{}", e.message);
        assert!(e.message.contains("Float16"), "{}", e.message);
        assert!(e.message.contains("float32"), "{}", e.message);
        let ok = Field::new("y", DataType::Int64, true);
        assert_eq!(presto_type_of_field(&ok).unwrap(), "bigint");
    }
}
