#!/usr/bin/env bash
# Fuzzes zkarrow's Arrow IPC readers (rust/fuzz: file_reader, stream_reader) with cargo fuzz, each
# target for a bounded time, starting from the checked-in seed corpus (rust/fuzz/corpus/<target>)
# and past findings (rust/fuzz/regressions/<target>); new inputs go to build/fuzz/corpus/<target>,
# findings to build/fuzz/artifacts/<target>.
# A panic, an abort, a timeout, more than 2 GB of memory or one allocation above 2 GB is a
# finding and fails the script; an error returned for a bad file is the expected answer.
# Usage: tests/fuzz.sh [seconds per target, default 60] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(file_reader stream_reader)

# cargo-fuzz, and a nightly toolchain for its sanitizer flags; without one, stable with
# RUSTC_BOOTSTRAP and no sanitizer (libFuzzer still catches panics, aborts and big allocations).
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
toolchain=(+nightly)
sanitizer=()
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    if ! rustup toolchain install nightly --profile minimal; then
        echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1 and no sanitizer"
        export RUSTC_BOOTSTRAP=1
        toolchain=()
        sanitizer=(--sanitizer none)
    fi
fi

failed=0
for target in "${targets[@]}"; do
    mkdir -p "build/fuzz/corpus/$target" "build/fuzz/artifacts/$target"
    log="build/fuzz/$target.log"
    echo "== fuzz $target for ${seconds}s (log: $log)"
    if cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" --fuzz-dir rust/fuzz -O "$target" \
        "$PWD/build/fuzz/corpus/$target" "$PWD/rust/fuzz/corpus/$target" \
        "$PWD/rust/fuzz/regressions/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=30 \
        -artifact_prefix="$PWD/build/fuzz/artifacts/$target/" -print_final_stats=1 >"$log" 2>&1; then
        runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        echo "fuzz $target: ok, ${runs:-?} executions, no findings"
    else
        failed=1
        echo "fuzz $target: FINDING (inputs in build/fuzz/artifacts/$target):"
        grep -E 'panicked|ERROR: libFuzzer|SUMMARY|out-of-memory|malloc\(|Test unit written' "$log" | head -20 || tail -30 "$log"
    fi
done
exit $failed
