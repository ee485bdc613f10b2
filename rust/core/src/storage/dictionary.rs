//! Dictionary encoding of low-cardinality string columns as a [`TableWriter`] writes
//! them: a plain column pays an int32 offset per row that zstd cannot remove, a dictionary column
//! pays a small key per row and each distinct value once per file.
//!
//! Every file has at most one dictionary per column, chosen from the first batch written to it
//! and never replaced or extended (the IPC file format allows no replacement, and polars and other
//! readers take no delta dictionaries). Every batch of the file reuses the same values array, so
//! arrow's `DictionaryTracker` sees the same buffers and writes the dictionary once.
//!
//! [`TableWriter`]: crate::storage::writer::TableWriter

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, DictionaryArray, Int32Array, RecordBatch, UInt32Array,
};
use arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};

use crate::{err, Result};

/// A column is dictionary-encoded when the first batch of a file holds at most this many distinct
/// non-null values...
pub const MAX_DICTIONARY_VALUES: usize = 4096;
/// ... and at most one distinct value per this many rows.
pub const ROWS_PER_DICTIONARY_VALUE: usize = 8;

/// The dictionary of one column in one file.
struct ColumnDictionary {
    /// The distinct values, of the column's plain type; shared by every batch of the file.
    values: ArrayRef,
    keys: HashMap<Box<[u8]>, i32>,
}

/// The dictionaries of the file being written, and the schema it is written with.
pub struct FileDictionaries {
    schema: SchemaRef,
    /// By column index: `None` for a column written plain.
    columns: Vec<Option<ColumnDictionary>>,
}

/// Bytes of row `i` of a Utf8 array.
fn value_bytes(array: &dyn Array, i: usize) -> &[u8] {
    array.as_string::<i32>().value(i).as_bytes()
}

/// Whether a column of this type may be dictionary-encoded: Utf8 (varchar) only; binary columns
/// stay plain, since per-batch statistics keep their bounds only for a plain binary type.
pub fn encodable(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Utf8)
}

/// The dictionary of `array` when it has few distinct non-null values (at least one), else `None`.
fn choose_column(array: &dyn Array) -> Result<Option<ColumnDictionary>> {
    let limit = (array.len() / ROWS_PER_DICTIONARY_VALUE).min(MAX_DICTIONARY_VALUES);
    let mut keys: HashMap<Box<[u8]>, i32> = HashMap::new();
    let mut first_rows: Vec<u32> = Vec::new();
    for i in 0..array.len() {
        if array.is_null(i) {
            continue;
        }
        let value = value_bytes(array, i);
        if !keys.contains_key(value) {
            if keys.len() >= limit {
                return Ok(None);
            }
            keys.insert(value.into(), keys.len() as i32);
            first_rows.push(i as u32);
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let values = arrow::compute::take(array, &UInt32Array::from(first_rows), None)?;
    Ok(Some(ColumnDictionary { values, keys }))
}

impl FileDictionaries {
    /// The dictionaries of a file whose first batch is `batch` (of the table's schema `schema`):
    /// one for each column that `allowed` permits and whose values in `batch` are few.
    pub fn choose(schema: &SchemaRef, batch: &RecordBatch, allowed: &[bool]) -> Result<Self> {
        let mut columns = Vec::with_capacity(schema.fields().len());
        let mut fields = Vec::with_capacity(schema.fields().len());
        for (index, field) in schema.fields().iter().enumerate() {
            let dictionary = if allowed[index] && encodable(field.data_type()) {
                choose_column(batch.column(index).as_ref())?
            } else {
                None
            };
            fields.push(match dictionary {
                // the same name, nullability and metadata (the zkarrow column id)
                Some(_) => Arc::new(
                    Field::new(
                        field.name(),
                        DataType::Dictionary(
                            Box::new(DataType::Int32),
                            Box::new(field.data_type().clone()),
                        ),
                        field.is_nullable(),
                    )
                    .with_metadata(field.metadata().clone()),
                ),
                None => field.clone(),
            });
            columns.push(dictionary);
        }
        Ok(FileDictionaries {
            schema: Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())),
            columns,
        })
    }

    /// The schema the file is written with.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// `batch` (of the table's schema) with the file's dictionary columns encoded; `Err` lists
    /// the columns holding a value their dictionary lacks.
    pub fn encode(
        &self,
        batch: &RecordBatch,
    ) -> Result<std::result::Result<RecordBatch, Vec<usize>>> {
        let mut columns = Vec::with_capacity(batch.num_columns());
        let mut missing = Vec::new();
        for (index, (array, dictionary)) in batch.columns().iter().zip(&self.columns).enumerate() {
            let Some(dictionary) = dictionary else {
                columns.push(array.clone());
                continue;
            };
            let mut keys = Vec::with_capacity(array.len());
            let mut complete = true;
            for i in 0..array.len() {
                if array.is_null(i) {
                    keys.push(0);
                    continue;
                }
                match dictionary.keys.get(value_bytes(array.as_ref(), i)) {
                    Some(&key) => keys.push(key),
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete {
                missing.push(index);
                continue;
            }
            let keys = Int32Array::new(keys.into(), array.nulls().cloned());
            let encoded = DictionaryArray::<Int32Type>::try_new(keys, dictionary.values.clone())?;
            columns.push(Arc::new(encoded));
        }
        if !missing.is_empty() {
            return Ok(Err(missing));
        }
        RecordBatch::try_new(self.schema.clone(), columns)
            .map(Ok)
            .map_err(|e| err!(Internal, "cannot build a dictionary-encoded batch: {e}"))
    }
}
