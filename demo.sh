#!/usr/bin/env bash
# zkarrow's main job: builds everything, starts an embedded ZooKeeper server and a single-node Presto
# with the zkarrow plugin, registers a sample dataset (Arrow IPC files written by the zkarrow CLI) as
# zkarrow.demo.trips, prints the answers of a few queries, and leaves a SQL prompt when a terminal is
# attached. Usage: ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"
tests/setup.sh
gradle --console=plain --no-daemon -q assemble demoClasspath
cargo build --release -q -p zkarrow-cli
work=build/demo
rm -rf "$work" && mkdir -p "$work"
target/release/zkarrow sample --out "$work/data/trips" --rows 100000 >/dev/null
exec java -Xmx2g -Djdk.attach.allowAttachSelf=true -cp "$(cat build/demo.classpath)" \
  io.zkarrow.presto.ZkArrowDemo "$work" "$work/data/trips"
