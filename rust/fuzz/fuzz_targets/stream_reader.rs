//! The Arrow IPC stream reader as import uses it: the schema, then every dictionary and record
//! batch decoded and described (statistics). An error is a fine answer; a panic, an abort or a
//! huge allocation (-malloc_limit_mb) is a finding.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zkarrow_core::storage::ipc_stream::IpcStreamReader;
use zkarrow_core::storage::stats;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.arrows");
    let Ok(reader) = IpcStreamReader::try_new(Cursor::new(data), data.len() as u64, path) else {
        return;
    };
    for batch in reader.flatten() {
        for column in batch.columns() {
            stats::compute(column.as_ref());
        }
    }
});
