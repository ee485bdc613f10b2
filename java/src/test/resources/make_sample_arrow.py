#!/usr/bin/env python3
"""Writes the Arrow IPC files that the Java tests register as tables (usage: make_sample_arrow.py OUTDIR).

simple.arrow   3 record batches, 10 rows: id bigint, name varchar (nulls), score double, flag boolean (nulls), day date
types.arrow    1 record batch, 3 rows: one column per Arrow type the connector maps to Presto
"""
import datetime
import decimal
import os
import sys

import pyarrow as pa


def write(path, batches):
    with pa.OSFile(path, "wb") as sink:
        with pa.ipc.new_file(sink, batches[0].schema) as writer:
            for batch in batches:
                writer.write_batch(batch)


def simple(out):
    schema = pa.schema([
        ("id", pa.int64()),
        ("name", pa.string()),
        ("score", pa.float64()),
        ("flag", pa.bool_()),
        ("day", pa.date32()),
    ])
    ids = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]]
    batches = []
    for chunk in ids:
        batches.append(pa.record_batch([
            pa.array(chunk, pa.int64()),
            pa.array([None if i % 3 == 0 else "name-%d" % i for i in chunk], pa.string()),
            pa.array([i * 1.5 for i in chunk], pa.float64()),
            pa.array([None if i % 4 == 0 else i % 2 == 0 for i in chunk], pa.bool_()),
            pa.array([datetime.date(2024, 1, i) for i in chunk], pa.date32()),
        ], schema=schema))
    write(os.path.join(out, "simple.arrow"), batches)


def types(out):
    schema = pa.schema([
        ("c_tinyint", pa.int8()),
        ("c_smallint", pa.int16()),
        ("c_integer", pa.int32()),
        ("c_bigint", pa.int64()),
        ("c_real", pa.float32()),
        ("c_double", pa.float64()),
        ("c_boolean", pa.bool_()),
        ("c_varchar", pa.string()),
        ("c_varbinary", pa.binary()),
        ("c_date", pa.date32()),
        ("c_timestamp", pa.timestamp("ms")),
        ("c_short_decimal", pa.decimal128(10, 2)),
        ("c_long_decimal", pa.decimal128(25, 5)),
        ("c_dict", pa.dictionary(pa.int32(), pa.string())),
        ("c_array", pa.list_(pa.int64())),
        ("c_map", pa.map_(pa.string(), pa.int64())),
        ("c_row", pa.struct([("x", pa.int64()), ("y", pa.string())])),
    ])
    batch = pa.record_batch([
        pa.array([1, -2, None], pa.int8()),
        pa.array([100, -200, None], pa.int16()),
        pa.array([10000, -20000, None], pa.int32()),
        pa.array([10 ** 12, -(10 ** 12), None], pa.int64()),
        pa.array([1.5, -2.25, None], pa.float32()),
        pa.array([3.125, -4.5, None], pa.float64()),
        pa.array([True, False, None], pa.bool_()),
        pa.array(["hello", "w\u00f6rld", None], pa.string()),
        pa.array([b"\x00\x01", b"", None], pa.binary()),
        pa.array([datetime.date(2024, 2, 29), datetime.date(1969, 12, 31), None], pa.date32()),
        pa.array([datetime.datetime(2024, 2, 29, 12, 30, 45, 123000), datetime.datetime(1970, 1, 1), None], pa.timestamp("ms")),
        pa.array([decimal.Decimal("12345678.91"), decimal.Decimal("-0.01"), None], pa.decimal128(10, 2)),
        pa.array([decimal.Decimal("12345678901234567890.12345"), decimal.Decimal("-1.00001"), None], pa.decimal128(25, 5)),
        pa.array(["red", "blue", None], pa.string()).dictionary_encode(),
        pa.array([[1, 2, 3], [], None], pa.list_(pa.int64())),
        pa.array([[("a", 1), ("b", 2)], [], None], pa.map_(pa.string(), pa.int64())),
        pa.array([{"x": 1, "y": "one"}, {"x": 2, "y": None}, None], pa.struct([("x", pa.int64()), ("y", pa.string())])),
    ], schema=schema)
    write(os.path.join(out, "types.arrow"), [batch])


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    simple(out)
    types(out)
