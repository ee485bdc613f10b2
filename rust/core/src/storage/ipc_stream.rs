//! Reading the Arrow IPC stream format without believing it: each message's lengths are checked
//! against what is left of the input and its batch against [`crate::storage::ipc_guard`] before arrow
//! decodes it (arrow's `StreamReader` would hand a lying buffer straight to its decompressor).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch};
use arrow::buffer::{Buffer, MutableBuffer};
use arrow::datatypes::SchemaRef;
use arrow::ipc::convert::try_fb_to_schema;
use arrow::ipc::reader::{read_dictionary, read_record_batch};
use arrow::ipc::MessageHeader;

use crate::storage::ipc_guard::{self, Expect};
use crate::{err, Error, Result};

/// One message as read: its flatbuffer and its body.
struct RawMessage {
    meta: MutableBuffer,
    /// 64-byte aligned, as arrow's buffers are: the guard checks the addresses arrow reads.
    body: MutableBuffer,
}

/// Reads the record batches of an Arrow IPC stream of `len` bytes.
pub struct IpcStreamReader<R> {
    reader: R,
    /// Bytes of the input not read yet.
    remaining: u64,
    path: PathBuf,
    schema: SchemaRef,
    dictionaries: HashMap<i64, ArrayRef>,
    /// Messages read so far (for errors).
    index: usize,
    finished: bool,
}

impl<R: Read> IpcStreamReader<R> {
    /// Reads the schema message. An input whose first message is not a schema is not a stream
    /// (`INVALID_ARGUMENT`); later lies are `CORRUPT_FILE`.
    pub fn try_new(reader: R, len: u64, path: &Path) -> Result<Self> {
        let mut this = IpcStreamReader {
            reader,
            remaining: len,
            path: path.to_path_buf(),
            schema: Arc::new(arrow::datatypes::Schema::empty()),
            dictionaries: HashMap::new(),
            index: 0,
            finished: false,
        };
        let not_a_stream = |e: String| {
            err!(
                InvalidArgument,
                "'{}' is neither an Arrow IPC file nor an Arrow IPC stream: {e}",
                path.display()
            )
        };
        let raw = this
            .read_raw()
            .map_err(|e| not_a_stream(e.message))?
            .ok_or_else(|| not_a_stream("it holds no schema".into()))?;
        let message = arrow::ipc::root_as_message(&raw.meta)
            .map_err(|e| not_a_stream(format!("malformed first message: {e}")))?;
        ipc_guard::check_message(
            &message,
            &raw.body,
            &this.schema,
            Expect::Schema,
            "message 0",
        )
        .map_err(not_a_stream)?;
        let schema = message.header_as_schema().expect("checked");
        this.schema = Arc::new(
            try_fb_to_schema(schema).map_err(|e| this.corrupt(format!("bad schema: {e}")))?,
        );
        ipc_guard::check_schema(this.schema.fields()).map_err(|lie| this.corrupt(lie))?;
        Ok(this)
    }

    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn corrupt(&self, lie: String) -> Error {
        err!(CorruptFile, "'{}' is corrupt: {lie}", self.path.display())
    }

    /// Reads `n` bytes that the input must still have.
    fn read_exact(&mut self, n: u64, what: &str) -> Result<MutableBuffer> {
        if n > self.remaining {
            return Err(self.corrupt(format!(
                "{what} declares {n} bytes, but only {} are left",
                self.remaining
            )));
        }
        let mut bytes = MutableBuffer::from_len_zeroed(n as usize);
        self.reader
            .read_exact(bytes.as_slice_mut())
            .map_err(|e| err!(IoError, "cannot read '{}': {e}", self.path.display()))?;
        self.remaining -= n;
        Ok(bytes)
    }

    /// The next message, or None at the end of the stream (end of input or end marker).
    fn read_raw(&mut self) -> Result<Option<RawMessage>> {
        let what = format!("message {}", self.index);
        if self.remaining == 0 {
            return Ok(None);
        }
        let mut word = self.read_exact(4, &what)?;
        if word.as_slice() == [0xff; 4] {
            word = self.read_exact(4, &what)?;
        }
        let meta_len = i32::from_le_bytes(word[..4].try_into().expect("4 bytes"));
        if meta_len == 0 {
            return Ok(None);
        }
        let meta_len = u64::try_from(meta_len)
            .map_err(|_| self.corrupt(format!("{what} declares metadata length {meta_len}")))?;
        let meta = self.read_exact(meta_len, &what)?;
        let message = arrow::ipc::root_as_message(&meta)
            .map_err(|e| self.corrupt(format!("{what} has a malformed header: {e}")))?;
        let body_len = u64::try_from(message.bodyLength()).map_err(|_| {
            self.corrupt(format!(
                "{what} declares a negative body length {}",
                message.bodyLength()
            ))
        })?;
        let body = self.read_exact(body_len, &what)?;
        self.index += 1;
        Ok(Some(RawMessage { meta, body }))
    }

    /// The next record batch, reading the dictionary batches before it.
    fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        loop {
            let index = self.index;
            let what = format!("message {index}");
            let Some(raw) = self.read_raw()? else {
                return Ok(None);
            };
            let message = arrow::ipc::root_as_message(&raw.meta).expect("verified when read");
            let expect = match message.header_type() {
                MessageHeader::DictionaryBatch => Expect::Dictionary,
                _ => Expect::RecordBatch,
            };
            ipc_guard::check_message(&message, &raw.body, &self.schema, expect, &what)
                .map_err(|lie| self.corrupt(lie))?;
            let body: Buffer = raw.body.into();
            let decoded = match expect {
                Expect::Dictionary => read_dictionary(
                    &body,
                    message.header_as_dictionary_batch().expect("checked"),
                    &self.schema,
                    &mut self.dictionaries,
                    &message.version(),
                )
                .map(|()| None),
                _ => read_record_batch(
                    &body,
                    message.header_as_record_batch().expect("checked"),
                    self.schema.clone(),
                    &self.dictionaries,
                    None,
                    &message.version(),
                )
                .map(Some),
            };
            match decoded {
                Ok(Some(batch)) => return Ok(Some(batch)),
                Ok(None) => {}
                Err(e) => return Err(self.corrupt(format!("{what} cannot be decoded: {e}"))),
            }
        }
    }
}

impl<R: Read> Iterator for IpcStreamReader<R> {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = self.next_batch();
        if !matches!(next, Ok(Some(_))) {
            self.finished = true;
        }
        next.transpose()
    }
}
