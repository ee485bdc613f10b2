# Writes the pyarrow seeds of the fuzz corpus (rust/fuzz/corpus/*/pyarrow-*): every layout pyarrow
# writes that arrow-rs reads (views, unions, run-end encoded, list views, large types), in every
# compression, in the file and the stream format. Usage: python3 rust/fuzz/pyarrow_seeds.py <dir>
import pyarrow as pa, pyarrow.ipc as ipc, sys, os
n = 40
cols = {
 'i8': pa.array([i % 100 if i % 7 else None for i in range(n)], pa.int8()),
 'u64': pa.array(range(n), pa.uint64()),
 'f16': pa.array([None]*n, pa.null()),
 'ls': pa.array([f"s{i%13}" if i % 5 else None for i in range(n)], pa.large_string()),
 'sv': pa.array([f"view-string-number-{i%17}" for i in range(n)], pa.string_view()),
 'bv': pa.array([b"x" * (i % 20) for i in range(n)], pa.binary_view()),
 'll': pa.array([[i, i+1] if i % 3 else None for i in range(n)], pa.large_list(pa.int32())),
 'fsl': pa.array([[i, i] for i in range(n)], pa.list_(pa.int16(), 2)),
 'lv': pa.array([[i] for i in range(n)], pa.list_view(pa.int64())),
 'st': pa.array([{'a': i, 'b': str(i)} for i in range(n)]),
 'mp': pa.array([[('k', i)] for i in range(n)], pa.map_(pa.string(), pa.int64())),
 'dict': pa.array([['a','b','c'][i%3] for i in range(n)]).dictionary_encode(),
 'd256': pa.array([i for i in range(n)], pa.decimal256(40, 2)),
 'fsb': pa.array([bytes([i%256])*4 for i in range(n)], pa.binary(4)),
 'ts': pa.array(range(n), pa.timestamp('us', tz='UTC')),
 'ree': pa.RunEndEncodedArray.from_arrays(pa.array([(i+1)*4 for i in range(10)], pa.int32()), pa.array(range(10), pa.int32())),
 'dense': pa.UnionArray.from_dense(pa.array([i % 2 for i in range(n)], pa.int8()), pa.array([i // 2 for i in range(n)], pa.int32()), [pa.array(range(n//2), pa.int64()), pa.array([str(i) for i in range(n//2)])]),
 'sparse': pa.UnionArray.from_sparse(pa.array([i % 2 for i in range(n)], pa.int8()), [pa.array(range(n), pa.int64()), pa.array([str(i) for i in range(n)])]),
}
t = pa.table(cols)
out = sys.argv[1]
for c in [None, 'lz4', 'zstd']:
    opts = ipc.IpcWriteOptions(compression=c)
    name = c or 'none'
    with ipc.new_file(os.path.join(out, f'pyarrow-{name}.arrow'), t.schema, options=opts) as w:
        w.write_table(t, max_chunksize=25)
    with ipc.new_stream(os.path.join(out, f'pyarrow-{name}.arrows'), t.schema, options=opts) as w:
        w.write_table(t, max_chunksize=25)
print("ok")
