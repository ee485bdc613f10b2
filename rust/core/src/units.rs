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

/// A duration in the one grammar of [`parse_duration_millis`] (settings, the catalog file, ages).
pub fn parse_duration(value: &str) -> Result<Duration> {
    let millis = parse_duration_millis(value)?;
    Duration::try_from_secs_f64(millis / 1e3)
        .map_err(|_| err!(InvalidArgument, "duration '{value}' is too long"))
}

/// A duration in milliseconds, possibly fractional, as the catalog file writes it: a decimal
/// number (`30`, `2.5`) and a unit among `ns`, `us`, `ms`, `s`, `m`, `h`, `d`, in any case, with
/// blanks around and between them (`500ms`, ` 2.5 S `). The error quotes `value`.
pub fn parse_duration_millis(value: &str) -> Result<f64> {
    let invalid = || {
        err!(
            InvalidArgument,
            "'{value}' is not a duration such as 500ms, 30s, 2m"
        )
    };
    let v = value.trim().to_ascii_lowercase();
    let split = v
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return Err(invalid());
    }
    let scale = match unit.trim_start() {
        "ns" => 1e-6,
        "us" => 1e-3,
        "ms" => 1.0,
        "s" => 1e3,
        "m" => 60e3,
        "h" => 3600e3,
        "d" => 86_400e3,
        "" => {
            return Err(err!(
                InvalidArgument,
                "'{value}' has no unit: write a duration such as 500ms, 30s, 2m (units ns, us, ms, s, m, h, d)"
            ))
        }
        _ => return Err(invalid()),
    };
    let amount: f64 = number.parse().map_err(|_| invalid())?;
    Ok(amount * scale)
}

/// The instant an `older_than` argument names, as epoch milliseconds: an age (`30m`, `12h`, `7d`,
/// `0s`: that long before `now_ms`, parsed by [`parse_duration`]) or an ISO-8601 instant
/// (`2024-05-01T00:00:00Z`). `argument` names the argument in the error.
pub fn parse_cutoff(argument: &str, value: &str, now_ms: i64) -> Result<i64> {
    let invalid = || {
        err!(
            InvalidArgument,
            "The argument {argument} must be an age such as 30m, 12h or 7d (older than that long ago) or an ISO-8601 instant such as 2024-05-01T00:00:00Z, not '{value}'"
        )
    };
    let text = value.trim();
    let starts_with_digit = text.starts_with(|c: char| c.is_ascii_digit());
    if starts_with_digit && !text.contains(['-', ':', 'T']) {
        let age = parse_duration(text).map_err(|_| invalid())?;
        let age_ms = i64::try_from(age.as_millis())
            .ok()
            .filter(|&ms| ms <= i64::MAX / 2)
            .ok_or_else(invalid)?;
        return Ok(now_ms.saturating_sub(age_ms));
    }
    parse_instant(text).ok_or_else(invalid)
}

/// An ISO-8601 instant with a zone (`2024-05-01T00:00:00Z`, `2024-05-01T02:00:00+02:00`) as
/// epoch milliseconds.
pub fn parse_instant(value: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}

/// Milliseconds since the epoch as Java's `Instant.toString` writes them: `2024-05-01T00:00:00Z`,
/// `2024-05-01T00:00:00.250Z`.
pub fn format_instant_iso(epoch_ms: i64) -> String {
    match arrow::temporal_conversions::timestamp_ms_to_datetime(epoch_ms) {
        Some(t) if epoch_ms.rem_euclid(1000) == 0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => format!("{epoch_ms} ms since the epoch"),
    }
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
        assert!(parse_duration("10")
            .unwrap_err()
            .message
            .contains("no unit"));
        // one grammar everywhere: the catalog file's forms work in settings too, and a huge
        // duration is an error, not a panic
        assert_eq!(
            parse_duration(" 2.5 S ").unwrap(),
            Duration::from_millis(2_500)
        );
        assert!(parse_duration("99999999999999999999999d").is_err());
        assert_eq!(parse_duration_millis(" 2.5 S ").unwrap(), 2_500.0);
        assert_eq!(parse_duration_millis("1500us").unwrap(), 1.5);
        for bad in ["30", "1.s", ".5s", "1.2.3s", "30 seconds", "s", "-1s", ""] {
            assert!(parse_duration_millis(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_ages_and_instants_as_cutoffs() {
        let now = 1_800_000_000_000;
        assert_eq!(
            parse_cutoff("older_than", "7d", now).unwrap(),
            now - 7 * 86_400_000
        );
        assert_eq!(
            parse_cutoff("older_than", " 30M ", now).unwrap(),
            now - 30 * 60_000
        );
        assert_eq!(parse_cutoff("older_than", "0s", now).unwrap(), now);
        assert_eq!(
            parse_cutoff("older_than", "2024-05-01T00:00:00Z", now).unwrap(),
            1_714_521_600_000
        );
        for bad in ["yesterday", "7", "7 fortnights", "2024-05-01", ""] {
            let e = parse_cutoff("older_than", bad, now).unwrap_err();
            assert_eq!(
                e.message,
                format!("The argument older_than must be an age such as 30m, 12h or 7d (older than that long ago) or an ISO-8601 instant such as 2024-05-01T00:00:00Z, not '{bad}'")
            );
        }
        assert_eq!(
            format_instant_iso(1_714_521_600_000),
            "2024-05-01T00:00:00Z"
        );
        assert_eq!(
            format_instant_iso(1_714_521_600_250),
            "2024-05-01T00:00:00.250Z"
        );
    }
}
