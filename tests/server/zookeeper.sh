#!/usr/bin/env bash
# A standalone ZooKeeper server for demo.sh and tests/server/: ZooKeeperServerMain on the jars of
# `gradle zookeeperClasspath` (build/zookeeper.classpath), in its own session so that Ctrl-C at a
# prompt does not reach it.
#   zookeeper.sh start <dir> <port> [--member <myid> <peers>]
#                                     writes <dir>/zoo.cfg, starts the server, waits until it answers ruok.
#                                     --member: one server of an ensemble (QuorumPeerMain): <peers> lists
#                                     every member's peer and election ports, comma-separated, in myid
#                                     order (127.0.0.1:<peer>:<election>,...); <dir>/data/myid gets <myid>.
#                                     Start every member, then `wait-quorum` (ruok answers before a quorum).
#   zookeeper.sh stop <dir>           stops the server started in <dir> (SIGTERM, then SIGKILL)
#   zookeeper.sh mode <port>          prints the server's role from `srvr`: leader, follower, standalone,
#                                     or nothing when it does not serve (not running, no quorum)
#   zookeeper.sh wait-quorum <seconds> <port>...   waits until every port serves (leader or follower)
# The server log is <dir>/zookeeper.log, its pid <dir>/zookeeper.pid.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

usage() { echo "usage: $0 start <dir> <port> [--member <myid> <peers>] | stop <dir> | mode <port> | wait-quorum <seconds> <port>..." >&2; exit 2; }

alive() { [ -f "$1/zookeeper.pid" ] && kill -0 "$(cat "$1/zookeeper.pid")" 2>/dev/null; }

answers_ruok() {
  python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"ruok")
s.settimeout(1)
sys.exit(0 if s.recv(16) == b"imok" else 1)
PY
}

mode() {
  python3 - "$1" <<'PY' 2>/dev/null || true
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    s.sendall(b"srvr")
    s.settimeout(1)
    answer = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        answer += chunk
except OSError:
    sys.exit(0)
for line in answer.decode("utf-8", "replace").splitlines():
    if line.startswith("Mode: "):
        print(line[6:].strip())
PY
}

wait_quorum() {
  local seconds=$1 port
  shift
  local deadline=$(( $(date +%s) + seconds ))
  for port in "$@"; do
    until case "$(mode "$port")" in leader|follower|standalone) true ;; *) false ;; esac; do
      if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "zookeeper.sh: 127.0.0.1:$port does not serve (no quorum?) after ${seconds}s" >&2
        exit 1
      fi
      sleep 0.2
    done
  done
}

start() {
  local dir=$1 port=$2 myid= peers= main=org.apache.zookeeper.server.ZooKeeperServerMain
  if [ $# -ge 3 ]; then
    [ $# -eq 5 ] && [ "$3" = --member ] || usage
    myid=$4 peers=$5 main=org.apache.zookeeper.server.quorum.QuorumPeerMain
  fi
  local classpath=$root/build/zookeeper.classpath
  [ -f "$classpath" ] || { echo "zookeeper.sh: no $classpath: run gradle zookeeperClasspath" >&2; exit 1; }
  if alive "$dir"; then echo "zookeeper.sh: a server is already running in $dir" >&2; exit 1; fi
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  cat > "$dir/zoo.cfg" <<CFG
tickTime=500
dataDir=$dir/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
maxSessionTimeout=60000
CFG
  if [ -n "$myid" ]; then
    echo "$myid" > "$dir/data/myid"
    {
      echo "initLimit=10"
      echo "syncLimit=5"
      local n=0 peer
      for peer in ${peers//,/ }; do
        n=$((n + 1))
        echo "server.$n=$peer"
      done
    } >> "$dir/zoo.cfg"
  fi
  # the pid file names the java process itself (bash execs it)
  setsid bash -c 'echo $$ > "$1/zookeeper.pid"; exec java -Xmx256m -cp "$2" "$3" "$1/zoo.cfg"' \
    zookeeper "$dir" "$(cat "$classpath")" "$main" > "$dir/zookeeper.log" 2>&1 < /dev/null &
  local deadline=$(( $(date +%s) + 60 ))
  until answers_ruok "$port"; do
    if ! alive "$dir" && [ -f "$dir/zookeeper.pid" ] || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "zookeeper.sh: ZooKeeper did not start on 127.0.0.1:$port; the end of $dir/zookeeper.log:" >&2
      tail -n 30 "$dir/zookeeper.log" >&2 || true
      stop "$dir"
      exit 1
    fi
    sleep 0.2
  done
}

stop() {
  local dir=$1 pid
  [ -f "$dir/zookeeper.pid" ] || return 0
  pid=$(cat "$dir/zookeeper.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/zookeeper.pid"
}

case "${1:-}" in
  start) [ $# -eq 3 ] || [ $# -eq 6 ] || usage; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  mode) [ $# -eq 2 ] || usage; mode "$2" ;;
  wait-quorum) [ $# -ge 3 ] || usage; shift; wait_quorum "$@" ;;
  *) usage ;;
esac
