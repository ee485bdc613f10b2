#!/usr/bin/env bash
# The object storage benchmark of issue 12: TPC-H lineitem scanned from S3 on loopback against the
# local file system, in one run. One ZooKeeper, one S3 server (tests/s3/s3-server.sh: versitygw,
# its objects plain files on this machine's disk) and ONE Presto server (tests/server/presto-server.sh)
# with two zkarrow catalogs: `zkarrow`, its warehouse a local directory, and `zks3`, its warehouse
# s3://<bucket>/wh. Prints on stdout:
#   1. the loads: lineitem by CREATE TABLE AS with zstd, into zkarrow from tpch, then into zks3 from
#      zkarrow (rows, seconds)
#   2. medians of RUNS interleaved rounds (after a warm-up round) of Q1, Q6, sum(l_extendedprice) and
#      count(*) on each catalog: elapsed and CPU seconds (the engine's own queryStats) and the ratios
#      zks3/zkarrow (s3/local); fails if the answers differ (tests/bench/scan_bench.py)
#   3. the stored bytes of both lineitem tables
#   4. bytes fetched from S3 per data file, for a one-column projection (l_extendedprice) and for all
#      columns, against the object's size, and the time of each against the same file read from the
#      local file system (rust/core/benches/object_reads.rs: Presto cannot see the core's counters)
# Progress goes to stderr.
#
# Usage: tests/bench/s3_scan.sh [--quick]
# Environment (defaults in brackets): SF [1] TPC-H scale factor, RUNS [5] rounds (and timed runs of
# the object reads), ZKARROW_BENCH_HEAP [4] heap of the server in GB, ZKARROW_BENCH_NO_BUILD [0] 1
# takes build/ as it is (no gradle). --quick: a smoke run, SF 0.01 and 1 round unless SF / RUNS are set.
# Work directory: build/s3-scan-bench/ (kept after the run; server log in presto/data/var/log/, the
# S3 server's in s3/s3.log).
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
  echo "s3_scan.sh: building (plugin, server, ZooKeeper classpath, the S3 server, the object_reads bench)" >&2
  gradle --console=plain --no-daemon -q assemble prestoServer zookeeperClasspath
  tests/s3/s3-server.sh install >&2
  cargo bench --no-run -p zkarrow-core --bench object_reads 2>&1 | tail -n 1 >&2
fi

work=$(pwd)/build/s3-scan-bench
stop_all() {
  tests/server/presto-server.sh stop "$work/presto" || true
  tests/s3/s3-server.sh stop "$work/s3" || true
  tests/server/zookeeper.sh stop "$work/zookeeper" || true
}
begin_run s3-scan-bench "$work" stop_all

targets=(zkarrow zks3)
bucket=zkarrow-bench

zk_port=$(free_port)
tests/server/zookeeper.sh start "$work/zookeeper" "$zk_port" 9>&-
s3_port=$(free_port)
tests/s3/s3-server.sh start "$work/s3" "$s3_port" "$bucket" 9>&-
# shellcheck disable=SC1091
. "$work/s3/credentials"

# the server's catalogs (tests/bench/bench_server.sh) and a second zkarrow catalog on S3: its own
# ZooKeeper root (/zkarrow/zks3, after its name) and warehouse
bench_dirs "$work" "$work/presto"
(
  umask 077  # it holds the secret key
  cat > "$work/catalog/zks3.properties" <<PROPS
connector.name=zkarrow
zkarrow.zookeeper.connect=127.0.0.1:$zk_port
zkarrow.warehouse=s3://$bucket/wh
zkarrow.s3.endpoint=http://127.0.0.1:$s3_port
zkarrow.s3.region=us-east-1
zkarrow.s3.path-style-access=true
zkarrow.s3.aws-access-key=$ZKARROW_S3_ACCESS_KEY
zkarrow.s3.aws-secret-key=$ZKARROW_S3_SECRET_KEY
PROPS
)
bench_server_config "$heap"

port=$(free_port)
echo "s3_scan.sh: starting ZooKeeper, versitygw and a server (heap ${heap}G)" >&2
tests/server/presto-server.sh start "$work/presto" "$port" "127.0.0.1:$zk_port" "$work/warehouse" \
  "${bench_config[@]}" --config "catalog.config-dir=$work/catalog" --config "plugin.dir=$work/plugin" 9>&-
wait_ready "$port" "SELECT count(*) FROM tpch.tiny.region"

echo "s3_scan.sh: loading TPC-H SF$sf lineitem into ${targets[*]}" >&2
echo "== loads: TPC-H SF$sf lineitem, zstd (zkarrow from tpch, zks3 from zkarrow)"
{
  printf 'target\ttable\trows\tseconds\n'
  python3 tests/bench/scan_bench.py --tables=lineitem load "$port" "$sf" "${targets[@]}"
} | column -t

echo
echo "== queries: SF$sf, $runs rounds; zkarrow: local warehouse, zks3: s3://$bucket/wh on versitygw (loopback)"
python3 tests/bench/scan_bench.py --queries=q1,q6,sum,count rounds "$port" "$runs" "${targets[@]}"
tests/server/presto-server.sh stop "$work/presto"

# the table's data directory: <warehouse>/tpch/lineitem-<id>/data (one table of that name each)
local_data=$(ls -d "$work/warehouse/tpch"/lineitem-*/data)
# the S3 server keeps each object as a plain file <data>/<bucket>/<key>
s3_files=$(ls -d "$work/s3/data/$bucket/wh/tpch"/lineitem-*/data)
s3_data=s3://$bucket/${s3_files#"$work/s3/data/$bucket/"}

echo
echo "== stored bytes of lineitem (data files)"
sized() { awk -v name="$1" -v bytes="$2" 'BEGIN { printf "%s\t%d\t%.1f MiB\n", name, bytes, bytes / 1048576 }'; }
{
  sized "zkarrow $local_data" "$(du -sbc "$local_data"/*.arrow | tail -1 | cut -f1)"
  sized "zks3 $s3_data" "$(du -sbc "$s3_files"/*.arrow | tail -1 | cut -f1)"
} | column -t -s $'\t'

echo
echo "== bytes fetched from S3 per data file of zks3's lineitem (rust/core/benches/object_reads.rs);"
echo "   local: the same objects read as files from the S3 server's directory (the same bytes)"
echo "s3_scan.sh: reading zks3's lineitem objects (object_reads)" >&2
OBJECT_READS_S3_DIR=$s3_data OBJECT_READS_LOCAL_DIR=$s3_files \
  OBJECT_READS_S3_ENDPOINT=http://127.0.0.1:$s3_port OBJECT_READS_RUNS=$runs \
  ZKARROW_S3_ACCESS_KEY=$ZKARROW_S3_ACCESS_KEY ZKARROW_S3_SECRET_KEY=$ZKARROW_S3_SECRET_KEY \
  cargo bench -q -p zkarrow-core --bench object_reads 9>&-
echo
echo "wall time: $(( $(date +%s) - started ))s"
