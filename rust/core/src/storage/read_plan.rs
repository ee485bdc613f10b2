//! Which byte ranges of a record batch's body a projected read fetches: the buffers of the
//! projected columns, merged where they are close, so that neighbouring columns are one read.

/// Gaps up to this many bytes between wanted ranges are read through rather than seeked over:
/// one read of a few more bytes costs less than another request.
pub const GAP: u64 = 64 * 1024;

/// Sorts `ranges` (`[start, end)`), drops empty ones and merges those that overlap or lie at
/// most `gap` bytes apart.
pub fn coalesce(ranges: impl IntoIterator<Item = (u64, u64)>, gap: u64) -> Vec<(u64, u64)> {
    let mut sorted: Vec<(u64, u64)> = ranges.into_iter().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match merged.last_mut() {
            Some(last) if start <= last.1.saturating_add(gap) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_ranges_merge_and_far_ones_do_not() {
        assert_eq!(coalesce([], 10), vec![]);
        assert_eq!(coalesce([(5, 5), (7, 7)], 10), vec![]);
        assert_eq!(
            coalesce([(100, 200), (0, 50), (55, 60), (40, 45)], 5),
            vec![(0, 60), (100, 200)]
        );
        assert_eq!(coalesce([(0, 50), (10, 20)], 0), vec![(0, 50)]);
        assert_eq!(coalesce([(0, 10), (11, 20)], 0), vec![(0, 10), (11, 20)]);
    }
}
