# Sourced by the benchmarks that time queries in a real Presto server (tests/bench/scan.sh,
# tests/bench/s3_scan.sh), after tests/server/common.sh, from the repository root.
#
# bench_dirs WORK SERVER_DIR: WORK/catalog and WORK/plugin, for the server that
#   tests/server/presto-server.sh installs in SERVER_DIR, started with
#   --config catalog.config-dir=WORK/catalog --config plugin.dir=WORK/plugin: presto-server.sh
#   writes etc/catalog/ into the server's directory and starts the server at once, so these point
#   the server at directories a benchmark can add to. catalog/zkarrow.properties is a link to the
#   file presto-server.sh writes (the server reads it when it starts, after it is written), and
#   catalog/tpch.properties names the columns as TPC-H does (l_orderkey, not orderkey); plugin/
#   holds links to the server's own tpch and zkarrow plugins. A benchmark adds its own catalog
#   files and plugins next to them.
# bench_server_config HEAP_GB: sets the array bench_config to the --config arguments of
#   presto-server.sh that give queries half the heap (at least 1 GB) per node.
# wait_ready PORT SQL: until SQL (a scan of a catalog's table) succeeds, 60 s at most. A server
#   that presto-server.sh saw start schedules a catalog's splits only once its node manager has
#   seen the node announce the catalog, up to seconds later (else NO_NODES_AVAILABLE, even when
#   system.runtime.nodes already lists the node as active). The node announces all its catalogs
#   at once, so one scan of one of them that succeeds shows the server ready.

bench_dirs() {
  local work=$1 server=$2
  mkdir -p "$work/catalog" "$work/plugin"
  ln -s "$server/etc/catalog/zkarrow.properties" "$work/catalog/zkarrow.properties"
  printf 'connector.name=tpch\ntpch.column-naming=STANDARD\n' > "$work/catalog/tpch.properties"
  ln -s "$server/plugin/tpch" "$work/plugin/tpch"
  ln -s "$server/plugin/zkarrow" "$work/plugin/zkarrow"
}

bench_server_config() {
  local heap=$1 memory
  memory=$(( heap / 2 > 0 ? heap / 2 : 1 ))GB
  bench_config=(--config "query.max-memory-per-node=$memory" --config "query.max-total-memory-per-node=$memory")
}

wait_ready() {
  local port=$1 sql=$2 deadline=$(( $(date +%s) + 60 ))
  until python3 tests/server/presto_rest.py query "$port" "$sql" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$(basename "$0"): the server on port $port still fails after 60s: $sql" >&2
      python3 tests/server/presto_rest.py query "$port" "$sql" >/dev/null || true
      exit 1
    fi
    sleep 1
  done
}
