#!/usr/bin/env bash
# A real S3-compatible server on loopback for zkarrow's object-storage tests: the Versity S3 Gateway
# (versitygw, Apache-2.0) with its posix backend, built from the Go module proxy into build/s3-server/.
# Chosen over s3s-fs because its create-only PUT (If-None-Match: *) is atomic under racing writers,
# which manifests rely on; s3s-fs 0.14.1 let two of eight racing writers win (tests/s3/s3-features.py).
# It runs in its own session so that Ctrl-C at a prompt does not reach it.
#   s3-server.sh install                      builds the pinned versitygw into build/s3-server/ (nothing
#                                             if that version is there already); needs go
#   s3-server.sh start <dir> <port> [<bucket>...]
#                                             serves <dir>/data on 127.0.0.1:<port>, creates the buckets,
#                                             waits until it answers; the static credentials are in
#                                             <dir>/credentials (ZKARROW_S3_ACCESS_KEY=..., ZKARROW_S3_SECRET_KEY=...,
#                                             shell-sourceable; kept across restarts in the same <dir>)
#   s3-server.sh stop <dir>                   stops the server started in <dir> (SIGTERM, then SIGKILL)
# Region us-east-1, path-style addressing. The log is <dir>/s3.log, the pid <dir>/s3.pid.
# What zkarrow needs from it is checked by: python3 tests/s3/s3-features.py <port> <bucket> <key> <secret>
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

# the one place the server's version is pinned
versitygw_module=github.com/versity/versitygw
versitygw_version=v1.8.0
install_dir=$root/build/s3-server
binary=$install_dir/versitygw

usage() { echo "usage: $0 install | start <dir> <port> [<bucket>...] | stop <dir>" >&2; exit 2; }

installed_version() {
  # the module version go stamped into the binary (its own --version says only "git")
  [ -x "$binary" ] || return 0
  go version -m "$binary" 2>/dev/null | awk -v m="$versitygw_module" '$1 == "mod" && $2 == m { print $3 }'
}

install() {
  command -v go >/dev/null 2>&1 || { echo "s3-server.sh: go is needed to build versitygw" >&2; exit 1; }
  if [ "$(installed_version)" = "$versitygw_version" ]; then
    return 0
  fi
  echo "s3-server.sh: building versitygw $versitygw_version into $install_dir (about 2-3 minutes on 2 cores)"
  mkdir -p "$install_dir"
  local staging
  staging=$(mktemp -d "$install_dir/.install.XXXXXX")
  # build into a staging directory and move it in whole, so a broken build leaves no half binary
  if ! GOBIN=$staging go install "$versitygw_module/cmd/versitygw@$versitygw_version"; then
    rm -rf "$staging"
    echo "s3-server.sh: building versitygw $versitygw_version failed" >&2
    exit 1
  fi
  mv -f "$staging/versitygw" "$binary"
  rm -rf "$staging"
}

alive() { [ -f "$1/s3.pid" ] && kill -0 "$(cat "$1/s3.pid")" 2>/dev/null; }

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# one signed request with curl; prints the HTTP status (000 when nothing answers)
signed() {
  local method=$1 url=$2
  # versitygw wants the payload hash header, which curl 7.88 does not add by itself: an empty body's
  curl -s -o /dev/null -w '%{http_code}' -m 5 -X "$method" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ZKARROW_S3_ACCESS_KEY:$ZKARROW_S3_SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$url" 2>/dev/null || true
}

start() {
  local dir=$1 port=$2
  shift 2
  [ -x "$binary" ] || { echo "s3-server.sh: no $binary: run $0 install" >&2; exit 1; }
  if alive "$dir"; then echo "s3-server.sh: a server is already running in $dir" >&2; exit 1; fi
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  if [ ! -f "$dir/credentials" ]; then
    {
      echo "ZKARROW_S3_ACCESS_KEY=zkarrow$(random_hex 6)"
      echo "ZKARROW_S3_SECRET_KEY=$(random_hex 20)"
    } > "$dir/credentials"
    chmod 600 "$dir/credentials"
  fi
  # shellcheck disable=SC1091
  . "$dir/credentials"
  # the pid file names versitygw itself (bash execs it); the keys go by environment, not argv,
  # so that ps does not show the secret
  ROOT_ACCESS_KEY_ID=$ZKARROW_S3_ACCESS_KEY ROOT_SECRET_ACCESS_KEY=$ZKARROW_S3_SECRET_KEY \
    setsid bash -c 'echo $$ > "$1/s3.pid"; exec "$2" --port "127.0.0.1:$3" --region us-east-1 --quiet posix "$1/data"' \
    versitygw "$dir" "$binary" "$port" > "$dir/s3.log" 2>&1 < /dev/null &
  local url=http://127.0.0.1:$port deadline=$(( $(date +%s) + 60 ))
  # ListBuckets answers 200 only when the server is up and takes these credentials
  until [ "$(signed GET "$url/")" = 200 ]; do
    if ! alive "$dir" && [ -f "$dir/s3.pid" ] || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "s3-server.sh: versitygw did not start on 127.0.0.1:$port; the end of $dir/s3.log:" >&2
      tail -n 30 "$dir/s3.log" >&2 || true
      stop "$dir"
      exit 1
    fi
    sleep 0.2
  done
  local bucket status
  for bucket in "$@"; do
    status=$(signed PUT "$url/$bucket")
    # 409: the bucket is there already (a restart on the same <dir>)
    if [ "$status" != 200 ] && [ "$status" != 409 ]; then
      echo "s3-server.sh: creating bucket '$bucket' gave HTTP $status (bucket names: 3-63 of a-z, 0-9, '.', '-')" >&2
      stop "$dir"
      exit 1
    fi
  done
}

stop() {
  local dir=$1 pid
  [ -f "$dir/s3.pid" ] || return 0
  pid=$(cat "$dir/s3.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/s3.pid"
}

case "${1:-}" in
  install) [ $# -eq 1 ] || usage; install ;;
  start) [ $# -ge 3 ] || usage; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
