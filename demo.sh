#!/usr/bin/env bash
# zkarrow's main job: builds everything, starts a ZooKeeper server and a real single-node PrestoDB
# server (build/presto-server from `gradle prestoServer`, with build/plugin/zkarrow/ copied into its
# plugin directory as a user installs it), registers a sample dataset (Arrow IPC files written by the
# zkarrow CLI) as zkarrow.demo.trips, prints the answers of a few queries through presto-cli, and
# leaves the presto-cli prompt when a terminal is attached. Everything it started stops when it ends
# (Ctrl-C included). Usage: ./demo.sh
# ZKARROW_NO_BUILD=1 uses the plugin and the zkarrow CLI already built (no setup, cargo or javac).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
GRADLE="gradle --console=plain --no-daemon -q"
if [ -z "${ZKARROW_NO_BUILD:-}" ]; then
  tests/setup.sh
  $GRADLE assemble prestoServer zookeeperClasspath
  cargo build --release -q -p zkarrow-cli
else
  $GRADLE prestoServer zookeeperClasspath
fi

work=$root/build/demo
source tests/server/common.sh
stop_servers() {
  echo "demo: stopping Presto and ZooKeeper"
  tests/server/presto-server.sh stop "$work/presto" || true
  tests/server/zookeeper.sh stop "$work/zookeeper" || true
}
begin_run demo "$work" stop_servers

zk_port=$(free_port)
http_port=$(free_port)
data=$work/data/trips
target/release/zkarrow sample --out "$data" --rows 100000 >/dev/null

echo "demo: starting ZooKeeper on 127.0.0.1:$zk_port"
tests/server/zookeeper.sh start "$work/zookeeper" "$zk_port" 9>&-  # the servers must not hold the lock
echo "demo: starting Presto on 127.0.0.1:$http_port ($work/presto, plugin/zkarrow copied from build/plugin/zkarrow)"
tests/server/presto-server.sh start "$work/presto" "$http_port" "127.0.0.1:$zk_port" "$work/warehouse" 9>&- \
  --catalog zkarrow.zookeeper.root=/zkarrow/demo \
  --catalog zkarrow.zookeeper.session-timeout=20s \
  --catalog zkarrow.zookeeper.connect-timeout=5s \
  --catalog "zkarrow.allowed-locations=$work/warehouse,$data"  # the sample is registered where it lies
echo "demo: Presto is up (server log: $work/presto/data/var/log/server.log)"

cli=(java -Duser.timezone=UTC -jar build/presto-server/bin/presto-cli --server "127.0.0.1:$http_port"
  --catalog zkarrow --schema demo)
run() {
  printf '\nzkarrow> %s;\n' "$1"
  "${cli[@]}" --output-format ALIGNED --execute "$1" 2>&1 || true
}

run "CREATE SCHEMA zkarrow.demo"
run "CALL zkarrow.system.register_table('demo', 'trips', '$data')"
run "SHOW TABLES FROM zkarrow.demo"
run "DESCRIBE zkarrow.demo.trips"
run "SELECT city, count(*) AS trips, sum(fare) AS fares, round(avg(distance_km), 2) AS avg_km FROM zkarrow.demo.trips GROUP BY city ORDER BY city"
run "SELECT trip_id, city, fare, pickup_at, tags, driver.name AS driver FROM zkarrow.demo.trips WHERE contains(tags, 'night') ORDER BY trip_id LIMIT 5"
run "SELECT day, count(*) AS trips FROM zkarrow.demo.trips GROUP BY day ORDER BY day LIMIT 3"

if [ -t 0 ]; then
  echo
  echo "presto-cli on 127.0.0.1:$http_port (catalog zkarrow, schema demo). Quit with 'quit;' or Ctrl-D."
  # Ctrl-C belongs to presto-cli here (it cancels the running query); the servers run in their own
  # sessions and do not see it
  trap : INT
  "${cli[@]}" || true
fi
