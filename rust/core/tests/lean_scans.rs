//! Scans hand Presto bounded pages whatever the file's batch size, and a scan that reads no
//! column reads no record batch body.

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::compute::concat_batches;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use zkarrow_core::error::ErrorCode;
use zkarrow_core::protocol::scan::{Scan, ScanColumn, ScanRequest, PAGE_BYTES, PAGE_ROWS};
use zkarrow_core::storage::arrow_file::IpcFileReader;
use zkarrow_core::storage::writer::{Compression, TableWriter, WriterOptions};

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("text", DataType::Utf8, true),
    ]))
}

/// Batch `i` of `rows` rows; `width` characters of text each, a distinct text per row (so the
/// writer keeps the column plain rather than dictionary-encoded: its rows really are wide).
fn batch(i: i64, rows: i64, width: usize) -> RecordBatch {
    let ids: Int64Array = (i * rows..(i + 1) * rows).map(Some).collect();
    let text: StringArray = (i * rows..(i + 1) * rows)
        .map(|v| Some(format!("{v:>width$}")))
        .collect();
    RecordBatch::try_new(
        schema(),
        vec![Arc::new(ids) as ArrayRef, Arc::new(text) as ArrayRef],
    )
    .unwrap()
}

/// One file of `batches` record batches of `rows` rows each.
fn write_file(dir: &Path, batches: i64, rows: i64, width: usize) -> (String, Vec<RecordBatch>) {
    let options = WriterOptions {
        target_file_bytes: u64::MAX,
        compression: Compression::zstd(),
        batch_rows: rows as u64,
        batch_bytes: u64::MAX,
        ..WriterOptions::default()
    };
    let mut w = TableWriter::new(dir, schema(), options).unwrap();
    let input: Vec<RecordBatch> = (0..batches).map(|i| batch(i, rows, width)).collect();
    for b in &input {
        w.write(b).unwrap();
    }
    let files = w.finish().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].batch_rows, vec![rows as u64; batches as usize]);
    (files[0].path.clone(), input)
}

fn column(name: &str, presto_type: &str, id: Option<u32>) -> ScanColumn {
    ScanColumn {
        name: name.into(),
        presto_type: presto_type.into(),
        id,
        file_name: None,
    }
}

fn scan(
    path: &str,
    start: usize,
    end: usize,
    columns: Vec<ScanColumn>,
) -> Result<Vec<RecordBatch>, zkarrow_core::Error> {
    let mut scan = Scan::open(&ScanRequest {
        path: path.into(),
        batch_start: start,
        batch_end: end,
        columns,
        debug_panic: false,
    })?;
    let mut pages = Vec::new();
    while let Some(page) = scan.next_batch()? {
        pages.push(page);
    }
    Ok(pages)
}

#[test]
fn pages_are_bounded_whatever_the_batch_size() {
    let dir = tempfile::tempdir().unwrap();
    // 3 batches of 20,000 rows: pages of 8192, 8192 and 3616 rows each
    let (path, input) = write_file(dir.path(), 3, 20_000, 4);
    let pages = scan(&path, 0, 3, vec![column("id", "bigint", None)]).unwrap();
    let rows: Vec<usize> = pages.iter().map(|p| p.num_rows()).collect();
    assert_eq!(rows, [8192, 8192, 3616].repeat(3));
    let ids: Vec<ArrayRef> = pages.iter().map(|p| p.column(0).clone()).collect();
    let refs: Vec<&dyn Array> = ids.iter().map(|a| a.as_ref()).collect();
    let all = arrow::compute::concat(&refs).unwrap();
    let expected = concat_batches(&schema(), &input).unwrap();
    assert_eq!(&all, expected.column(0));

    // a batch range: only batch 1
    let pages = scan(&path, 1, 2, vec![column("id", "bigint", None)]).unwrap();
    assert_eq!(pages.iter().map(|p| p.num_rows()).sum::<usize>(), 20_000);
    let first = pages[0]
        .column(0)
        .as_any()
        .downcast_ref::<Int64Array>()
        .unwrap();
    assert_eq!(first.value(0), 20_000);

    // wide rows: the byte bound cuts pages first (about 1 KB a row)
    let dir = tempfile::tempdir().unwrap();
    let (path, input) = write_file(dir.path(), 2, 5_000, 1000);
    let pages = scan(&path, 0, 2, vec![column("text", "varchar", None)]).unwrap();
    let rows: Vec<usize> = pages.iter().map(|p| p.num_rows()).collect();
    assert_eq!(rows.iter().sum::<usize>(), 10_000);
    assert!(
        rows.iter()
            .all(|&r| r * 1000 <= PAGE_BYTES && r < PAGE_ROWS),
        "{rows:?}"
    );
    assert!(rows.len() >= 10, "{rows:?}");
    let texts: Vec<ArrayRef> = pages.iter().map(|p| p.column(0).clone()).collect();
    let refs: Vec<&dyn Array> = texts.iter().map(|a| a.as_ref()).collect();
    let expected = concat_batches(&schema(), &input).unwrap();
    assert_eq!(&arrow::compute::concat(&refs).unwrap(), expected.column(1));
}

/// A reader that counts the bytes read through it.
struct Counting {
    inner: Cursor<Vec<u8>>,
    read: u64,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl Seek for Counting {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Offsets and lengths of the bodies of the file's record batches, from its footer.
fn bodies(bytes: &[u8]) -> Vec<(usize, usize)> {
    let n = bytes.len();
    let footer_len = i32::from_le_bytes(bytes[n - 10..n - 6].try_into().unwrap()) as usize;
    let footer = arrow::ipc::root_as_footer(&bytes[n - 10 - footer_len..n - 10]).unwrap();
    footer
        .recordBatches()
        .unwrap()
        .iter()
        .map(|b| {
            (
                (b.offset() + b.metaDataLength() as i64) as usize,
                b.bodyLength() as usize,
            )
        })
        .collect()
}

#[test]
fn counting_rows_reads_no_body() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = write_file(dir.path(), 4, 10_000, 20);
    let bytes = std::fs::read(&path).unwrap();
    let body_bytes: usize = bodies(&bytes).iter().map(|b| b.1).sum();
    let mut reader = IpcFileReader::try_new_footer(
        Counting {
            inner: Cursor::new(bytes.clone()),
            read: 0,
        },
        Path::new(&path),
    )
    .unwrap();
    let rows: Vec<u64> = (0..4).map(|i| reader.batch_rows(i).unwrap()).collect();
    assert_eq!(rows, vec![10_000; 4]);
    // a footer-only reader cannot decode
    assert_eq!(reader.read_batch(0).unwrap_err().code, ErrorCode::Internal);
    let read = reader_bytes(reader);
    assert!(
        read as usize <= bytes.len() - body_bytes,
        "read {read} bytes of a {} byte file whose bodies hold {body_bytes}",
        bytes.len()
    );
    assert!(read < 4096, "read {read} bytes");

    // the bodies of a copy are garbage, its footer and message headers intact: counting it is
    // right, reading a column of it fails cleanly
    let mut broken = bytes.clone();
    for (offset, len) in bodies(&bytes) {
        broken[offset..offset + len].fill(0xAB);
    }
    let broken_path = dir.path().join("broken.arrow");
    std::fs::write(&broken_path, &broken).unwrap();
    let broken_path = broken_path.to_string_lossy().to_string();
    let pages = scan(&broken_path, 0, 4, vec![]).unwrap();
    assert!(pages
        .iter()
        .all(|p| p.num_columns() == 0 && p.num_rows() <= PAGE_ROWS));
    assert_eq!(pages.iter().map(|p| p.num_rows()).sum::<usize>(), 40_000);
    let pages = scan(&broken_path, 1, 3, vec![]).unwrap();
    assert_eq!(pages.iter().map(|p| p.num_rows()).sum::<usize>(), 20_000);
    // a column the file predates (added later, read as NULL) reads no body either
    let pages = scan(&broken_path, 0, 4, vec![column("added", "double", Some(7))]).unwrap();
    assert_eq!(pages.iter().map(|p| p.num_rows()).sum::<usize>(), 40_000);
    assert!(pages
        .iter()
        .all(|p| p.column(0).null_count() == p.num_rows()));
    let e = scan(&broken_path, 0, 4, vec![column("id", "bigint", None)]).unwrap_err();
    assert_eq!(e.code, ErrorCode::CorruptFile, "{e}");
    // the intact file gives the same counts
    let pages = scan(&path, 0, 4, vec![]).unwrap();
    assert_eq!(pages.iter().map(|p| p.num_rows()).sum::<usize>(), 40_000);
}

fn reader_bytes(reader: IpcFileReader<Counting>) -> u64 {
    reader.into_inner().read
}

/// The lazy reader: `advance` keeps one current page; `column` serves only that page's columns.
#[test]
fn columns_are_served_from_the_current_page_only() {
    let dir = tempfile::tempdir().unwrap();
    let (path, input) = write_file(dir.path(), 2, 10_000, 4);
    let mut scan = Scan::open(&ScanRequest {
        path,
        batch_start: 0,
        batch_end: 2,
        columns: vec![
            column("text", "varchar", None),
            column("id", "bigint", None),
        ],
        debug_panic: false,
    })
    .unwrap();
    let err = scan.column(0, 0).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal, "{err}");

    let mut ids: Vec<ArrayRef> = Vec::new();
    let mut page = 0u64;
    while let Some(rows) = scan.advance().unwrap() {
        page += 1;
        // only some pages have their ids converted: the others are skipped
        if page % 2 == 1 {
            let id = scan.column(page, 1).unwrap();
            assert_eq!(id.len(), rows);
            ids.push(id);
        }
        assert_eq!(scan.column(page, 0).unwrap().len(), rows);
        let past = scan.column(page - 1, 1);
        if page > 1 {
            let err = past.unwrap_err();
            assert_eq!(err.code, ErrorCode::Internal);
            assert!(err.message.contains("moved on"), "{err}");
        }
        let err = scan.column(page, 2).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument, "{err}");
    }
    // 2 batches of 10,000 rows: pages of 8192 and 1808 rows, the odd ones start each batch
    assert_eq!(page, 4);
    let err = scan.column(page, 0).unwrap_err();
    assert!(err.message.contains("ended"), "{err}");
    assert!(scan.advance().unwrap().is_none());
    for (batch, id) in input.iter().zip(&ids) {
        assert_eq!(id.as_ref(), batch.column(0).slice(0, 8192).as_ref());
    }
}
