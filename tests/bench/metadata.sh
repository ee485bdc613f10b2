#!/usr/bin/env bash
# The metadata benchmark of issue 9 (rust/core/benches/metadata.rs): streaming appends, format 1
# against format 2, optimize, a table of 10^6 files, information_schema over 10^4 tables, all
# against a real ZooKeeper the bench starts itself. Prints its tables on stdout, progress on stderr.
#
# Usage: tests/bench/metadata.sh
# Scale (environment, defaults in brackets): ZKARROW_BENCH_APPENDS [10000] one-row appends (the
# points are 1, N/10 and N), ZKARROW_BENCH_WRITERS [4], ZKARROW_BENCH_FILES [1000000] files of the
# synthetic table, ZKARROW_BENCH_TABLES [10000], ZKARROW_BENCH_RUNS [7] planning runs per median.
# A smoke run (what tests/run.sh does, about 10 s):
#   ZKARROW_BENCH_APPENDS=200 ZKARROW_BENCH_FILES=10000 ZKARROW_BENCH_TABLES=200 tests/bench/metadata.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

# the ZooKeeper jars the bench's server runs on (build/zookeeper.classpath)
gradle --console=plain --no-daemon -q zookeeperClasspath
# the bench profile inherits release: it shares target/release with `cargo test --release`
cargo bench --workspace --bench metadata
