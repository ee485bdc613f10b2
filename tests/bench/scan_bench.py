#!/usr/bin/env python3
"""The queries, loads and timing of tests/bench/scan.sh (and s3_scan.sh), over Presto's REST API (tests/server/presto_rest.py).

  scan_bench.py load PORT SF TARGET...        creates each target's schema, then lineitem, orders and
                                              customer by CREATE TABLE AS: the first target from
                                              tpch."sf<SF>", the others from the first (the generator
                                              runs once); prints one line per table: target, table, rows,
                                              seconds
  scan_bench.py rounds PORT RUNS TARGET...    one warm-up round (not measured), then RUNS rounds; a round
                                              runs every query once per target, the targets interleaved
                                              (their order rotating); prints the medians of elapsed and CPU
                                              time per query and target, the elapsed and CPU ratios of RATIOS whose
                                              two targets are given, and exits 1 when two targets' answers
                                              differ
  scan_bench.py repeat PORT TIMES TARGET      every query TIMES times on one target (no figures)
  scan_bench.py level PORT LEVEL              zkarrow.tpch_zstd<LEVEL>.lineitem from zkarrow_none's by CREATE
                                              TABLE AS with compression zstd(LEVEL); prints its seconds

Before the command: --tables=T1,T2 loads only these tables (of TABLES), --queries=Q1,Q2 runs only these
queries (names of QUERIES), in their order in QUERIES.

TARGET: zkarrow (zstd), zkarrow_none (uncompressed), heap (the reference: Presto pages kept in the JVM
heap by the benchmark's own connector, java/src/bench, the memory connector's approach), zks3 (zstd, in
a zkarrow catalog named zks3 whose warehouse is on S3: tests/bench/s3_scan.sh). A target is a catalog
and schema: another connector is one line in TARGETS.
Elapsed and CPU time are the engine's own (queryStats.elapsedTime and totalCpuTime of /v1/query/<id>).
"""
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import presto_rest  # noqa: E402

# target -> (catalog, schema, CREATE TABLE suffix)
TARGETS = {
    "zkarrow": ("zkarrow", "tpch", " WITH (compression = 'zstd')"),
    "zkarrow_none": ("zkarrow", "tpch_none", " WITH (compression = 'none')"),
    "heap": ("heap", "tpch", ""),
    "zks3": ("zks3", "tpch", " WITH (compression = 'zstd')"),
}
# the elapsed ratios printed (numerator, denominator), those whose two targets run: the cost of zstd,
# then how far each zkarrow table is from pages already in the heap
# the cost of object storage (the same zstd table on S3 against the local file system)
RATIOS = [("zkarrow", "zkarrow_none"), ("zkarrow", "heap"), ("zkarrow_none", "heap"), ("zks3", "zkarrow")]
TABLES = ["lineitem", "orders", "customer"]

# TPC-H Q1, Q6 and Q3 with their validation parameters; the scans of the Performance issue
QUERIES = [
    (
        "q1",
        """SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice),
       sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)),
       avg(l_quantity), avg(l_extendedprice), avg(l_discount), count(*)
FROM {s}.lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY
GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus""",
    ),
    (
        "q6",
        """SELECT sum(l_extendedprice * l_discount) FROM {s}.lineitem
WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24""",
    ),
    (
        "q3",
        """SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
FROM {s}.customer, {s}.orders, {s}.lineitem
WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
  AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15'
GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate, l_orderkey LIMIT 10""",
    ),
    ("sum", "SELECT sum(l_extendedprice) FROM {s}.lineitem"),
    ("bigint", "SELECT sum(l_orderkey) FROM {s}.lineitem"),
    (
        "strings",
        """SELECT l_shipmode, l_shipinstruct, count(*), min(l_comment), max(l_comment), sum(length(l_comment))
FROM {s}.lineitem GROUP BY l_shipmode, l_shipinstruct ORDER BY l_shipmode, l_shipinstruct""",
    ),
    ("count", "SELECT count(*) FROM {s}.lineitem"),
    ("range", "SELECT sum(l_extendedprice) FROM {s}.lineitem WHERE l_orderkey < 6000"),
]

UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def seconds(duration):
    """Seconds of an airlift Duration string such as '1.25s' or '830.00ms'."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*([a-z]+)\s*", duration or "")
    if not match or match.group(2) not in UNITS:
        raise ValueError("not a duration: %r" % duration)
    return float(match.group(1)) * UNITS[match.group(2)]


def execute(port, sql, timeout=3600):
    """(rows, query stats); raises with the server's message on an error."""
    query_id, rows, error = presto_rest.run(port, sql, catalog="tpch", schema="tiny", deadline_seconds=timeout)
    if error:
        raise RuntimeError("query %s failed: %s\n%s" % (query_id, error, sql))
    return rows, presto_rest.query_info(port, query_id).get("queryStats") or {}


def qualified(target):
    catalog, schema, _ = TARGETS[target]
    return "%s.%s" % (catalog, schema)


def load(port, sf, targets):
    source = 'tpch."sf%s"' % sf  # the tpch connector reads the scale from the schema name: sf1, sf0.1
    for target in targets:
        catalog, schema, table_suffix = TARGETS[target]
        execute(port, "CREATE SCHEMA IF NOT EXISTS %s.%s" % (catalog, schema))
        for table in TABLES:
            origin = "%s.%s" % (source if target == targets[0] else qualified(targets[0]), table)
            started = time.time()
            rows, _ = execute(
                port, "CREATE TABLE %s.%s.%s%s AS SELECT * FROM %s" % (catalog, schema, table, table_suffix, origin)
            )
            print("%s\t%s\t%s\t%.1f" % (target, table, rows[0][0], time.time() - started))
            sys.stdout.flush()


def level(port, zstd_level):
    """CREATE TABLE AS of zkarrow_none's lineitem at a zstd level; prints the seconds it took."""
    schema = "zkarrow.tpch_zstd%d" % zstd_level
    execute(port, "CREATE SCHEMA IF NOT EXISTS %s" % schema)
    started = time.time()
    execute(
        port,
        "CREATE TABLE %s.lineitem WITH (compression = 'zstd(%d)') AS SELECT * FROM %s.lineitem"
        % (schema, zstd_level, qualified("zkarrow_none")),
    )
    print("%.1f" % (time.time() - started))


def same(a, b):
    """Answers agree: equal rows, floating point cells within a relative 1e-9 (summation order differs)."""
    if len(a) != len(b):
        return False
    for row_a, row_b in zip(a, b):
        if len(row_a) != len(row_b):
            return False
        for x, y in zip(row_a, row_b):
            if isinstance(x, float) or isinstance(y, float):
                if x is None or y is None or abs(x - y) > 1e-9 * max(abs(x), abs(y), 1.0):
                    return False
            elif x != y:
                return False
    return True


def rounds(port, runs, targets):
    elapsed = {(q, t): [] for q, _ in QUERIES for t in targets}
    cpu = {(q, t): [] for q, _ in QUERIES for t in targets}
    answers = {}
    failures = {}  # (query, target) -> message: each disagreement once
    # the warm-up round (run -1) checks answers too, but its times are left out
    for run in range(-1, runs):
        for name, sql in QUERIES:
            # interleaved: each query once per target, the target order rotating with the round
            for i in range(len(targets)):
                target = targets[(i + run) % len(targets)]
                rows, stats = execute(port, sql.format(s=qualified(target)))
                reference = answers.setdefault(name, (target, rows))
                if not same(reference[1], rows) and (name, target) not in failures:
                    failures[(name, target)] = "%s: %s answered %r, %s answered %r" % (
                        name,
                        reference[0],
                        reference[1][:3],
                        target,
                        rows[:3],
                    )
                if run >= 0:
                    elapsed[(name, target)].append(seconds(stats.get("elapsedTime")))
                    cpu[(name, target)].append(seconds(stats.get("totalCpuTime")))
        sys.stderr.write("scan_bench.py: %s done\n" % ("warm-up round" if run < 0 else "round %d of %d" % (run + 1, runs)))
    header = ["query"] + ["%s s" % t for t in targets] + ["%s cpu" % t for t in targets]
    ratios = [(a, b) for a, b in RATIOS if a in targets and b in targets]
    header += ["%s/%s" % ratio for ratio in ratios] + ["%s/%s cpu" % ratio for ratio in ratios]
    table = [header]
    for name, _ in QUERIES:
        med = {t: statistics.median(elapsed[(name, t)]) for t in targets}
        med_cpu = {t: statistics.median(cpu[(name, t)]) for t in targets}
        line = [name] + ["%.3f" % med[t] for t in targets] + ["%.3f" % med_cpu[t] for t in targets]
        line += ["%.2f" % (med[a] / med[b]) if med[b] else "-" for a, b in ratios]
        line += ["%.2f" % (med_cpu[a] / med_cpu[b]) if med_cpu[b] else "-" for a, b in ratios]
        table.append(line)
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print("medians of %d runs: elapsed seconds (s), CPU seconds (cpu), ratios of the medians (elapsed, cpu)" % runs)
    for row in table:
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    if failures:
        for failure in failures.values():
            sys.stderr.write("scan_bench.py: ANSWERS DIFFER: %s\n" % failure)
        return 1
    print("answers agree across %s" % ", ".join(targets))
    return 0


def repeat(port, times, target):
    for _ in range(times):
        for _, sql in QUERIES:
            execute(port, sql.format(s=qualified(target)))
    return 0


def select(option, names, known):
    """The names of `option` (comma-separated) kept in `known`'s order; exits on an unknown one."""
    wanted = option.split(",")
    unknown = [n for n in wanted if n not in names]
    if unknown:
        sys.stderr.write("scan_bench.py: unknown %s (known: %s)\n" % (", ".join(unknown), ", ".join(names)))
        sys.exit(2)
    return [k for k, n in zip(known, names) if n in wanted]


def main(argv):
    global QUERIES, TABLES
    while argv and argv[0].startswith("--"):
        option, _, value = argv.pop(0).partition("=")
        if option == "--queries":
            QUERIES = select(value, [name for name, _ in QUERIES], QUERIES)
        elif option == "--tables":
            TABLES = select(value, TABLES, TABLES)
        else:
            sys.stderr.write(__doc__)
            return 2
    if len(argv) == 3 and argv[0] == "level":
        level(argv[1], int(argv[2]))
        return 0
    if len(argv) < 4 or argv[0] not in ("load", "rounds", "repeat"):
        sys.stderr.write(__doc__)
        return 2
    command, port, count, targets = argv[0], argv[1], argv[2], argv[3:]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        sys.stderr.write("scan_bench.py: unknown target %s\n" % ", ".join(unknown))
        return 2
    if command == "load":
        load(port, count, targets)
        return 0
    if command == "rounds":
        return rounds(port, int(count), targets)
    return repeat(port, int(count), targets[0])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C: scan.sh's trap stops the servers
        sys.exit(130)
