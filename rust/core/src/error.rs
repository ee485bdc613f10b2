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

/// Added to [`ErrorCode::number`] to make the Presto error code (`0x0512_0000`).
pub const ERROR_CODE_OFFSET: i32 = 0x0512_0000;

/// Presto's `ErrorType` of an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrestoErrorType {
    UserError,
    InternalError,
    InsufficientResources,
    External,
}

impl PrestoErrorType {
    /// The name of the Java enum constant (`USER_ERROR`, ...).
    pub fn name(self) -> &'static str {
        match self {
            PrestoErrorType::UserError => "USER_ERROR",
            PrestoErrorType::InternalError => "INTERNAL_ERROR",
            PrestoErrorType::InsufficientResources => "INSUFFICIENT_RESOURCES",
            PrestoErrorType::External => "EXTERNAL",
        }
    }
}

impl ErrorCode {
    /// Every code, in the order of their numbers.
    pub const ALL: [ErrorCode; 24] = [
        ErrorCode::InvalidConfig,
        ErrorCode::ZookeeperUnavailable,
        ErrorCode::ZookeeperError,
        ErrorCode::SchemaNotFound,
        ErrorCode::SchemaExists,
        ErrorCode::SchemaNotEmpty,
        ErrorCode::TableNotFound,
        ErrorCode::TableExists,
        ErrorCode::InvalidArgument,
        ErrorCode::UnsupportedType,
        ErrorCode::SchemaMismatch,
        ErrorCode::IoError,
        ErrorCode::ArrowError,
        ErrorCode::CorruptMetadata,
        ErrorCode::NativePanic,
        ErrorCode::Internal,
        ErrorCode::SnapshotNotFound,
        ErrorCode::CommitConflict,
        ErrorCode::CommitFenced,
        ErrorCode::LockTimeout,
        ErrorCode::ReadOnly,
        ErrorCode::CorruptFile,
        ErrorCode::LocationNotAllowed,
        ErrorCode::LocationInUse,
    ];

    /// The number of the Presto error code, less [`ERROR_CODE_OFFSET`] (the Java enum's `code`).
    pub fn number(self) -> i32 {
        match self {
            ErrorCode::InvalidConfig => 0,
            ErrorCode::ZookeeperUnavailable => 1,
            ErrorCode::ZookeeperError => 2,
            ErrorCode::SchemaNotFound => 3,
            ErrorCode::SchemaExists => 4,
            ErrorCode::SchemaNotEmpty => 5,
            ErrorCode::TableNotFound => 6,
            ErrorCode::TableExists => 7,
            ErrorCode::InvalidArgument => 8,
            ErrorCode::UnsupportedType => 9,
            ErrorCode::SchemaMismatch => 10,
            ErrorCode::IoError => 11,
            ErrorCode::ArrowError => 12,
            ErrorCode::CorruptMetadata => 13,
            ErrorCode::NativePanic => 14,
            ErrorCode::Internal => 15,
            ErrorCode::SnapshotNotFound => 16,
            ErrorCode::CommitConflict => 17,
            ErrorCode::CommitFenced => 18,
            ErrorCode::LockTimeout => 19,
            ErrorCode::ReadOnly => 20,
            ErrorCode::CorruptFile => 21,
            ErrorCode::LocationNotAllowed => 22,
            ErrorCode::LocationInUse => 23,
        }
    }

    /// The Presto `ErrorType` of the code.
    pub fn presto_type(self) -> PrestoErrorType {
        match self {
            ErrorCode::InvalidConfig => PrestoErrorType::UserError,
            ErrorCode::ZookeeperUnavailable => PrestoErrorType::External,
            ErrorCode::ZookeeperError => PrestoErrorType::External,
            ErrorCode::SchemaNotFound => PrestoErrorType::UserError,
            ErrorCode::SchemaExists => PrestoErrorType::UserError,
            ErrorCode::SchemaNotEmpty => PrestoErrorType::UserError,
            ErrorCode::TableNotFound => PrestoErrorType::UserError,
            ErrorCode::TableExists => PrestoErrorType::UserError,
            ErrorCode::InvalidArgument => PrestoErrorType::UserError,
            ErrorCode::UnsupportedType => PrestoErrorType::UserError,
            ErrorCode::SchemaMismatch => PrestoErrorType::UserError,
            ErrorCode::IoError => PrestoErrorType::External,
            ErrorCode::ArrowError => PrestoErrorType::InternalError,
            ErrorCode::CorruptMetadata => PrestoErrorType::InternalError,
            ErrorCode::NativePanic => PrestoErrorType::InternalError,
            ErrorCode::Internal => PrestoErrorType::InternalError,
            ErrorCode::SnapshotNotFound => PrestoErrorType::UserError,
            ErrorCode::CommitConflict => PrestoErrorType::UserError,
            ErrorCode::CommitFenced => PrestoErrorType::External,
            ErrorCode::LockTimeout => PrestoErrorType::External,
            ErrorCode::ReadOnly => PrestoErrorType::UserError,
            ErrorCode::CorruptFile => PrestoErrorType::External,
            ErrorCode::LocationNotAllowed => PrestoErrorType::UserError,
            ErrorCode::LocationInUse => PrestoErrorType::UserError,
        }
    }

    /// The code of a name as [`ErrorCode::name`] spells it.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.name() == name)
    }
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
