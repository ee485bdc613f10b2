#!/usr/bin/env bash
# The cluster test: real PrestoDB servers (build/presto-server, `gradle prestoServer`) with
# build/plugin/zkarrow/ installed, as separate processes on loopback: one coordinator that schedules
# no work (node-scheduler.include-coordinator=false) and two workers, a shared warehouse directory
# (an s3:// warehouse in the variant "s3").
#
# Variant "single" (one ZooKeeper server):
#   - every node is in zkarrow.system.nodes and in Presto's system.runtime.nodes
#   - a CREATE TABLE AS writes files from both workers and commits one snapshot
#   - splits run on the worker that affinity prefers: the running drivers' scan operators (each
#     worker's /v1/task while a deliberately slow scan runs) name split, preferred node and the
#     node running it; prints the hit rate
#   - CALL zkarrow.system.set_config reaches all three processes (zkarrow.system.config, per node)
#   - a worker killed with SIGKILL leaves zkarrow.system.nodes by session expiry (6s timeout, 15s bound),
#     and a query started after that succeeds on the rest; prints the measured times
# Variant "ensemble" (three ZooKeeper servers, QuorumPeerMain): a stream of INSERTs while the
#   ZooKeeper leader is killed with SIGKILL; every acknowledged INSERT's rows must be there after.
# Variant "s3" (one ZooKeeper, one S3 server: tests/s3/s3-server.sh): the warehouse is s3://<bucket>/wh
#   and the servers share no directory. A CREATE TABLE AS writes files from both workers, commits once,
#   and its data files are objects in the bucket (the server's backend directory), none on a server's
#   disk; an INSERT from both workers, then a SELECT, gives the right totals; with the S3 server
#   stopped a scan fails with a zkarrow error naming object storage (printed; no key in it) and the
#   same scan answers right once it is started again; DROP TABLE deletes the table's objects only.
#
# Statements go through Presto's REST API (tests/server/presto_rest.py: no CLI JVM per statement).
# Prints figures and one PASS/FAIL line per check; exits non-zero if any failed. Stops everything it
# started, on any exit. Usage (after `gradle assemble`; it runs `gradle prestoServer zookeeperClasspath`):
#   tests/server/cluster_test.sh [single|ensemble|s3|all]     (default all)
# Environment: PRESTO_HEAP per server (default 768m); ZKARROW_NO_BUILD=1 skips the gradle call (uses
# build/presto-server and build/zookeeper.classpath as they are).
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
began=$(date +%s)
variant=${1:-all}
case "$variant" in single|ensemble|s3|all) ;; *) echo "usage: $0 [single|ensemble|s3|all]" >&2; exit 2 ;; esac

compgen -G 'build/plugin/zkarrow/zkarrow-*.jar' >/dev/null ||
  { echo "cluster_test: no build/plugin/zkarrow/: run gradle assemble first" >&2; exit 1; }
if [ -z "${ZKARROW_NO_BUILD:-}" ]; then
  gradle --console=plain --no-daemon -q prestoServer zookeeperClasspath
fi

export PRESTO_HEAP=${PRESTO_HEAP:-768m}
work=$root/build/cluster-test
source tests/server/common.sh

nodes=(coordinator worker1 worker2)
zookeepers=(zk zk1 zk2 zk3 zk-s3)
stream_pid=
stop_all() {
  if [ -n "$stream_pid" ]; then kill "$stream_pid" 2>/dev/null || true; wait "$stream_pid" 2>/dev/null || true; stream_pid=; fi
  local pids=() n
  for n in "${nodes[@]}"; do tests/server/presto-server.sh stop "$work/$n" 9>&- & pids+=($!); done
  wait "${pids[@]}" || true
  for n in "${zookeepers[@]}"; do tests/server/zookeeper.sh stop "$work/$n" || true; done
  tests/s3/s3-server.sh stop "$work/s3" || true
}
begin_run cluster-test "$work" stop_all

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "${2:-$(now)}"; }
rest() { python3 tests/server/presto_rest.py "$@"; }
# sql SQL [options]: rows as TSV on stdout; the error in $work/error
sql() { local s=$1; shift; rest query "$coordinator_port" "$s" "$@" 2> "$work/error"; }

failures=0
pass() { echo "PASS $1"; }
fail() {
  echo "FAIL $1"
  shift
  printf '  %s\n' "$@"
  [ -s "$work/error" ] && sed -n '1,10s/^/  | /p' "$work/error"
  failures=$((failures + 1))
}
# A command outside a check that fails stops the run (set -e): say where, as a FAIL the summary counts.
trap 'echo "FAIL cluster_test stopped at line $LINENO: $BASH_COMMAND"; [ -s "$work/error" ] && sed -n "1,10s/^/  | /p" "$work/error"' ERR
figure() { printf '  %-34s %s\n' "$1:" "$2"; }

declare -A port
coordinator_port=
# start_cluster ZK_CONNECT ROOT SESSION_TIMEOUT [WAREHOUSE [CATALOG_PROPERTY...]]: the three servers,
# started side by side; WAREHOUSE defaults to the shared $work/warehouse
start_cluster() {
  local zk=$1 zk_root=$2 timeout=$3 warehouse=${4:-$work/warehouse} n pids=() t0 property
  for n in "${nodes[@]}"; do port[$n]=$(free_port); done
  coordinator_port=${port[coordinator]}
  local catalog=(--catalog "zkarrow.zookeeper.root=$zk_root" --catalog "zkarrow.zookeeper.session-timeout=$timeout"
    --catalog zkarrow.zookeeper.connect-timeout=20s)
  for property in "${@:5}"; do catalog+=(--catalog "$property"); done
  t0=$(now)
  tests/server/presto-server.sh start "$work/coordinator" "$coordinator_port" "$zk" "$warehouse" 9>&- \
    --coordinator --config node-scheduler.include-coordinator=false "${catalog[@]}" & pids+=($!)
  for n in worker1 worker2; do
    tests/server/presto-server.sh start "$work/$n" "${port[$n]}" "$zk" "$warehouse" 9>&- \
      --worker "http://127.0.0.1:$coordinator_port" "${catalog[@]}" & pids+=($!)
  done
  local status=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  [ "$status" -eq 0 ] || { echo "FAIL the cluster did not start"; exit 1; }
  echo "cluster_test: coordinator :$coordinator_port, worker1 :${port[worker1]}, worker2 :${port[worker2]} up in $(elapsed "$t0")s (ZooKeeper $zk)"
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.25 s; fails after SECONDS
wait_until() {
  local deadline
  deadline=$(python3 -c "import time, sys; print(time.time() + float(sys.argv[1]))" "$1")
  shift
  until "$@"; do
    python3 -c "import time, sys; sys.exit(0 if time.time() < float(sys.argv[1]) else 1)" "$deadline" || return 1
    sleep 0.25
  done
}

# workers_that_wrote WRITERS (`presto_rest.py writers` output): how many workers took rows in
workers_that_wrote() {
  echo "$1" | awk -F'\t' -v a="127.0.0.1:${port[worker1]}" -v b="127.0.0.1:${port[worker2]}" \
    '($1 == a || $1 == b) && $2 > 0 { n[$1] = 1 } END { print length(n) }'
}

all_nodes_listed() {
  local zk presto
  zk=$(sql "SELECT node_id FROM zkarrow.system.nodes ORDER BY node_id" | tr '\n' ' ') || return 1
  presto=$(sql "SELECT node_id FROM system.runtime.nodes WHERE state = 'active' ORDER BY node_id" | tr '\n' ' ') || return 1
  [ "$zk" = "coordinator worker1 worker2 " ] && [ "$presto" = "coordinator worker1 worker2 " ]
}

# ------------------------------------------------------------------------------ one ZooKeeper
run_single() {
  local t_variant zk_port
  t_variant=$(now)
  echo "== cluster_test: one ZooKeeper, coordinator + 2 workers"
  zk_port=$(free_port)
  tests/server/zookeeper.sh start "$work/zk" "$zk_port" 9>&-
  start_cluster "127.0.0.1:$zk_port" /zkarrow/cluster 6s

  # -- membership
  if wait_until 30 all_nodes_listed; then
    pass "every node is in zkarrow.system.nodes and system.runtime.nodes"
  else
    fail "every node is in zkarrow.system.nodes and system.runtime.nodes" \
      "zkarrow.system.nodes: $(sql 'SELECT node_id FROM zkarrow.system.nodes' | tr '\n' ' ')" \
      "system.runtime.nodes: $(sql 'SELECT node_id, state FROM system.runtime.nodes' | tr '\n' ' ')"
  fi

  # -- CREATE TABLE AS from both workers, one commit. scale_writers=false so that both workers
  # write (scaled writers start with one writer task).
  sql "CREATE SCHEMA zkarrow.cluster" >/dev/null || fail "CREATE SCHEMA" "CREATE SCHEMA zkarrow.cluster"
  local t="zkarrow.cluster.lineitem" expected
  expected=$(sql "SELECT count(*), sum(quantity) FROM tpch.tiny.lineitem") || expected="(failed: $(head -c 300 "$work/error"))"
  if sql "CREATE TABLE $t AS SELECT orderkey, partkey, quantity, comment FROM tpch.tiny.lineitem" \
    --id-file "$work/ctas.id" --session scale_writers=false > "$work/ctas.out"; then
    local writers files sinks snapshots answer
    writers=$(rest writers "$coordinator_port" "$(cat "$work/ctas.id")") || writers=
    files=$(sql "SELECT count(*), sum(rows) FROM zkarrow.cluster.\"lineitem\$files\"") || files="(failed)"
    # file names: <query id>-<sink id>-<uuid>.arrow, one sink per writer driver
    sinks=$(sql "SELECT count(DISTINCT split_part(regexp_extract(path, '[^/]+\$'), '-', 2)) FROM zkarrow.cluster.\"lineitem\$files\"") || sinks=0
    snapshots=$(sql "SELECT count(*), max(operation) FROM zkarrow.cluster.\"lineitem\$snapshots\"") || snapshots="(failed)"
    answer=$(sql "SELECT count(*), sum(quantity) FROM $t") || answer="(failed: $(head -c 300 "$work/error"))"
    figure "CTAS rows per writer task" "$(echo "$writers" | tr '\t\n' '= ')"
    figure "CTAS files, rows in them" "$(echo "$files" | tr '\t' ' ') ($sinks writer sinks)"
    figure "snapshots after CTAS" "$(echo "$snapshots" | tr '\t' ' ')"
    if [ "$(workers_that_wrote "$writers")" = 2 ] && [ "$sinks" -ge 2 ] && [ "$(echo "$files" | cut -f2)" = "$(echo "$expected" | cut -f1)" ] &&
      [ "$(echo "$snapshots" | cut -f1)" = 1 ] && [ "$answer" = "$expected" ]; then
      pass "CREATE TABLE AS writes files from both workers and commits once"
    else
      fail "CREATE TABLE AS writes files from both workers and commits once" "writers: $writers" "files: $files, sinks: $sinks" \
        "snapshots: $snapshots" "answer: $answer, expected $expected"
    fi
  else
    fail "CREATE TABLE AS writes files from both workers and commits once" "the CTAS failed"
  fi

  # -- affinity: a table of ~20 files (8 INSERTs, each writing from both workers), then a scan slow
  # enough per split that each running split is seen in the workers' task infos
  local a="zkarrow.cluster.parts" i
  sql "CREATE TABLE $a AS SELECT orderkey, comment FROM tpch.tiny.lineitem WHERE orderkey % 8 = 0" \
    --session scale_writers=false >/dev/null || fail "CREATE TABLE $a"
  for i in 1 2 3 4 5 6 7; do
    sql "INSERT INTO $a SELECT orderkey, comment FROM tpch.tiny.lineitem WHERE orderkey % 8 = $i" \
      --session scale_writers=false >/dev/null || fail "INSERT INTO $a"
  done
  local scan="SELECT sum(length(array_join(transform(sequence(1, 120), x -> comment || cast(x AS varchar)), ''))) FROM $a"
  if rest affinity "$coordinator_port" "${port[worker1]},${port[worker2]}" "$scan" > "$work/affinity.out" 2> "$work/error"; then
    local total seen preferred hits other
    total=$(sed -n 's/^splits_total=//p' "$work/affinity.out")
    seen=$(sed -n 's/^splits_seen=//p' "$work/affinity.out")
    preferred=$(sed -n 's/^preferred_worker=//p' "$work/affinity.out")
    other=$(sed -n 's/^preferred_other=//p' "$work/affinity.out")
    hits=$(sed -n 's/^hits=//p' "$work/affinity.out")
    figure "splits (per node)" "$total ($(sed -n 's/^splits_per_node=//p' "$work/affinity.out"))"
    figure "splits seen running" "$seen"
    figure "affinity hit rate" "$hits/$preferred splits preferring a worker ran there ($(python3 -c "import sys; a, b = map(int, sys.argv[1:]); print('%.0f%%' % (100.0 * a / b) if b else 'n/a')" "$hits" "$preferred"))"
    figure "splits preferring a non-worker" "$other (the coordinator: it is a registered node but schedules no work)"
    if [ "$preferred" -gt 0 ] && [ $((hits * 10)) -ge $((preferred * 9)) ] && [ $((seen * 2)) -ge "$total" ]; then
      pass "splits run on the worker that affinity prefers (>= 90% of the splits seen, >= half the splits seen)"
    else
      fail "splits run on the worker that affinity prefers (>= 90% of the splits seen, >= half the splits seen)" \
        "$(grep '^split' "$work/affinity.out" | head -20)"
    fi
  else
    fail "splits run on the worker that affinity prefers" "the scan failed: $(cat "$work/affinity.out")"
  fi

  # -- live settings reach every process
  local t_set
  t_set=$(now)
  config_applied() {
    [ "$(sql "SELECT count(DISTINCT node_id) FROM zkarrow.system.config WHERE key = 'split_target_size' AND value = '2097152B' AND source = 'zookeeper'")" = 3 ]
  }
  if sql "CALL zkarrow.system.set_config('split_target_size', '2MB')" >/dev/null && wait_until 15 config_applied; then
    figure "set_config seen by 3 nodes after" "$(elapsed "$t_set")s"
    pass "set_config reaches all three processes (zkarrow.system.config per node)"
  else
    fail "set_config reaches all three processes (zkarrow.system.config per node)" \
      "$(sql "SELECT node_id, value, source FROM zkarrow.system.config WHERE key = 'split_target_size'" | tr '\n' ';')"
  fi

  # -- a worker killed with SIGKILL. zkarrow sees it leave when its ZooKeeper session expires;
  # Presto has its own failure detector (heartbeats), and a query that Presto schedules on the dead
  # node before that waits for query.remote-task.max-error-duration (5m). Each poll is a query of
  # its own, cancelled after 5s; a poll that fails or times out does not count as "gone".
  local victim=worker2 pid t_kill detected= presto_detected= answer
  pid=$(cat "$work/$victim/data/var/run/launcher.pid")
  kill -9 "$pid"
  t_kill=$(now)
  victim_gone() {
    local listed
    listed=$(sql "SELECT node_id FROM zkarrow.system.nodes" --timeout 5) || { cat "$work/error" >> "$work/polls"; return 1; }
    ! echo "$listed" | grep -qx "$victim"
  }
  presto_gone() {
    local listed
    listed=$(sql "SELECT node_id FROM system.runtime.nodes WHERE state = 'active'" --timeout 5) || return 1
    ! echo "$listed" | grep -qx "$victim"
  }
  if wait_until 30 victim_gone; then
    detected=$(elapsed "$t_kill")
    figure "worker loss seen in system.nodes" "${detected}s after SIGKILL (session timeout 6s)"
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 15.0 else 1)" "$detected"; then
      pass "the killed worker leaves zkarrow.system.nodes by session expiry (6s timeout; bound 15s: expiry ticks, the watch and the polling query stretch on a loaded machine)"
    else
      fail "the killed worker leaves zkarrow.system.nodes by session expiry (6s timeout; bound 15s: expiry ticks, the watch and the polling query stretch on a loaded machine)" "took ${detected}s"
    fi
  else
    fail "the killed worker leaves zkarrow.system.nodes within the session timeout" "still listed after 30s" \
      "$(sed -n '1,5p' "$work/polls" 2>/dev/null)"
  fi
  if wait_until 60 presto_gone; then
    presto_detected=$(elapsed "$t_kill")
    figure "worker loss seen by Presto" "${presto_detected}s after SIGKILL (system.runtime.nodes)"
  else
    figure "worker loss seen by Presto" "not within 60s"
  fi
  local t_query
  t_query=$(now)
  answer=$(sql "SELECT count(*), sum(quantity) FROM $t" --timeout 120) || answer="(failed: $(head -c 300 "$work/error"))"
  figure "query after both saw it" "started $(elapsed "$t_kill" "$t_query")s after SIGKILL, took $(elapsed "$t_query")s"
  if [ "$answer" = "$expected" ]; then
    pass "a query started after that succeeds on the remaining worker"
  else
    fail "a query started after that succeeds on the remaining worker" "answer: $answer, expected: $expected"
  fi

  stop_all
  figure "wall time, one ZooKeeper" "$(elapsed "$t_variant")s"
}

# ------------------------------------------------------------------------------ ZooKeeper ensemble
run_ensemble() {
  local t_variant i peers= connect= zk_ports=()
  t_variant=$(now)
  echo "== cluster_test: 3-node ZooKeeper ensemble, coordinator + 2 workers, leader killed under INSERTs"
  for i in 1 2 3; do
    zk_ports+=("$(free_port)")
    peers+="${peers:+,}127.0.0.1:$(free_port):$(free_port)"
  done
  local pids=()
  for i in 1 2 3; do
    tests/server/zookeeper.sh start "$work/zk$i" "${zk_ports[$((i - 1))]}" --member "$i" "$peers" 9>&- & pids+=($!)
    connect+="${connect:+,}127.0.0.1:${zk_ports[$((i - 1))]}"
  done
  for i in "${pids[@]}"; do wait "$i" || { echo "FAIL the ensemble did not start"; exit 1; }; done
  tests/server/zookeeper.sh wait-quorum 60 "${zk_ports[@]}"
  start_cluster "$connect" /zkarrow/ensemble 10s

  local t="zkarrow.ens.events"
  sql "CREATE SCHEMA zkarrow.ens" >/dev/null && sql "CREATE TABLE $t (id bigint, batch bigint)" >/dev/null ||
    { fail "CREATE TABLE $t"; return; }
  # warm-up (first INSERT plans and loads classes), then the stream
  sql "INSERT INTO $t SELECT -x, -1 FROM UNNEST(sequence(1, 10)) AS u (x)" >/dev/null || fail "warm-up INSERT"
  local seconds=30 kill_after=8
  python3 tests/server/presto_rest.py insert-stream "$coordinator_port" "$t" "$seconds" "$work/inserts.log" 9>&- &
  stream_pid=$!
  sleep "$kill_after"
  local leader= leader_index= p
  for i in 1 2 3; do
    if [ "$(tests/server/zookeeper.sh mode "${zk_ports[$((i - 1))]}")" = leader ]; then leader=${zk_ports[$((i - 1))]}; leader_index=$i; fi
  done
  if [ -z "$leader" ]; then fail "found the ZooKeeper leader (srvr)"; wait "$stream_pid" || true; stream_pid=; return; fi
  kill -9 "$(cat "$work/zk$leader_index/zookeeper.pid")"
  local t_kill elected=
  t_kill=$(now)
  echo "cluster_test: killed the ZooKeeper leader zk$leader_index (127.0.0.1:$leader) ${kill_after}s into the INSERT stream"
  new_leader() {
    for p in "${zk_ports[@]}"; do [ "$p" != "$leader" ] && [ "$(tests/server/zookeeper.sh mode "$p")" = leader ] && return 0; done
    return 1
  }
  wait_until 60 new_leader && elected=$(elapsed "$t_kill")
  figure "new ZooKeeper leader after" "${elected:-none within 60}s"
  wait "$stream_pid" || true
  stream_pid=

  # acknowledged = the statement finished without error
  local acked failed counted distinct missing after_kill first_ok gap
  acked=$(awk -F'\t' '$4 == "ok"' "$work/inserts.log" | wc -l)
  failed=$(awk -F'\t' '$4 != "ok"' "$work/inserts.log" | wc -l)
  read -r first_ok gap after_kill < <(python3 - "$work/inserts.log" "$t_kill" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
kill = float(sys.argv[2])
ok_ends = sorted(float(r[2]) for r in rows if r[3] == "ok")
after = [e for e, r in sorted((float(r[2]), r) for r in rows if r[3] == "ok" and float(r[1]) >= kill)]
first = "%.1f" % (after[0] - kill) if after else "none"
# the longest time without an acknowledgement, around the kill
before = [e for e in ok_ends if e <= kill]
later = [e for e in ok_ends if e > kill]
gap = "%.1f" % (later[0] - (before[-1] if before else kill)) if later else "none"
print(first, gap, len(after))
PY
)
  sql "SELECT batch, count(*), count(DISTINCT id) FROM $t WHERE batch >= 0 GROUP BY batch ORDER BY batch" > "$work/batches" ||
    { fail "count the rows after the leader kill"; return; }
  counted=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$work/batches")
  distinct=$(sql "SELECT count(DISTINCT id) FROM $t WHERE batch >= 0") || distinct="(failed: $(head -c 300 "$work/error"))"
  missing=$(awk -F'\t' 'NR == FNR { n[$1] = $2; next } $4 == "ok" && n[$1] != 10 { print $1 }' "$work/batches" "$work/inserts.log" | tr '\n' ' ')
  figure "INSERTs acknowledged / failed" "$acked / $failed ($after_kill acknowledged after the kill)"
  figure "first acknowledgement after kill" "${first_ok}s (started after the kill)"
  figure "longest wait for an acknowledgement" "${gap}s (last ack before the kill -> first ack after it)"
  figure "rows acknowledged vs counted" "$((acked * 10)) vs $counted (distinct ids $distinct)"
  if [ -z "$missing" ] && [ "$counted" = "$distinct" ] && [ "$acked" -gt 0 ]; then
    pass "no acknowledged INSERT lost across the ZooKeeper leader kill (every acknowledged batch has its 10 rows, no duplicates)"
  else
    fail "no acknowledged INSERT lost across the ZooKeeper leader kill" "acknowledged batches without their 10 rows: ${missing:-none}" \
      "rows $counted, distinct ids $distinct"
  fi
  if [ "$after_kill" -gt 0 ]; then
    pass "INSERTs are acknowledged again after the leader kill"
  else
    fail "INSERTs are acknowledged again after the leader kill" "$(tail -n 5 "$work/inserts.log")"
  fi
  stop_all
  figure "wall time, ensemble" "$(elapsed "$t_variant")s"
}

# ------------------------------------------------------------------------------ object storage
# files_under DIR: the regular files under DIR (0 when it does not exist); versitygw's in-flight
# uploads (.sgwtmp) are not objects. (`|| true`: under set -E a failing find would run the ERR trap
# inside the process substitution, and its FAIL line would be counted as a file.)
files_under() {
  local n=0 f
  while IFS= read -r f; do n=$((n + 1)); done < <(find "$1" -type f ! -path '*.sgwtmp*' 2>/dev/null || true)
  echo "$n"
}

run_s3() {
  local t_variant zk_port s3_port s3_dir=$work/s3 bucket=zkarrow-cluster
  t_variant=$(now)
  echo "== cluster_test: warehouse in object storage (one S3 server), coordinator + 2 workers, no shared directory"
  zk_port=$(free_port)
  s3_port=$(free_port)
  tests/server/zookeeper.sh start "$work/zk-s3" "$zk_port" 9>&-
  tests/s3/s3-server.sh start "$s3_dir" "$s3_port" "$bucket" 9>&- || { fail "the S3 server started (tests/s3/s3-server.sh install)"; return; }
  # shellcheck disable=SC1091
  . "$s3_dir/credentials"
  # short request timeout and few retries: the lost-store check fails fast
  start_cluster "127.0.0.1:$zk_port" /zkarrow/s3 6s "s3://$bucket/wh" \
    "zkarrow.s3.endpoint=http://127.0.0.1:$s3_port" zkarrow.s3.region=us-east-1 zkarrow.s3.path-style-access=true \
    "zkarrow.s3.aws-access-key=$ZKARROW_S3_ACCESS_KEY" "zkarrow.s3.aws-secret-key=$ZKARROW_S3_SECRET_KEY" \
    zkarrow.s3.request-timeout=5s zkarrow.s3.max-retries=1
  wait_until 30 all_nodes_listed || fail "every node is in zkarrow.system.nodes and system.runtime.nodes (object storage)"

  # -- CREATE TABLE AS from both workers into the bucket, one commit, nothing on a local disk
  sql "CREATE SCHEMA zkarrow.lake" >/dev/null || fail "CREATE SCHEMA" "CREATE SCHEMA zkarrow.lake"
  local t="zkarrow.lake.lineitem" expected table_dir= table_key=
  expected=$(sql "SELECT count(*), sum(quantity) FROM tpch.tiny.lineitem") || expected="(failed: $(head -c 300 "$work/error"))"
  if sql "CREATE TABLE $t AS SELECT orderkey, partkey, quantity, comment FROM tpch.tiny.lineitem" \
    --id-file "$work/ctas.id" --session scale_writers=false > "$work/ctas.out"; then
    local writers files paths outside sinks snapshots answer objects local_files
    writers=$(rest writers "$coordinator_port" "$(cat "$work/ctas.id")") || writers=
    files=$(sql "SELECT count(*), sum(rows) FROM zkarrow.lake.\"lineitem\$files\"") || files="(failed)"
    sinks=$(sql "SELECT count(DISTINCT split_part(regexp_extract(path, '[^/]+\$'), '-', 2)) FROM zkarrow.lake.\"lineitem\$files\"") || sinks=0
    paths=$(sql "SELECT path FROM zkarrow.lake.\"lineitem\$files\"") || paths=
    outside=$(echo "$paths" | grep -cv "^s3://$bucket/wh/lake/lineitem-[^/]*/data/[^/]*\.arrow\$" || true)
    table_dir=$(sed -n 's|^\(s3://.*\)/data/[^/]*$|\1|p' <<< "${paths%%$'\n'*}")
    table_key=${table_dir#s3://$bucket/}
    snapshots=$(sql "SELECT count(*), max(operation) FROM zkarrow.lake.\"lineitem\$snapshots\"") || snapshots="(failed)"
    answer=$(sql "SELECT count(*), sum(quantity) FROM $t") || answer="(failed: $(head -c 300 "$work/error"))"
    objects=$(files_under "$s3_dir/data/$bucket/$table_key/data")
    # any .arrow file left on a server's disk (each server's directory is made afresh for this
    # variant), or a spooled upload of this CTAS (named after its query id) left behind; not
    # $work/warehouse: the other variants of an `all` run wrote their tables there
    local_files=$({ find "$work/coordinator" "$work/worker1" "$work/worker2" -name '*.arrow*' 2>/dev/null || true
      find "${TMPDIR:-/tmp}/zkarrow-spool" -name "*$(cat "$work/ctas.id")*" 2>/dev/null || true; } | head -n 5 || true)
    figure "CTAS rows per writer task" "$(echo "$writers" | tr '\t\n' '= ')"
    figure "CTAS files, rows in them" "$(echo "$files" | tr '\t' ' ') ($sinks writer sinks)"
    figure "table location" "${table_dir:-(none)}"
    figure "data objects in the bucket" "$objects (under $s3_dir/data/$bucket/$table_key/data)"
    figure "snapshots after CTAS" "$(echo "$snapshots" | tr '\t' ' ')"
    if [ "$(workers_that_wrote "$writers")" = 2 ] && [ "$sinks" -ge 2 ] && [ "$(echo "$files" | cut -f2)" = "$(echo "$expected" | cut -f1)" ] &&
      [ "$(echo "$snapshots" | cut -f1)" = 1 ] && [ "$answer" = "$expected" ]; then
      pass "CREATE TABLE AS into s3:// writes files from both workers and commits once"
    else
      fail "CREATE TABLE AS into s3:// writes files from both workers and commits once" "writers: $writers" "files: $files, sinks: $sinks" \
        "snapshots: $snapshots" "answer: $answer, expected $expected"
    fi
    if [ -n "$table_dir" ] && [ "$outside" = 0 ] && [ "$objects" = "$(echo "$files" | cut -f1)" ] && [ -z "$local_files" ]; then
      pass "the data files are objects in the bucket, and no server's disk holds one"
    else
      fail "the data files are objects in the bucket, and no server's disk holds one" "paths: $(echo "$paths" | head -n 3 | tr '\n' ' ')" \
        "paths outside the table's data/: $outside; objects: $objects; files: $files" "local .arrow files: ${local_files:-none}"
    fi
  else
    fail "CREATE TABLE AS into s3:// writes files from both workers and commits once" "the CTAS failed"
  fi

  # -- INSERT from both workers, then a SELECT over every worker's files
  local inserted total
  inserted=$(sql "SELECT count(*), sum(quantity) FROM tpch.tiny.lineitem WHERE orderkey % 3 = 0") || inserted="(failed)"
  total=$(python3 -c "import sys; a = sys.argv[1].split('\t'); b = sys.argv[2].split('\t'); print('%d\t%s' % (int(a[0]) + int(b[0]), float(a[1]) + float(b[1])))" \
    "$expected" "$inserted" 2>/dev/null) || total="(no expected totals)"
  if sql "INSERT INTO $t SELECT orderkey, partkey, quantity, comment FROM tpch.tiny.lineitem WHERE orderkey % 3 = 0" \
    --id-file "$work/insert.id" --session scale_writers=false >/dev/null; then
    local writers answer snapshots
    writers=$(rest writers "$coordinator_port" "$(cat "$work/insert.id")") || writers=
    answer=$(sql "SELECT count(*), sum(quantity) FROM $t") || answer="(failed: $(head -c 300 "$work/error"))"
    snapshots=$(sql "SELECT count(*) FROM zkarrow.lake.\"lineitem\$snapshots\"") || snapshots="(failed)"
    figure "INSERT rows per writer task" "$(echo "$writers" | tr '\t\n' '= ')"
    figure "SELECT after INSERT" "$(echo "$answer" | tr '\t' ' ') (expected $(echo "$total" | tr '\t' ' '))"
    if [ "$(workers_that_wrote "$writers")" = 2 ] && [ "$snapshots" = 2 ] &&
      python3 -c "import sys; a = sys.argv[1].split('\t'); b = sys.argv[2].split('\t'); sys.exit(0 if a[0] == b[0] and float(a[1]) == float(b[1]) else 1)" \
        "$answer" "$total" 2>/dev/null; then
      pass "INSERT from both workers, then SELECT gives the right totals"
    else
      fail "INSERT from both workers, then SELECT gives the right totals" "writers: $writers" "snapshots: $snapshots" \
        "answer: $answer, expected $total"
    fi
  else
    fail "INSERT from both workers, then SELECT gives the right totals" "the INSERT failed"
  fi

  # -- the object store lost just before a scan: a clear zkarrow error naming object storage, no
  # secret in it; the same query answers again once the store is back (same data, same credentials)
  local scan="SELECT count(*), sum(quantity), sum(length(comment)) FROM $t" before lost_error t_lost
  before=$(sql "$scan") || before="(failed: $(head -c 300 "$work/error"))"
  tests/s3/s3-server.sh stop "$s3_dir"
  t_lost=$(now)
  if sql "$scan" --timeout 120 >/dev/null; then
    figure "scan with the store stopped" "answered in $(elapsed "$t_lost")s"
    fail "a scan without the object store fails with a clear zkarrow error" "it answered"
  else
    lost_error=$(head -c 1000 "$work/error")
    figure "scan with the store stopped" "failed after $(elapsed "$t_lost")s"
    figure "its error" "$lost_error"
    if echo "$lost_error" | grep -q '^ZKARROW_' && echo "$lost_error" | grep -qi 'object storage' &&
      ! grep -qF "$ZKARROW_S3_SECRET_KEY" "$work/error" && ! grep -qF "$ZKARROW_S3_ACCESS_KEY" "$work/error"; then
      pass "a scan without the object store fails with a clear zkarrow error naming object storage, no key in it"
    else
      fail "a scan without the object store fails with a clear zkarrow error naming object storage, no key in it"
    fi
  fi
  local t_back again
  tests/s3/s3-server.sh start "$s3_dir" "$s3_port" 9>&- || fail "the S3 server restarted on the same directory and port"
  t_back=$(now)
  again=$(sql "$scan" --timeout 120) || again="(failed: $(head -c 300 "$work/error"))"
  figure "the same scan after the restart" "took $(elapsed "$t_back")s"
  if [ "$again" = "$before" ] && [ "$(echo "$again" | cut -f1)" = "$(echo "$total" | cut -f1)" ]; then
    pass "the same scan succeeds with the right answer once the object store is back"
  else
    fail "the same scan succeeds with the right answer once the object store is back" "answer: $again, before the outage: $before"
  fi

  # -- DROP TABLE deletes the table's objects, and only them
  local other="zkarrow.lake.nation" objects_before other_before left other_left
  sql "CREATE TABLE $other AS SELECT * FROM tpch.tiny.nation" >/dev/null || fail "CREATE TABLE $other"
  objects_before=$(files_under "$s3_dir/data/$bucket/$table_key")
  other_before=$(( $(files_under "$s3_dir/data/$bucket/wh") - objects_before ))
  if [ -n "$table_key" ] && sql "DROP TABLE $t" >/dev/null; then
    left=$(files_under "$s3_dir/data/$bucket/$table_key")
    other_left=$(( $(files_under "$s3_dir/data/$bucket/wh") - left ))
    figure "objects of the table before / after DROP" "$objects_before / $left (other table's: $other_before / $other_left)"
    if [ "$objects_before" -gt 0 ] && [ "$left" = 0 ] && [ "$other_before" -gt 0 ] && [ "$other_left" = "$other_before" ]; then
      pass "DROP TABLE removes the table's objects from the bucket, and only them"
    else
      fail "DROP TABLE removes the table's objects from the bucket, and only them" \
        "left: $({ find "$s3_dir/data/$bucket/$table_key" -type f 2>/dev/null || true; } | head -n 5 | tr '\n' ' ' || true)"
    fi
  else
    fail "DROP TABLE removes the table's objects from the bucket, and only them" "no table location, or the DROP failed"
  fi

  stop_all
  figure "wall time, object storage" "$(elapsed "$t_variant")s"
}

case "$variant" in
  single) run_single ;;
  ensemble) run_ensemble ;;
  s3) run_s3 ;;
  all) run_single; run_ensemble; run_s3 ;;
esac

echo "cluster_test: $failures failed, wall time $(( $(date +%s) - began ))s"
# `|| exit 1`: a plain failing test here would run the ERR trap, whose FAIL line the summary counts twice
[ "$failures" -eq 0 ] || exit 1
