//! A sample dataset for the README's main job: taxi-like trips in a few Arrow IPC files, with a
//! dictionary-encoded string, a decimal, a timestamp, a date, a list and a struct.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Date32Array, Decimal128Array, DictionaryArray, Float64Array, Int64Array, ListBuilder,
    RecordBatch, StringArray, StringBuilder, StructArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Field, Int32Type, Schema, TimeUnit};
use arrow::ipc::writer::{FileWriter, IpcWriteOptions};
use arrow::ipc::CompressionType;
use zkarrow_core::storage::store;
use zkarrow_core::{err, Result};

const CITIES: [&str; 5] = ["Amsterdam", "Berlin", "Lisbon", "Oslo", "Porto"];
const BATCH_ROWS: usize = 8192;

fn schema() -> Arc<Schema> {
    let driver = DataType::Struct(
        vec![
            Field::new("name", DataType::Utf8, true),
            Field::new("rating", DataType::Float64, true),
        ]
        .into(),
    );
    Arc::new(Schema::new(vec![
        Field::new("trip_id", DataType::Int64, false),
        Field::new(
            "city",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new("fare", DataType::Decimal128(10, 2), true),
        Field::new("distance_km", DataType::Float64, true),
        Field::new(
            "pickup_at",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            false,
        ),
        Field::new("day", DataType::Date32, false),
        Field::new(
            "tags",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
        Field::new("driver", driver, true),
    ]))
}

fn batch(schema: &Arc<Schema>, first: i64, rows: usize) -> Result<RecordBatch> {
    let ids: Vec<i64> = (first..first + rows as i64).collect();
    let keys: Vec<i32> = ids.iter().map(|i| (i * 7 % 5) as i32).collect();
    let city = DictionaryArray::<Int32Type>::try_new(
        keys.into(),
        Arc::new(StringArray::from(CITIES.to_vec())),
    )?;
    let fare: Decimal128Array = ids
        .iter()
        .map(|i| {
            if i % 11 == 0 {
                None
            } else {
                Some(250 + (i * 37 % 5000) as i128)
            }
        })
        .collect();
    let fare = fare.with_precision_and_scale(10, 2)?;
    let distance: Float64Array = ids
        .iter()
        .map(|i| Some((i * 13 % 400) as f64 / 10.0))
        .collect();
    let base_us = 1_735_689_600_000_000i64; // 2025-01-01T00:00:00
    let pickup: TimestampMicrosecondArray =
        ids.iter().map(|i| Some(base_us + i * 61_000_000)).collect();
    let day: Date32Array = ids
        .iter()
        .map(|i| Some(20089 + (i * 61 / 86_400) as i32))
        .collect();
    let mut tags = ListBuilder::new(StringBuilder::new());
    for i in &ids {
        if i % 5 == 0 {
            tags.append(false);
            continue;
        }
        if i % 2 == 0 {
            tags.values().append_value("airport");
        }
        if i % 3 == 0 {
            tags.values().append_value("night");
        }
        tags.append(true);
    }
    let names: StringArray = ids
        .iter()
        .map(|i| Some(format!("driver-{}", i % 97)))
        .collect();
    let ratings: Float64Array = ids
        .iter()
        .map(|i| {
            if i % 4 == 0 {
                None
            } else {
                Some(3.0 + (i % 20) as f64 / 10.0)
            }
        })
        .collect();
    let DataType::Struct(fields) = schema.field(7).data_type().clone() else {
        unreachable!()
    };
    let driver = StructArray::try_new(
        fields,
        vec![Arc::new(names) as ArrayRef, Arc::new(ratings)],
        Some(ids.iter().map(|i| i % 9 != 0).collect::<Vec<bool>>().into()),
    )?;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(ids)),
        Arc::new(city),
        Arc::new(fare),
        Arc::new(distance),
        Arc::new(pickup),
        Arc::new(day),
        Arc::new(tags.finish()),
        Arc::new(driver),
    ];
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

/// Writes `rows` rows into three files (uncompressed, LZ4_FRAME, ZSTD) under `dir` (a directory
/// or an s3:// prefix).
pub fn write(dir: &Path, rows: usize) -> Result<Vec<String>> {
    store::ensure_dir(dir).map_err(|e| err!(IoError, "cannot create '{}': {e}", dir.display()))?;
    let schema = schema();
    let compressions = [
        None,
        Some(CompressionType::LZ4_FRAME),
        Some(CompressionType::ZSTD),
    ];
    let per_file = rows.div_ceil(compressions.len());
    let mut written = Vec::new();
    for (n, compression) in compressions.into_iter().enumerate() {
        let name = format!("trips-{n}.arrow");
        let path = dir.join(&name);
        let staged = store::staging_path(dir, &name)
            .map_err(|e| err!(IoError, "cannot stage '{}': {e}", path.display()))?;
        let file = std::fs::File::create(&staged)
            .map_err(|e| err!(IoError, "cannot create '{}': {e}", staged.display()))?;
        let options = IpcWriteOptions::default().try_with_compression(compression)?;
        let mut writer = FileWriter::try_new_with_options(file, &schema, options)?;
        let first = (n * per_file) as i64;
        let end = ((n + 1) * per_file).min(rows) as i64;
        let mut at = first;
        while at < end {
            let take = (end - at).min(BATCH_ROWS as i64) as usize;
            writer.write(&batch(&schema, at, take)?)?;
            at += take as i64;
        }
        writer.finish()?;
        drop(writer);
        store::publish(&staged, &path)
            .map_err(|e| err!(IoError, "cannot write '{}': {e}", path.display()))?;
        written.push(path.to_string_lossy().to_string());
    }
    Ok(written)
}
