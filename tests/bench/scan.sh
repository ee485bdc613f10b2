#!/usr/bin/env bash
# The scan benchmark of the Performance issue, in a real PrestoDB server (build/presto-server from
# `gradle prestoServer`, started by tests/server/presto-server.sh, with a real ZooKeeper) on TPC-H:
# Q1, Q6, Q3, sum(l_extendedprice), sum(l_orderkey) (one bigint column), a string-heavy aggregate,
# count(*), and the selective range l_orderkey < 6000, over zkarrow
# tables written uncompressed (zkarrow_none) and with zstd (zkarrow), and over the reference `heap`: the
# same tables as Presto pages kept in the server's heap by the benchmark's own connector
# (java/src/bench, `gradle benchHeapPlugin`), the approach of Presto's memory connector, whose published
# plugins do not run on the 0.296 server (build.gradle, prestoServer). Prints on stdout:
#   1. the loads: per target and table, rows and seconds of its CREATE TABLE AS
#   2. medians of RUNS interleaved rounds (after a warm-up round): elapsed and CPU seconds per query
#      and target (the engine's own queryStats of /v1/query), and the ratios zkarrow/zkarrow_none,
#      zkarrow/heap and zkarrow_none/heap; fails if the answers differ
#   3. stored bytes of each schema in the warehouse (du), and of lineitem at zstd levels 9 and 19 and
#      as Parquet and ORC (pyarrow's writers, tests/bench/file_sizes.py)
#   4. the peak RSS (VmHWM) of a second server that has only the zkarrow plugin and catalog, on the
#      same warehouse, after it ran every query twice
# Progress goes to stderr. Hive is not compared: no release of its plugin runs on the 0.296 server.
#
# Usage: tests/bench/scan.sh [--quick]
# Environment (defaults in brackets): SF [1] TPC-H scale factor (0.1 and 0.01 work), RUNS [5] rounds,
# ZKARROW_BENCH_HEAP [4] heap of both servers in GB, ZKARROW_BENCH_LEVELS ["9 19"] the zstd levels
# lineitem is also written at (empty: none), ZKARROW_BENCH_NO_BUILD [0] 1 takes build/ as it
# is (no gradle). --quick: a smoke run, SF 0.01 and 1 round unless SF / RUNS are set.
# Work directory: build/scan-bench/ (kept after the run; server logs in */data/var/log/).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/server/common.sh
. tests/bench/bench_server.sh

quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac
if $quick; then sf=${SF:-0.01}; runs=${RUNS:-1}; else sf=${SF:-1}; runs=${RUNS:-5}; fi
heap=${ZKARROW_BENCH_HEAP:-4}
export PRESTO_HEAP=${heap}G
started=$(date +%s)

if [ "${ZKARROW_BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "scan.sh: building (plugin, server, ZooKeeper classpath, the heap reference connector)" >&2
  gradle --console=plain --no-daemon -q assemble prestoServer zookeeperClasspath benchHeapPlugin
fi
heap_plugin=$(pwd)/build/bench-plugins/heap
[ -d "$heap_plugin" ] || { echo "scan.sh: no $heap_plugin: run gradle benchHeapPlugin" >&2; exit 1; }

work=$(pwd)/build/scan-bench
stop_all() {
  tests/server/presto-server.sh stop "$work/presto" || true
  tests/server/presto-server.sh stop "$work/presto-zkarrow" || true
  tests/server/zookeeper.sh stop "$work/zookeeper" || true
}
begin_run scan-bench "$work" stop_all

# the first target is the one loaded from tpch (the others are loaded from it); heap is the reference
# of the ratios (scan_bench.py, RATIOS)
targets=(zkarrow_none zkarrow heap)

zk_port=$(free_port)
tests/server/zookeeper.sh start "$work/zookeeper" "$zk_port" 9>&-

# the catalogs and plugins the server reads (tests/bench/bench_server.sh), and the heap connector,
# which only this benchmark loads
bench_dirs "$work" "$work/presto"
catalogs=$work/catalog
plugins=$work/plugin
echo 'connector.name=heap' > "$catalogs/heap.properties"
ln -s "$heap_plugin" "$plugins/heap"
bench_server_config "$heap"
server_config=("${bench_config[@]}")

port=$(free_port)
echo "scan.sh: starting ZooKeeper and a server (heap ${heap}G)" >&2
tests/server/presto-server.sh start "$work/presto" "$port" "127.0.0.1:$zk_port" "$work/warehouse" \
  "${server_config[@]}" --config "catalog.config-dir=$catalogs" --config "plugin.dir=$plugins" 9>&-
wait_ready "$port" "SELECT count(*) FROM tpch.tiny.region"

echo "scan.sh: loading TPC-H SF$sf (lineitem, orders, customer) into ${targets[*]}" >&2
echo "== loads: TPC-H SF$sf (${targets[0]} from tpch, the others from ${targets[0]})"
{
  printf 'target\ttable\trows\tseconds\n'
  python3 tests/bench/scan_bench.py load "$port" "$sf" "${targets[@]}"
} | column -t

echo
echo "== queries: SF$sf, $runs rounds (heap: in-heap Presto pages, the memory connector's approach)"
python3 tests/bench/scan_bench.py rounds "$port" "$runs" "${targets[@]}"

echo
echo "== stored bytes (du -sb of the schema's directory)"
# NAME BYTES -> a line with the bytes and MiB
sized() { awk -v name="$1" -v bytes="$2" 'BEGIN { printf "%s\t%d\t%.1f MiB\n", name, bytes, bytes / 1048576 }'; }
{
  sized zkarrow_none "$(du -sb "$work/warehouse/tpch_none" | cut -f1)"
  sized zkarrow "$(du -sb "$work/warehouse/tpch" | cut -f1)"
} | column -t -s $'\t'

echo
echo "== lineitem bytes by format: the same rows (zkarrow's zstd levels by CREATE TABLE AS from zkarrow_none,"
echo "   Parquet and ORC by pyarrow's writers from zkarrow_none's files: Hive's formats, not Hive's writer)"
# SCHEMA -> bytes of the lineitem table's data files
lineitem_bytes() { du -sbc "$work/warehouse/$1"/lineitem-*/data | tail -1 | cut -f1; }
{
  sized "zkarrow none" "$(lineitem_bytes tpch_none)"
  sized "zkarrow zstd (level 3)" "$(lineitem_bytes tpch)"
  for level in ${ZKARROW_BENCH_LEVELS-9 19}; do
    took=$(python3 tests/bench/scan_bench.py level "$port" "$level")
    sized "zkarrow zstd($level) (written in ${took}s)" "$(lineitem_bytes "tpch_zstd$level")"
  done
  python3 tests/bench/file_sizes.py "$(ls -d "$work/warehouse/tpch_none"/lineitem-*/data | head -1)" |
    while IFS=$'\t' read -r name bytes; do sized "pyarrow $name" "$bytes"; done
} | column -t -s $'\t'
tests/server/presto-server.sh stop "$work/presto"

# the same warehouse served by a server with nothing but zkarrow: its only plugin directory (plugin.dir,
# holding a link to the copy presto-server.sh installs) and its only catalog
echo "scan.sh: restarting with only zkarrow for its peak RSS" >&2
mkdir -p "$work/catalog-zkarrow" "$work/plugin-zkarrow"
ln -s "$work/presto-zkarrow/etc/catalog/zkarrow.properties" "$work/catalog-zkarrow/zkarrow.properties"
ln -s "$work/presto-zkarrow/plugin/zkarrow" "$work/plugin-zkarrow/zkarrow"
port=$(free_port)
tests/server/presto-server.sh start "$work/presto-zkarrow" "$port" "127.0.0.1:$zk_port" "$work/warehouse" \
  "${server_config[@]}" --config "catalog.config-dir=$work/catalog-zkarrow" \
  --config "plugin.dir=$work/plugin-zkarrow" 9>&-
pid=$(cat "$work/presto-zkarrow/data/var/run/launcher.pid")
# bytes of a /proc/<pid>/status line (given in kB)
vm() { awk -v key="$1:" '$1 == key { print $2 * 1024 }' "/proc/$pid/status"; }
after_start=$(vm VmHWM)
# (measured before this scan of the smallest table)
wait_ready "$port" "SELECT sum(c_custkey) FROM zkarrow.tpch.customer"
python3 tests/bench/scan_bench.py repeat "$port" 2 zkarrow
echo
echo "== memory of a zkarrow-only server (pid $pid, heap ${heap}G), every query twice on SF$sf zstd"
{
  sized VmHWM_after_start "$after_start"
  sized VmHWM_after_queries "$(vm VmHWM)"
  sized VmRSS_now "$(vm VmRSS)"
} | column -t -s $'\t'
echo
echo "wall time: $(( $(date +%s) - started ))s"
