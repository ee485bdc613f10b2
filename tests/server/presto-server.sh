#!/usr/bin/env bash
# A PrestoDB server with zkarrow installed as a user installs it, for demo.sh and tests/server/.
#
#   presto-server.sh start <dir> <http-port> <zk-connect> <warehouse> [--coordinator | --worker <discovery-uri>]
#                          [--catalog key=value]... [--config key=value]...
#       <dir> becomes a server installation: a copy of build/presto-server/ (`gradle prestoServer`;
#       lib/ as hard links where possible), build/plugin/zkarrow/ copied into <dir>/plugin/zkarrow/,
#       and etc/ with node.properties, config.properties, jvm.config, log.properties,
#       catalog/zkarrow.properties (the given ZooKeeper and warehouse, plus each --catalog property)
#       and catalog/tpch.properties. Whatever <dir> held before is removed. <warehouse> is a directory
#       or an s3:// URL (with the zkarrow.s3.* properties as --catalog); it goes into the catalog file
#       as given, and nothing here creates it (zkarrow creates what it writes).
#       The server runs as a daemon (bin/launcher start) with its data in <dir>/data; this returns once
#       /v1/info says it has started, or fails showing the end of the server log.
#       Default: --coordinator (which also schedules work on itself; --config
#       node-scheduler.include-coordinator=false makes it schedule none). Each --config property is
#       added to etc/config.properties, replacing a default of the same key.
#   presto-server.sh stop <dir>   bin/launcher stop, then kill if it has not ended within 30 s
#
# Logs: <dir>/data/var/log/server.log (Presto) and launcher.log (the JVM's stdout/stderr).
# Environment: PRESTO_HEAP (default 1G), PRESTO_START_TIMEOUT seconds (default 240).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
home=$root/build/presto-server
plugin=$root/build/plugin/zkarrow

usage() {
  echo "usage: $0 start <dir> <http-port> <zk-connect> <warehouse> [--coordinator|--worker <discovery-uri>] [--catalog key=value]... [--config key=value]..." >&2
  echo "       $0 stop <dir>" >&2
  exit 2
}

# the airlift launcher's script says `python`; Debian has only python3
launcher() { local dir=$1; shift; python3 "$dir/bin/launcher.py" --etc-dir "$dir/etc" --data-dir "$dir/data" "$@"; }

show_logs() {
  local dir=$1
  for log in "$dir/data/var/log/server.log" "$dir/data/var/log/launcher.log"; do
    if [ -s "$log" ]; then
      echo "---- the end of $log:" >&2
      tail -n 40 "$log" >&2
    fi
  done
}

start() {
  local dir=$1 port=$2 zk=$3 warehouse=$4
  shift 4
  local coordinator=true discovery="http://127.0.0.1:$port" catalog=() config=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --coordinator) coordinator=true; shift ;;
      --worker) [ $# -ge 2 ] || usage; coordinator=false; discovery=$2; shift 2 ;;
      --catalog) [ $# -ge 2 ] || usage; catalog+=("$2"); shift 2 ;;
      --config) [ $# -ge 2 ] || usage; config+=("$2"); shift 2 ;;
      *) usage ;;
    esac
  done
  [ -x "$home/bin/launcher" ] || { echo "presto-server.sh: no server in $home: run gradle prestoServer" >&2; exit 1; }
  [ -d "$plugin" ] || { echo "presto-server.sh: no plugin in $plugin: run gradle assemble" >&2; exit 1; }
  if [ -d "$dir/data" ] && launcher "$dir" status >/dev/null 2>&1; then
    echo "presto-server.sh: a server is already running in $dir" >&2
    exit 1
  fi

  # the installation: what a user unpacks, then the plugin copied into plugin/ as the README says
  rm -rf "$dir"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # lib/ holds released jars only (a name never changes content): hard links, where the file system allows
  mkdir "$dir/lib"
  cp -al "$home/lib/." "$dir/lib/" 2>/dev/null || cp -a "$home/lib/." "$dir/lib/"
  cp -a "$home/bin" "$home/plugin" "$dir/"
  cp -r "$plugin" "$dir/plugin/zkarrow"

  local name
  name=$(basename "$dir")
  mkdir -p "$dir/etc/catalog" "$dir/data" "$dir/tmp"
  cat > "$dir/etc/node.properties" <<PROPS
node.environment=zkarrow
node.id=$name
node.data-dir=$dir/data
node.internal-address=127.0.0.1
node.bind-ip=127.0.0.1
PROPS
  {
    echo "coordinator=$coordinator"
    if [ "$coordinator" = true ]; then
      echo "node-scheduler.include-coordinator=true"
      echo "discovery-server.enabled=true"
    fi
    echo "http-server.http.port=$port"
    echo "discovery.uri=$discovery"
  } > "$dir/etc/config.properties"
  local property
  for property in "${config[@]+"${config[@]}"}"; do
    # a given key replaces the default line of that key
    grep -v "^${property%%=*}=" "$dir/etc/config.properties" > "$dir/etc/config.properties.new" || true
    mv "$dir/etc/config.properties.new" "$dir/etc/config.properties"
    echo "$property" >> "$dir/etc/config.properties"
  done
  # PrestoDB's Java 17 example without --add-opens (neither Presto nor zkarrow needs them); the JVM's
  # temporary directory (where the plugin extracts its native library) stays inside the installation
  cat > "$dir/etc/jvm.config" <<JVM
-server
-Xmx${PRESTO_HEAP:-1G}
-XX:+UseG1GC
-XX:G1HeapRegionSize=32M
-XX:+ExitOnOutOfMemoryError
-Djdk.attach.allowAttachSelf=true
-Djava.io.tmpdir=$dir/tmp
JVM
  echo "com.facebook.presto=INFO" > "$dir/etc/log.properties"
  {
    echo "connector.name=zkarrow"
    echo "zkarrow.zookeeper.connect=$zk"
    echo "zkarrow.warehouse=$warehouse"
    for property in "${catalog[@]+"${catalog[@]}"}"; do echo "$property"; done
  } > "$dir/etc/catalog/zkarrow.properties"
  echo "connector.name=tpch" > "$dir/etc/catalog/tpch.properties"

  launcher "$dir" start >/dev/null
  local timeout=${PRESTO_START_TIMEOUT:-240} started
  started=$(date +%s)
  while :; do
    if curl -sf "http://127.0.0.1:$port/v1/info" 2>/dev/null | grep -q '"starting" *: *false'; then
      return 0
    fi
    if ! launcher "$dir" status >/dev/null 2>&1; then
      echo "presto-server.sh: the server in $dir exited while starting" >&2
      show_logs "$dir"
      exit 1
    fi
    if [ $(( $(date +%s) - started )) -ge "$timeout" ]; then
      echo "presto-server.sh: the server in $dir did not start on port $port within ${timeout}s" >&2
      show_logs "$dir"
      stop "$dir"
      exit 1
    fi
    sleep 1
  done
}

stop() {
  local dir=$1 pid_file
  [ -f "$dir/bin/launcher.py" ] && [ -d "$dir/data" ] || return 0
  pid_file=$dir/data/var/run/launcher.pid
  launcher "$dir" status >/dev/null 2>&1 || return 0
  timeout 30 python3 "$dir/bin/launcher.py" --etc-dir "$dir/etc" --data-dir "$dir/data" stop >/dev/null 2>&1 ||
    launcher "$dir" kill >/dev/null 2>&1 || true
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    kill -9 "$(cat "$pid_file")" 2>/dev/null || true
  fi
}

case "${1:-}" in
  start) [ $# -ge 5 ] || usage; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
