//! The one parser and formatter of sizes (`64MB`), durations (`30s`, `5m 3s`) and instants, for
//! settings, the catalog file, messages and the CLI.

use std::time::Duration;

use crate::{err, Result};

/// Splits `12.5MB` into 12.5 and "MB"; `example` goes into the error.
fn number_and_unit<'a>(value: &'a str, example: &str) -> Result<(f64, &'a str)> {
    let v = value.trim();
    let split = v
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let number = number
        .parse()
        .map_err(|_| err!(InvalidArgument, "'{value}' is not a {example}"))?;
    Ok((number, unit.trim()))
}

pub fn parse_size(value: &str) -> Result<u64> {
    let (number, unit) = number_and_unit(value, "size such as 64MB")?;
    let scale = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1u64,
        "KB" | "K" => 1 << 10,
        "MB" | "M" => 1 << 20,
        "GB" | "G" => 1 << 30,
        _ => {
            return Err(err!(
                InvalidArgument,
                "'{value}' has an unknown unit: use B, kB, MB or GB"
            ))
        }
    };
    let bytes = (number * scale as f64) as u64;
    if bytes == 0 {
        return Err(err!(InvalidArgument, "size '{value}' must be positive"));
    }
    Ok(bytes)
}

pub fn parse_duration(value: &str) -> Result<Duration> {
    let (number, unit) = number_and_unit(value, "duration such as 30s")?;
    let millis = match unit {
        "ms" => 1.0,
        "s" => 1e3,
        "m" => 60e3,
        "h" => 3600e3,
        "d" => 86_400e3,
        _ => {
            return Err(err!(
                InvalidArgument,
                "'{value}' needs a unit: ms, s, m, h or d"
            ))
        }
    };
    Ok(Duration::from_millis((number * millis) as u64))
}

/// A duration as people read it: `850ms`, `12s`, `5m 3s`, `2h 10m`, `3d 4h`.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis() as u64;
    let s = ms / 1000;
    match s {
        0 => format!("{ms}ms"),
        1..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// Milliseconds since the epoch as an ISO-8601 UTC instant, `2026-11-30T10:00:00.123Z`.
pub fn format_instant(epoch_ms: i64) -> String {
    match arrow::temporal_conversions::timestamp_ms_to_datetime(epoch_ms) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => format!("{epoch_ms} ms since the epoch"),
    }
}

/// Milliseconds since the epoch as a UTC instant to the second, `2026-11-30 10:00:00Z` (the CLI's
/// tables).
pub fn format_instant_seconds(epoch_ms: i64) -> String {
    match arrow::temporal_conversions::timestamp_ms_to_datetime(epoch_ms.div_euclid(1000) * 1000) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%SZ").to_string(),
        None => format!("{epoch_ms} ms since the epoch"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_and_durations_with_units() {
        assert_eq!(parse_size("64MB").unwrap(), 64 << 20);
        assert_eq!(parse_size("1.5kB").unwrap(), 1536);
        assert!(parse_size("12 parsecs").is_err());
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("10").is_err());
    }
}
