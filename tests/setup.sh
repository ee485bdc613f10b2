#!/usr/bin/env bash
# Installs what zkarrow's build, tests and demo need on a fresh Debian machine, and nothing twice:
# Gradle, strace, openssl and curl (Debian's packages), pyarrow (PyPI), Rust's clippy and rustfmt, and the
# S3-compatible test server versitygw (Go module proxy). Java 17, cargo, go and python3 are expected to be
# there already.
set -euo pipefail

need_root() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

if ! command -v gradle >/dev/null 2>&1; then
  echo "setup: installing Debian's gradle"
  need_root apt-get update -qq
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gradle >/dev/null
fi
# strace proves manifests are fsynced (rust/core/tests/trust.rs); openssl makes the TLS test keys;
# curl polls a starting Presto server (tests/server/presto-server.sh)
for tool in strace openssl curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup: installing Debian's $tool"
    need_root apt-get update -qq
    need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
if ! python3 -c 'import pyarrow' >/dev/null 2>&1; then
  echo "setup: installing pyarrow from PyPI"
  python3 -m pip install --quiet pyarrow
fi
for component in clippy rustfmt; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
# the object-storage tests need a real S3-compatible server on loopback, with an atomic create-only PUT
# (manifests are written with If-None-Match: *); this builds the pinned versitygw into build/s3-server/
# once (about 2-3 minutes), and does nothing when that version is there
"$(dirname "$0")/s3/s3-server.sh" install
for tool in java javac keytool cargo go python3 gradle strace openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup: $tool is missing" >&2; exit 1; }
done
