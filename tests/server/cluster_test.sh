#!/usr/bin/env bash
# The cluster test: real PrestoDB servers (build/presto-server, `gradle prestoServer`) with
# build/plugin/zkarrow/ installed, as separate processes on loopback: one coordinator that schedules
# no work (node-scheduler.include-coordinator=false) and two workers, a shared warehouse directory.
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
#
# Statements go through Presto's REST API (tests/server/presto_rest.py: no CLI JVM per statement).
# Prints figures and one PASS/FAIL line per check; exits non-zero if any failed. Stops everything it
# started, on any exit. Usage (after `gradle assemble`; it runs `gradle prestoServer zookeeperClasspath`):
#   tests/server/cluster_test.sh [single|ensemble|all]     (default all)
# Environment: PRESTO_HEAP per server (default 768m); ZKARROW_NO_BUILD=1 skips the gradle call (uses
# build/presto-server and build/zookeeper.classpath as they are).
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
began=$(date +%s)
variant=${1:-all}
case "$variant" in single|ensemble|all) ;; *) echo "usage: $0 [single|ensemble|all]" >&2; exit 2 ;; esac

compgen -G 'build/plugin/zkarrow/zkarrow-*.jar' >/dev/null ||
  { echo "cluster_test: no build/plugin/zkarrow/: run gradle assemble first" >&2; exit 1; }
if [ -z "${ZKARROW_NO_BUILD:-}" ]; then
  gradle --console=plain --no-daemon -q prestoServer zookeeperClasspath
fi

export PRESTO_HEAP=${PRESTO_HEAP:-768m}
work=$root/build/cluster-test
source tests/server/common.sh

nodes=(coordinator worker1 worker2)
zookeepers=(zk zk1 zk2 zk3)
stream_pid=
stop_all() {
  if [ -n "$stream_pid" ]; then kill "$stream_pid" 2>/dev/null || true; wait "$stream_pid" 2>/dev/null || true; stream_pid=; fi
  local pids=() n
  for n in "${nodes[@]}"; do tests/server/presto-server.sh stop "$work/$n" 9>&- & pids+=($!); done
  wait "${pids[@]}" || true
  for n in "${zookeepers[@]}"; do tests/server/zookeeper.sh stop "$work/$n" || true; done
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
# start_cluster ZK_CONNECT ROOT SESSION_TIMEOUT: the three servers, started side by side
start_cluster() {
  local zk=$1 zk_root=$2 timeout=$3 n pids=() t0
  for n in "${nodes[@]}"; do port[$n]=$(free_port); done
  coordinator_port=${port[coordinator]}
  local catalog=(--catalog "zkarrow.zookeeper.root=$zk_root" --catalog "zkarrow.zookeeper.session-timeout=$timeout"
    --catalog zkarrow.zookeeper.connect-timeout=20s)
  t0=$(now)
  tests/server/presto-server.sh start "$work/coordinator" "$coordinator_port" "$zk" "$work/warehouse" 9>&- \
    --coordinator --config node-scheduler.include-coordinator=false "${catalog[@]}" & pids+=($!)
  for n in worker1 worker2; do
    tests/server/presto-server.sh start "$work/$n" "${port[$n]}" "$zk" "$work/warehouse" 9>&- \
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
    local worker_writers
    worker_writers=$(echo "$writers" | awk -F'\t' -v a="127.0.0.1:${port[worker1]}" -v b="127.0.0.1:${port[worker2]}" \
      '($1 == a || $1 == b) && $2 > 0 { n[$1] = 1 } END { print length(n) }')
    if [ "$worker_writers" = 2 ] && [ "$sinks" -ge 2 ] && [ "$(echo "$files" | cut -f2)" = "$(echo "$expected" | cut -f1)" ] &&
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

case "$variant" in
  single) run_single ;;
  ensemble) run_ensemble ;;
  all) run_single; run_ensemble ;;
esac

echo "cluster_test: $failures failed, wall time $(( $(date +%s) - began ))s"
[ "$failures" -eq 0 ]
