//! The Arrow IPC file reader as registration and scans use it: open (footer, dictionaries),
//! every batch decoded and described (statistics), and a projected read from the last batch
//! back, as a split reads. An error is a fine answer; a panic, an abort or a huge allocation
//! (-malloc_limit_mb) is a finding.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zkarrow_core::storage::arrow_file::IpcFileReader;
use zkarrow_core::storage::stats;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.arrow");
    let Ok(reader) = IpcFileReader::try_new(Cursor::new(data), path, None) else {
        return;
    };
    let (batches, width) = (reader.num_batches(), reader.schema().fields().len());
    for batch in reader.flatten() {
        for column in batch.columns() {
            stats::compute(column.as_ref());
        }
    }
    if width == 0 {
        return;
    }
    let projection = vec![width - 1, 0];
    if let Ok(mut reader) = IpcFileReader::try_new(Cursor::new(data), path, Some(projection)) {
        for index in (0..batches).rev() {
            let _ = reader.read_batch(index);
        }
    }
});
