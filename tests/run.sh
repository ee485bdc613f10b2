#!/usr/bin/env bash
# Runs every zkarrow test on this machine: formatting and lints, the Rust tests (real ZooKeeper
# servers), the JVM tests (real ZooKeeper, real Presto with 2+ nodes, pyarrow interop) and the
# server tests (the plugin directory installed into real PrestoDB server processes).
# Installs what it needs first (tests/setup.sh). Usage: tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

tests/setup.sh
GRADLE="gradle --console=plain --no-daemon -q"

echo "== formatting and lints"
cargo fmt --all --check
$GRADLE javaFormatCheck
cargo clippy --workspace --all-targets --release -- -D warnings

echo "== build: cdylib, plugin directory, JNI header check, ZooKeeper jars for the Rust tests"
$GRADLE assemble zookeeperClasspath

echo "== Rust tests"
cargo test --workspace --release 2>&1 | tee build/cargo-test.log
ZKARROW_BENCH_APPENDS=200 ZKARROW_BENCH_FILES=10000 ZKARROW_BENCH_TABLES=200 ZKARROW_BENCH_RUNS=3 cargo bench --workspace --bench metadata 2>&1 | tee build/bench-metadata.log  # smoke run of tests/bench/metadata.sh (release build, about 10 s)
tests/fuzz.sh 60   # the Arrow IPC readers, 60 s per target (2 targets); a crash fails

echo "== JVM tests"
$GRADLE test || jvm_failed=1

echo "== server tests: build/plugin/zkarrow installed into real PrestoDB server processes"
mkdir -p build/server-tests
rm -f build/server-tests/*.log
tests/server/install_test.sh 2>&1 | tee build/server-tests/install.log || server_failed=1
ZKARROW_NO_BUILD=1 tests/server/cluster_test.sh 2>&1 | tee build/server-tests/cluster.log || server_failed=1  # all variants: single, ensemble, s3

python3 tests/summary.py build/cargo-test.log build/test-results/test build/server-tests/*.log
echo "test wall time: $(( $(date +%s) - started ))s"
[ -z "${jvm_failed:-}" ] && [ -z "${server_failed:-}" ]
