#!/usr/bin/env bash
# The install test: a ZooKeeper server and a real PrestoDB server (build/presto-server, `gradle
# prestoServer`) with build/plugin/zkarrow/ (`gradle assemble`) copied into its plugin directory as
# the README tells users, then SQL through the real presto-cli against answers from the tpch catalog.
# Prints one PASS/FAIL line per check and exits non-zero if any failed. Stops what it started.
# Usage: tests/server/install_test.sh   (after `gradle assemble`; it runs `gradle prestoServer zookeeperClasspath`)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
began=$(date +%s)

compgen -G 'build/plugin/zkarrow/zkarrow-*.jar' >/dev/null ||
  { echo "install_test: no build/plugin/zkarrow/: run gradle assemble first" >&2; exit 1; }
gradle --console=plain --no-daemon -q prestoServer zookeeperClasspath

work=$root/build/install-test
source tests/server/common.sh
stop_servers() {
  tests/server/presto-server.sh stop "$work/presto" || true
  tests/server/zookeeper.sh stop "$work/zookeeper" || true
}
begin_run install-test "$work" stop_servers

zk_port=$(free_port)
http_port=$(free_port)

tests/server/zookeeper.sh start "$work/zookeeper" "$zk_port" 9>&-  # the servers must not hold the lock
t0=$(date +%s)
tests/server/presto-server.sh start "$work/presto" "$http_port" "127.0.0.1:$zk_port" "$work/warehouse" 9>&- \
  --catalog zkarrow.zookeeper.root=/zkarrow/install
echo "install_test: server up in $(( $(date +%s) - t0 ))s on port $http_port (ZooKeeper on $zk_port)"

# sql SQL: the answer (TSV) on stdout; the CLI's messages (errors, warnings, "INSERT: N rows") in $work/messages
sql() {
  java -Duser.timezone=UTC -jar build/presto-server/bin/presto-cli --server "127.0.0.1:$http_port" \
    --output-format TSV --execute "$1" 2> "$work/messages"
}

failures=0
fail() {
  echo "FAIL $1"
  shift
  printf '  %s\n' "$@"
  sed -n '1,20s/^/  | /p' "$work/messages"
  failures=$((failures + 1))
}
# check NAME EXPECTED SQL: the query's answer must be EXPECTED
check() {
  local out
  if out=$(sql "$3") && [ "$out" = "$2" ]; then
    echo "PASS $1"
  else
    fail "$1" "sql:      $3" "expected: $2" "got:      $out"
  fi
}
# check_update NAME ROWS SQL: an INSERT or CREATE TABLE AS must succeed and report ROWS rows
check_update() {
  if sql "$3" >/dev/null && grep -q "^[A-Z ]*: $2 rows\?\$" "$work/messages"; then
    echo "PASS $1"
  else
    fail "$1" "sql:      $3" "expected: $2 rows"
  fi
}
# run NAME SQL: the statement must succeed
run() {
  if sql "$2" >/dev/null; then echo "PASS $1"; else fail "$1" "sql: $2"; fi
}
answer() { sql "$1" || echo "(query failed: $1)"; }

t="zkarrow.install.orders"
tpch="tpch.tiny.orders"
aggregates="count(*), sum(orderkey), sum(CAST(totalprice AS decimal(18,2))), count(DISTINCT custkey), min(orderdate), max(orderdate), max(comment)"

check "plugin loaded: SHOW SCHEMAS FROM zkarrow" "$(printf 'information_schema\nsystem')" "SHOW SCHEMAS FROM zkarrow"
run "CREATE SCHEMA" "CREATE SCHEMA zkarrow.install"
check_update "CREATE TABLE AS from $tpch" "15000" "CREATE TABLE $t AS SELECT * FROM $tpch"
check "SHOW TABLES" "orders" "SHOW TABLES FROM zkarrow.install"
check "count/sum/distinct/min/max against tpch" "$(answer "SELECT $aggregates FROM $tpch")" "SELECT $aggregates FROM $t"
check "same rows as tpch (EXCEPT both ways)" "$(printf '0\t0')" \
  "SELECT (SELECT count(*) FROM (SELECT * FROM $tpch EXCEPT SELECT * FROM $t)), (SELECT count(*) FROM (SELECT * FROM $t EXCEPT SELECT * FROM $tpch))"
check "group by against tpch" \
  "$(answer "SELECT orderpriority, count(*), sum(CAST(totalprice AS decimal(18,2))) FROM $tpch GROUP BY orderpriority ORDER BY 1")" \
  "SELECT orderpriority, count(*), sum(CAST(totalprice AS decimal(18,2))) FROM $t GROUP BY orderpriority ORDER BY 1"
inserted=$(answer "SELECT count(*) FROM $tpch WHERE orderkey < 10000")
check_update "INSERT from tpch" "$inserted" "INSERT INTO $t SELECT * FROM $tpch WHERE orderkey < 10000"
check "count/sum after INSERT" \
  "$(answer "SELECT count(*), sum(orderkey), sum(CAST(totalprice AS decimal(18,2))) FROM (SELECT * FROM $tpch UNION ALL SELECT * FROM $tpch WHERE orderkey < 10000)")" \
  "SELECT count(*), sum(orderkey), sum(CAST(totalprice AS decimal(18,2))) FROM $t"
check "two snapshots" "2" "SELECT count(*) FROM zkarrow.install.\"orders\$snapshots\""
run "CREATE TABLE with nested types" "CREATE TABLE zkarrow.install.nested (id bigint, tags array(varchar), m map(varchar, double), r row(x integer, y varchar))"
run "INSERT VALUES" "INSERT INTO zkarrow.install.nested VALUES (1, ARRAY['a', NULL], MAP(ARRAY['k'], ARRAY[1.5]), CAST(ROW(7, 'z') AS row(x integer, y varchar))), (2, NULL, NULL, NULL)"
check "nested values read back" "$(printf '1\t[a, null]\t{k=1.5}\t7\tz\n2\t\t\t\t')" \
  "SELECT id, tags, m, r.x, r.y FROM zkarrow.install.nested ORDER BY id"
table_dirs=$(find "$work/warehouse/install" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
run "DROP TABLE orders" "DROP TABLE $t"
run "DROP TABLE nested" "DROP TABLE zkarrow.install.nested"
check "no tables left" "" "SHOW TABLES FROM zkarrow.install"
left=$(find "$work/warehouse/install" -name '*.arrow' 2>/dev/null | wc -l)
if [ "$table_dirs" -ge 2 ] && [ "$left" -eq 0 ]; then
  echo "PASS dropped tables' files removed ($table_dirs table directories before, no .arrow file after)"
else
  : > "$work/messages"
  fail "dropped tables' files removed ($table_dirs table directories before, $left .arrow files after)"
fi
run "DROP SCHEMA" "DROP SCHEMA zkarrow.install"

echo "install_test: $failures failed; wall time $(( $(date +%s) - began ))s"
if [ "$failures" -ne 0 ]; then
  echo "---- the end of the server log:"
  tail -n 40 "$work/presto/data/var/log/server.log" || true
  exit 1
fi
