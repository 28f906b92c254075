#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, clang, ASan+UBSan) and runs each for a bounded time
# on a copy of its seed corpus in build/fuzz/corpus (the tree is not modified).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 60 s each, every target)
# KSD_FUZZ_SEED=N and KSD_FUZZ_RUNS=N (CI sets both) make a run repeat the same inputs: a faster
# machine stops at the same input count, a slower one at the time, so CI explores only what a
# run here explored before it landed, and a new find never blocks an unrelated change.
# Fails when any target crashes, leaks, times out (-timeout=10: a slow input is a defect) or runs
# out of memory, printing the reproducer's path. See README.md "Fuzzing".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
all_targets=(markdown csv config content_build pack kiosk server agent)
seconds=60
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    if [[ ! " ${all_targets[*]} " =~ " $t " ]]; then
        echo "fuzz.sh: unknown target '$t' (one of: ${all_targets[*]})" >&2
        exit 2
    fi
done

cd "$root"
if command -v ccache >/dev/null; then
    export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CMAKE_CXX_COMPILER_LAUNCHER=ccache \
        CMAKE_C_COMPILER_LAUNCHER=ccache
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

out=$root/build/fuzz
fuzz_dir=$root/tests/fuzz
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

# The dictionaries each target uses (libFuzzer takes one file: they are concatenated).
dicts_of() {
    case $1 in
    markdown) echo markdown ;;
    config) echo toml ;;
    content_build | kiosk) echo "content markdown toml" ;;
    server | agent) echo http ;;
    csv | pack) ;;
    esac
}

failed=()
summary=()
for t in "${targets[@]}"; do
    corpus=$out/corpus/$t
    crashes=$out/crashes/$t
    logs=$out/logs
    # Scratch files (source trees, packs, databases) on tmpfs when there is one: fsync is free.
    tmp=$out/tmp/$t
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then
        tmp=/dev/shm/ksd-fuzz-$$-$t
    fi
    mkdir -p "$corpus" "$crashes" "$logs" "$tmp"
    # Seeds join what earlier runs found; nothing is written into the tree.
    cp -n "$fuzz_dir"/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
    dict=()
    names=$(dicts_of "$t")
    if [ -n "$names" ]; then
        merged=$out/$t.dict
        : >"$merged"
        for d in $names; do cat "$fuzz_dir/dict/$d.dict" >>"$merged"; done
        dict=(-dict="$merged")
    fi
    # Earlier crashes are read too (libFuzzer writes new inputs only into the first directory),
    # so every run checks them again under clang's sanitizers before it explores.
    regressions=()
    [ -d "$fuzz_dir/regressions/$t" ] && regressions=("$fuzz_dir/regressions/$t")
    log=$logs/$t.log
    echo "== fuzz_$t: ${seconds} s (log: $log)"
    status=0
    repeat=()
    [ -n "${KSD_FUZZ_SEED:-}" ] && repeat+=(-seed="$KSD_FUZZ_SEED")
    [ -n "${KSD_FUZZ_RUNS:-}" ] && repeat+=(-runs="$KSD_FUZZ_RUNS")
    TMPDIR=$tmp "$out/tests/fuzz/fuzz_$t" -max_total_time="$seconds" "${repeat[@]}" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" \
        "$corpus" "${regressions[@]}" >"$log" 2>&1 || status=$?
    rm -rf "$tmp"
    stats=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$stats")
    execs=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' || true)
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        echo "!! fuzz_$t failed (exit $status):"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|ALARM|.*out-of-memory|.*Test unit written to|.*deadly signal)' "$log" | head -8 || true
        # The first frames in our own code.
        grep -E '^ +#[0-9]+ .* in (ksd|kiosk)::' "$log" | head -3 | sed 's/^ *#[0-9]* 0x[0-9a-f]* in /   at /' | cut -c1-200 || true
        repro=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
        echo "   reproducer: ${repro:-see $log}"
        echo "   rerun: $out/tests/fuzz/fuzz_$t ${repro:-CRASH_FILE}"
        echo "   keep it: copy it to tests/fuzz/regressions/$t/ with a descriptive name"
        summary+=("$(printf '%-14s FAILED   runs %-9s exec/s %-6s cov %s' "$t" "${runs:-?}" "${execs:-?}" "${cov:-?}")")
    else
        summary+=("$(printf '%-14s ok       runs %-9s exec/s %-6s cov %s' "$t" "${runs:-?}" "${execs:-?}" "${cov:-?}")")
    fi
done
echo "== fuzzing summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: failed: ${failed[*]} (reproducers in $out/crashes/)" >&2
    exit 1
fi
