#!/usr/bin/env python3
"""Writes Arrow IPC files with pyarrow for zkarrow's interop test, and what pyarrow itself reads back.

Usage: write_all_types.py OUT_DIR

OUT_DIR/all_types/ gets one file per IPC body compression (uncompressed, LZ4_FRAME, ZSTD), each with
several record batches and every Arrow type zkarrow maps to Presto, with nulls at every nesting level.
OUT_DIR/expected.json holds the Presto type expected for each column and pyarrow's own reading of
every row in a canonical JSON form that the JVM test compares Presto's answers with:
  decimal -> string with the column's scale; binary -> lowercase hex; date -> YYYY-MM-DD;
  time -> HH:MM:SS.mmm; timestamp -> YYYY-MM-DD HH:MM:SS.mmm (floored to milliseconds);
  timestamp with time zone -> epoch milliseconds; map -> object with sorted string keys;
  struct -> list of field values in order.
"""
import datetime as dt
import decimal
import json
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

ROWS_PER_BATCH = 97
BATCHES = 3

EXPECTED_TYPES = {
    "id": "bigint",
    "c_bool": "boolean",
    "c_int8": "tinyint",
    "c_int16": "smallint",
    "c_int32": "integer",
    "c_int64": "bigint",
    "c_uint8": "smallint",
    "c_uint16": "integer",
    "c_uint32": "bigint",
    "c_float32": "real",
    "c_float64": "double",
    "c_dec_short": "decimal(10,2)",
    "c_dec_long": "decimal(30,5)",
    "c_string": "varchar",
    "c_large_string": "varchar",
    "c_dict_string": "varchar",
    "c_binary": "varbinary",
    "c_large_binary": "varbinary",
    "c_date32": "date",
    "c_date64": "date",
    "c_time32_s": "time",
    "c_time32_ms": "time",
    "c_time64_us": "time",
    "c_time64_ns": "time",
    "c_ts_s": "timestamp",
    "c_ts_ms": "timestamp",
    "c_ts_us": "timestamp",
    "c_ts_ns": "timestamp",
    "c_ts_tz": "timestamp with time zone",
    "c_list_int": "array(integer)",
    "c_large_list_string": "array(varchar)",
    "c_list_list": "array(array(bigint))",
    "c_map": "map(varchar,integer)",
    "c_struct": 'row("a" integer,"b" varchar,"c" array(double))',
    "c_list_struct": 'array(row("x" bigint))',
}
COLORS = pa.array(["red", "green", "blue"])


def make_batch(start):
    ids = list(range(start, start + ROWS_PER_BATCH))
    n = lambda f, every=5: [None if i % every == 3 else f(i) for i in ids]  # noqa: E731
    arrays = {
        "id": pa.array(ids, pa.int64()),
        "c_bool": pa.array(n(lambda i: i % 2 == 0), pa.bool_()),
        "c_int8": pa.array(n(lambda i: (i % 256) - 128), pa.int8()),
        "c_int16": pa.array(n(lambda i: (i * 331) % 65536 - 32768), pa.int16()),
        "c_int32": pa.array(n(lambda i: (i * 1_000_003) % 2**32 - 2**31), pa.int32()),
        "c_int64": pa.array(n(lambda i: (i * 7_919_000_003_331) % 2**64 - 2**63), pa.int64()),
        "c_uint8": pa.array(n(lambda i: (i * 7) % 256), pa.uint8()),
        "c_uint16": pa.array(n(lambda i: (i * 7919) % 65536), pa.uint16()),
        "c_uint32": pa.array(n(lambda i: (i * 2_654_435_761) % 2**32), pa.uint32()),
        "c_float32": pa.array(n(lambda i: i / 8.0 - 3.25), pa.float32()),
        "c_float64": pa.array(n(lambda i: i * 1.000001 - 50.5), pa.float64()),
        "c_dec_short": pa.array(n(lambda i: decimal.Decimal(i * 137 - 5000).scaleb(-2)), pa.decimal128(10, 2)),
        "c_dec_long": pa.array(
            n(lambda i: decimal.Decimal((i * 982_451_653_123_457) * (-1) ** i).scaleb(-5)), pa.decimal128(30, 5)
        ),
        "c_string": pa.array(n(lambda i: f"s{i}-\u00e9\u4e2d" * (i % 4)), pa.string()),
        "c_large_string": pa.array(n(lambda i: f"large {i}"), pa.large_string()),
        # IPC files allow one dictionary per field: every batch shares COLORS.
        "c_dict_string": pa.DictionaryArray.from_arrays(pa.array(n(lambda i: i % 3), pa.int8()), COLORS),
        "c_binary": pa.array(n(lambda i: bytes([i % 256, 0, 255])[: i % 4]), pa.binary()),
        "c_large_binary": pa.array(n(lambda i: bytes([7] * (i % 3))), pa.large_binary()),
        "c_date32": pa.array(n(lambda i: dt.date(1969, 12, 25) + dt.timedelta(days=i * 3)), pa.date32()),
        "c_date64": pa.array(n(lambda i: (i * 5 - 100) * 86_400_000), pa.int64()).cast(pa.date64()),
        "c_time32_s": pa.array(n(lambda i: i * 777 % 86400), pa.int32()).cast(pa.time32("s")),
        "c_time32_ms": pa.array(n(lambda i: i * 777_123 % 86_400_000), pa.int32()).cast(pa.time32("ms")),
        "c_time64_us": pa.array(n(lambda i: i * 777_123_457 % 86_400_000_000), pa.int64()).cast(pa.time64("us")),
        "c_time64_ns": pa.array(n(lambda i: i * 777_123_457_891 % 86_400_000_000_000), pa.int64()).cast(
            pa.time64("ns")
        ),
        "c_ts_s": pa.array(n(lambda i: i * 86_399 - 2_000_000), pa.int64()).cast(pa.timestamp("s")),
        "c_ts_ms": pa.array(n(lambda i: i * 86_399_123 - 2_000_000_000), pa.int64()).cast(pa.timestamp("ms")),
        "c_ts_us": pa.array(n(lambda i: i * 86_399_123_457 + 1_700_000_000_000_000), pa.int64()).cast(
            pa.timestamp("us")
        ),
        "c_ts_ns": pa.array(n(lambda i: i * 86_399_123_457_891 - 7_000_000_123), pa.int64()).cast(
            pa.timestamp("ns")
        ),
        "c_ts_tz": pa.array(n(lambda i: i * 3_600_001 + 1_600_000_000_000), pa.int64()).cast(
            pa.timestamp("ms", tz="UTC")
        ),
        "c_list_int": pa.array(
            n(lambda i: [None if (i + k) % 4 == 0 else i * 10 + k for k in range(i % 4)]), pa.list_(pa.int32())
        ),
        "c_large_list_string": pa.array(
            n(lambda i: [f"e{i}.{k}" for k in range(i % 3)], every=7), pa.large_list(pa.string())
        ),
        "c_list_list": pa.array(
            n(lambda i: [None if k == 1 else [i, k] for k in range(i % 3)]), pa.list_(pa.list_(pa.int64()))
        ),
        "c_map": pa.array(
            n(lambda i: [(f"k{k}", None if k == 2 else i + k) for k in range(i % 4)]),
            pa.map_(pa.string(), pa.int32()),
        ),
        "c_struct": pa.array(
            n(lambda i: {"a": None if i % 7 == 1 else i, "b": f"b{i}", "c": None if i % 6 == 0 else [i / 2.0]}),
            pa.struct([("a", pa.int32()), ("b", pa.string()), ("c", pa.list_(pa.float64()))]),
        ),
        "c_list_struct": pa.array(
            n(lambda i: [None if k == 0 and i % 2 else {"x": i * k} for k in range(i % 3)]),
            pa.list_(pa.struct([("x", pa.int64())])),
        ),
    }
    return pa.RecordBatch.from_arrays(list(arrays.values()), names=list(arrays.keys()))


# ---- pyarrow's own reading, in canonical form ----

UNIT_PER_MS = {"s": None, "ms": 1, "us": 1_000, "ns": 1_000_000}


def raw_ints(array):
    return array.cast(pa.int64()).to_pylist() if array.type.bit_width == 64 else array.cast(pa.int32()).to_pylist()


def floor_ms(value, unit):
    return value * 1000 if unit == "s" else value // UNIT_PER_MS[unit]


def fmt_time(ms):
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def fmt_timestamp(ms):
    d = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + f"{d.microsecond // 1000:03d}"


def canonical_column(array):
    """pyarrow's reading of one column, in canonical JSON values."""
    t = array.type
    if pa.types.is_dictionary(t):
        return canonical_column(array.cast(t.value_type))
    if pa.types.is_time(t):
        return [None if v is None else fmt_time(floor_ms(v, t.unit)) for v in raw_ints(array)]
    if pa.types.is_timestamp(t):
        ints = array.cast(pa.int64()).to_pylist()
        ms = [None if v is None else floor_ms(v, t.unit) for v in ints]
        return ms if t.tz is not None else [None if v is None else fmt_timestamp(v) for v in ms]
    if pa.types.is_date(t):
        return [None if v is None else v.isoformat() for v in array.cast(pa.date32()).to_pylist()]
    if pa.types.is_decimal(t):
        return [None if v is None else str(v) for v in array.to_pylist()]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return [None if v is None else v.hex() for v in array.to_pylist()]
    if pa.types.is_floating(t):
        return [None if v is None else float(v) for v in array.to_pylist()]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        flat = canonical_column(array.values)
        offsets = array.offsets.to_pylist()
        valid = array.is_valid().to_pylist()
        return [flat[offsets[k]:offsets[k + 1]] if valid[k] else None for k in range(len(array))]
    if pa.types.is_map(t):
        keys = canonical_column(array.keys)
        items = canonical_column(array.items)
        offsets = array.offsets.to_pylist()
        valid = array.is_valid().to_pylist()
        out = []
        for k in range(len(array)):
            if not valid[k]:
                out.append(None)
                continue
            pairs = {str(keys[j]): items[j] for j in range(offsets[k], offsets[k + 1])}
            out.append(dict(sorted(pairs.items())))
        return out
    if pa.types.is_struct(t):
        fields = [canonical_column(pc.struct_field(array, [f])) for f in range(t.num_fields)]
        valid = array.is_valid().to_pylist()
        return [[f[k] for f in fields] if valid[k] else None for k in range(len(array))]
    return array.to_pylist()


def main():
    out = sys.argv[1]
    table_dir = os.path.join(out, "all_types")
    os.makedirs(table_dir, exist_ok=True)
    schema = make_batch(0).schema
    next_id = 0
    for compression in [None, "lz4", "zstd"]:
        path = os.path.join(table_dir, f"part-{compression or 'none'}.arrow")
        options = ipc.IpcWriteOptions(compression=compression)
        with ipc.new_file(path, schema, options=options) as writer:
            for _ in range(BATCHES):
                writer.write_batch(make_batch(next_id))
                next_id += ROWS_PER_BATCH
    # pyarrow reads every file back; that reading is what Presto must return.
    rows = []
    for name in sorted(os.listdir(table_dir)):
        table = ipc.open_file(os.path.join(table_dir, name)).read_all()
        columns = [canonical_column(table.column(c).combine_chunks()) for c in range(table.num_columns)]
        rows.extend([list(r) for r in zip(*columns)])
    rows.sort(key=lambda r: r[0])
    expected = {
        "table_dir": os.path.abspath(table_dir),
        "columns": [{"name": f.name, "type": EXPECTED_TYPES[f.name]} for f in schema],
        "rows": rows,
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)
    print(f"wrote {len(rows)} rows in 3 files to {table_dir}")


if __name__ == "__main__":
    main()
