//! Presto type signatures (`array(row("a" bigint, b varchar(10)))`) parsed into the Arrow types
//! zkarrow writes for them: the way back of [`crate::types::presto_type`].

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Fields, TimeUnit};

use crate::{err, Result};

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
    use crate::types::presto_type;

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
