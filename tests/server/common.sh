# Sourced by demo.sh and the server tests (from the repository root).
#
# begin_run NAME WORK STOP: one run of NAME at a time (build/NAME.lock, held on fd 9, which the
# servers must not inherit: start them with 9>&-); STOP, a function that stops every server of the
# run, runs first for what a killed earlier run left behind, then once when this run ends, however
# it ends (Ctrl-C and TERM included); WORK is emptied and gets a warehouse/ directory.
begin_run() {
  local name=$1
  run_work=$2
  run_stop=$3
  mkdir -p "$run_work"
  exec 9> "build/$name.lock"
  flock -n 9 || { echo "$name: another run holds build/$name.lock" >&2; exit 1; }
  "$run_stop" >/dev/null 2>&1 || true
  rm -rf "$run_work" && mkdir -p "$run_work/warehouse"
  trap end_run EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

end_run() {
  trap - EXIT INT TERM
  "$run_stop" || true
}

# A free TCP port on the loopback interface.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
