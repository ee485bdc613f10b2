#!/usr/bin/env python3
"""Stored bytes of one table's data in other formats, for tests/bench/scan.sh.

  file_sizes.py DATA_DIR    reads the Arrow IPC files of a zkarrow table's data directory (written
                            uncompressed) with pyarrow and writes the same rows as Parquet (snappy, and
                            zstd) and ORC (zstd) with pyarrow's writers, in their default row group /
                            stripe sizes; prints one line per format: name, bytes

pyarrow's writers stand in for Hive's (no Hive plugin runs on PrestoDB 0.296): the same encodings
(dictionary, RLE, bit packing) and codecs, not Hive's exact stripe and row group sizes.
"""
import glob
import os
import sys
import tempfile

import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq


def plain(table):
    """`table` with dictionary columns decoded (zkarrow writes low-cardinality strings as dictionaries,
    per file; pyarrow's ORC writer takes no dictionary type, and Parquet chooses its own encodings)."""
    fields = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def main(data_dir):
    files = sorted(glob.glob(os.path.join(data_dir, "*.arrow")))
    if not files:
        sys.exit("file_sizes.py: no .arrow file in %s" % data_dir)
    table = pa.concat_tables(plain(pa.ipc.open_file(f).read_all()) for f in files)
    with tempfile.TemporaryDirectory() as out:
        writers = [
            ("parquet_snappy", "t.parquet", lambda p: pq.write_table(table, p, compression="snappy")),
            ("parquet_zstd", "t.zstd.parquet", lambda p: pq.write_table(table, p, compression="zstd")),
            ("orc_zstd", "t.orc", lambda p: orc.write_table(table, p, compression="zstd")),
        ]
        for name, file_name, write in writers:
            path = os.path.join(out, file_name)
            write(path)
            print("%s\t%d" % (name, os.path.getsize(path)))
            sys.stdout.flush()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
