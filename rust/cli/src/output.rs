//! Readable tables for people, JSON for scripts.

use serde::Serialize;

/// Prints `rows` under `header` with aligned columns, or `json` when `as_json` is set.
pub fn table<T: Serialize>(as_json: bool, json: &T, header: &[&str], rows: Vec<Vec<String>>) {
    if as_json {
        println!("{}", serde_json::to_string_pretty(json).unwrap_or_default());
        return;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.iter().map(|h| h.to_uppercase()).collect());
    if rows.is_empty() {
        println!("(none)");
    }
    for row in rows {
        line(row);
    }
}

/// A one-line message, or `{"ok": true, ...json}` for scripts.
pub fn done(as_json: bool, message: &str, json: serde_json::Value) {
    if as_json {
        println!("{json}");
    } else {
        println!("{message}");
    }
}

/// An instant in the CLI's tables, `2025-01-01 00:01:01Z`.
pub fn millis_to_text(ms: i64) -> String {
    zkarrow_core::units::format_instant_seconds(ms)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_epoch_millis_as_utc() {
        assert_eq!(super::millis_to_text(0), "1970-01-01 00:00:00Z");
        assert_eq!(
            super::millis_to_text(1_735_689_661_000),
            "2025-01-01 00:01:01Z"
        );
        assert_eq!(
            super::millis_to_text(951_782_400_000),
            "2000-02-29 00:00:00Z"
        );
    }
}
