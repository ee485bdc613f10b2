//! One error type for the whole library, with a stable code that crosses JNI and becomes a Presto
//! error code on the Java side.

use std::fmt;

/// Stable error codes; the Java enum `ZkArrowErrorCode` has the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidConfig,
    ZookeeperUnavailable,
    ZookeeperError,
    SchemaNotFound,
    SchemaExists,
    SchemaNotEmpty,
    TableNotFound,
    TableExists,
    SnapshotNotFound,
    InvalidArgument,
    UnsupportedType,
    SchemaMismatch,
    IoError,
    ArrowError,
    CorruptMetadata,
    /// A data file whose bytes contradict themselves (a length, offset or count that lies).
    CorruptFile,
    CommitConflict,
    CommitFenced,
    LockTimeout,
    ReadOnly,
    LocationNotAllowed,
    LocationInUse,
    NativePanic,
    Internal,
}

impl ErrorCode {
    /// The name used across JNI (SCREAMING_SNAKE_CASE, as the Java enum spells it).
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "INVALID_CONFIG",
            ErrorCode::ZookeeperUnavailable => "ZOOKEEPER_UNAVAILABLE",
            ErrorCode::ZookeeperError => "ZOOKEEPER_ERROR",
            ErrorCode::SchemaNotFound => "SCHEMA_NOT_FOUND",
            ErrorCode::SchemaExists => "SCHEMA_EXISTS",
            ErrorCode::SchemaNotEmpty => "SCHEMA_NOT_EMPTY",
            ErrorCode::TableNotFound => "TABLE_NOT_FOUND",
            ErrorCode::TableExists => "TABLE_EXISTS",
            ErrorCode::SnapshotNotFound => "SNAPSHOT_NOT_FOUND",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::UnsupportedType => "UNSUPPORTED_TYPE",
            ErrorCode::SchemaMismatch => "SCHEMA_MISMATCH",
            ErrorCode::IoError => "IO_ERROR",
            ErrorCode::ArrowError => "ARROW_ERROR",
            ErrorCode::CorruptMetadata => "CORRUPT_METADATA",
            ErrorCode::CorruptFile => "CORRUPT_FILE",
            ErrorCode::CommitConflict => "COMMIT_CONFLICT",
            ErrorCode::CommitFenced => "COMMIT_FENCED",
            ErrorCode::LockTimeout => "LOCK_TIMEOUT",
            ErrorCode::ReadOnly => "READ_ONLY",
            ErrorCode::LocationNotAllowed => "LOCATION_NOT_ALLOWED",
            ErrorCode::LocationInUse => "LOCATION_IN_USE",
            ErrorCode::NativePanic => "NATIVE_PANIC",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// An error with a code and a message that says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for Error {}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::new(ErrorCode::ArrowError, e.to_string())
    }
}

/// Builds an error of `code` from a format string: `err!(InvalidArgument, "bad {}", x)`.
#[macro_export]
macro_rules! err {
    ($code:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::ErrorCode::$code, format!($($arg)*))
    };
}
