//! Schema and table names: Presto folds identifiers to lower case, and each name is one znode.

use crate::{err, Result};

/// Lower-cases `name` and checks that it can be a znode name and a Presto identifier.
pub fn normalize(kind: &str, name: &str) -> Result<String> {
    let name = name.trim().to_lowercase();
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.len() > 128
        || name.contains('/')
        || name.chars().any(|c| c.is_control());
    if bad {
        return Err(err!(
            InvalidArgument,
            "'{name}' is not a valid {kind} name: use 1 to 128 characters, without '/' or control characters"
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_refuses_path_characters() {
        assert_eq!(normalize("table", " Sales ").unwrap(), "sales");
        for bad in ["", "a/b", "..", "x\u{1}"] {
            assert!(normalize("table", bad).is_err(), "{bad:?}");
        }
    }
}
