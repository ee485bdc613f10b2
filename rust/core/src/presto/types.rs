//! Presto types in both directions: Arrow data types to Presto type signatures ([`presto_type`],
//! for the columns of registered files) and Presto type signatures (`array(row("a" bigint, b
//! varchar(10)))`) parsed into the Arrow types zkarrow writes for them ([`arrow_type`]).
//!
//! The mapping here and the conversion in [`crate::presto::to_presto`] agree: every type that
//! [`presto_type`] accepts can be converted by [`crate::presto::to_presto::to_presto`].

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Fields, TimeUnit};

use crate::{err, Result};

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

// Presto type signatures into Arrow types.

/// The Arrow type zkarrow stores a Presto column of type `signature` as.
pub fn arrow_type(signature: &str) -> Result<DataType> {
    let mut parser = Parser {
        s: signature.as_bytes(),
        at: 0,
    };
    let t = parser.parse_type().map_err(|m| {
        err!(
            UnsupportedType,
            "cannot store Presto type '{signature}': {m}"
        )
    })?;
    parser.skip_spaces();
    if parser.at != parser.s.len() {
        return Err(err!(
            UnsupportedType,
            "cannot parse Presto type '{signature}'"
        ));
    }
    Ok(t)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

type Parsed<T> = std::result::Result<T, String>;

impl Parser<'_> {
    fn skip_spaces(&mut self) {
        while self.at < self.s.len() && self.s[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_spaces();
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Parsed<()> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected '{}' at position {}", c as char, self.at))
        }
    }

    /// A bare word (letters, digits, `_`) or a double-quoted identifier.
    fn word(&mut self) -> Parsed<String> {
        self.skip_spaces();
        if self.eat(b'"') {
            let mut out = Vec::new();
            loop {
                match self.s.get(self.at) {
                    None => return Err("unterminated quoted name".into()),
                    Some(b'"') if self.s.get(self.at + 1) == Some(&b'"') => {
                        out.push(b'"');
                        self.at += 2;
                    }
                    Some(b'"') => {
                        self.at += 1;
                        break;
                    }
                    Some(&c) => {
                        out.push(c);
                        self.at += 1;
                    }
                }
            }
            return String::from_utf8(out).map_err(|e| e.to_string());
        }
        let start = self.at;
        while self.at < self.s.len()
            && (self.s[self.at].is_ascii_alphanumeric() || self.s[self.at] == b'_')
        {
            self.at += 1;
        }
        if start == self.at {
            return Err(format!("expected a name at position {start}"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.at]).to_string())
    }

    fn number(&mut self) -> Parsed<u32> {
        self.word()?
            .parse()
            .map_err(|_| "expected a number".to_string())
    }

    fn parse_type(&mut self) -> Parsed<DataType> {
        let name = self.word()?.to_lowercase();
        Ok(match name.as_str() {
            "boolean" => DataType::Boolean,
            "tinyint" => DataType::Int8,
            "smallint" => DataType::Int16,
            "integer" | "int" => DataType::Int32,
            "bigint" => DataType::Int64,
            "real" => DataType::Float32,
            "double" => DataType::Float64,
            "date" => DataType::Date32,
            "varbinary" => DataType::Binary,
            "varchar" | "char" => {
                if self.eat(b'(') {
                    self.number()?;
                    self.expect(b')')?;
                }
                DataType::Utf8
            }
            "decimal" => {
                let (mut precision, mut scale) = (38, 0);
                if self.eat(b'(') {
                    precision = self.number()?;
                    if self.eat(b',') {
                        scale = self.number()?;
                    }
                    self.expect(b')')?;
                }
                if precision == 0 || precision > 38 || scale > precision {
                    return Err(format!("decimal({precision},{scale}) is out of range"));
                }
                DataType::Decimal128(precision as u8, scale as i8)
            }
            "time" => {
                self.with_time_zone_suffix("time")?;
                DataType::Time32(TimeUnit::Millisecond)
            }
            "timestamp" => {
                if self.with_time_zone_suffix("timestamp")? {
                    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
                } else {
                    DataType::Timestamp(TimeUnit::Millisecond, None)
                }
            }
            "array" => {
                self.expect(b'(')?;
                let element = self.parse_type()?;
                self.expect(b')')?;
                DataType::List(Arc::new(Field::new("item", element, true)))
            }
            "map" => {
                self.expect(b'(')?;
                let key = self.parse_type()?;
                self.expect(b',')?;
                let value = self.parse_type()?;
                self.expect(b')')?;
                let entries = Fields::from(vec![
                    Field::new("key", key, false),
                    Field::new("value", value, true),
                ]);
                DataType::Map(
                    Arc::new(Field::new("entries", DataType::Struct(entries), false)),
                    false,
                )
            }
            "row" => {
                self.expect(b'(')?;
                let mut fields = Vec::new();
                loop {
                    let name = self.word()?;
                    let t = self.parse_type()?;
                    fields.push(Field::new(name, t, true));
                    if !self.eat(b',') {
                        break;
                    }
                }
                self.expect(b')')?;
                DataType::Struct(fields.into())
            }
            other => return Err(format!("type '{other}' has no Arrow storage in zkarrow")),
        })
    }

    /// Consumes ` with time zone` after `time`/`timestamp`; `time with time zone` is refused.
    fn with_time_zone_suffix(&mut self, base: &str) -> Parsed<bool> {
        let save = self.at;
        if self.word().ok().as_deref() == Some("with") {
            let (zone_time, zone) = (self.word()?, self.word()?);
            if zone_time != "time" || zone != "zone" {
                return Err(format!("expected '{base} with time zone'"));
            }
            if base == "time" {
                return Err("time with time zone is not supported".into());
            }
            return Ok(true);
        }
        self.at = save;
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

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

#[cfg(test)]
mod arrow_type_tests {
    use super::*;

    #[test]
    fn round_trips_with_the_arrow_to_presto_mapping() {
        for sig in [
            "boolean",
            "tinyint",
            "smallint",
            "integer",
            "bigint",
            "real",
            "double",
            "decimal(10,2)",
            "decimal(30,5)",
            "varchar",
            "varbinary",
            "date",
            "time",
            "timestamp",
            "timestamp with time zone",
            "array(bigint)",
            "map(varchar,array(double))",
            "row(\"a\" integer, \"b c\" row(\"x\" varchar))",
        ] {
            let arrow = arrow_type(sig).unwrap();
            assert_eq!(presto_type(&arrow).unwrap(), sig, "{sig}");
        }
    }

    #[test]
    fn accepts_presto_spellings_and_refuses_what_it_cannot_store() {
        assert_eq!(arrow_type("varchar(20)").unwrap(), DataType::Utf8);
        assert_eq!(
            arrow_type("row(a bigint)").unwrap(),
            arrow_type("row(\"a\" bigint)").unwrap()
        );
        for bad in [
            "json",
            "time with time zone",
            "decimal(40,2)",
            "array(bigint",
            "hyperloglog",
        ] {
            let e = arrow_type(bad).unwrap_err();
            assert!(e.message.contains(bad), "{e}");
        }
    }
}
