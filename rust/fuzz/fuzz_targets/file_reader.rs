//! The Arrow IPC file reader as registration and scans use it: open (footer, dictionaries),
//! every batch decoded and described (statistics), projected reads (which read only the
//! projected columns' buffers) from the last batch back, as a split reads, and the row counts a
//! column-less scan (count(*)) takes from the metadata alone. An error is a fine answer; a panic, an abort or a huge allocation
//! (-malloc_limit_mb) is a finding.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zkarrow_core::storage::arrow_file::IpcFileReader;
use zkarrow_core::storage::stats;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.arrow");
    if let Ok(mut footer) = IpcFileReader::try_new_footer(Cursor::new(data), path) {
        for index in 0..footer.num_batches() {
            let _ = footer.batch_rows(index);
        }
    }
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
    for projection in [vec![width - 1, 0], vec![width / 2]] {
        if let Ok(mut reader) = IpcFileReader::try_new(Cursor::new(data), path, Some(projection)) {
            for index in (0..batches).rev() {
                if let Ok(batch) = reader.read_batch(index) {
                    for column in batch.columns() {
                        stats::compute(column.as_ref());
                    }
                }
            }
        }
    }
});
