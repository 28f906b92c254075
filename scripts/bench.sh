#!/usr/bin/env bash
# The README's benchmark command: builds the release preset and runs every benchmark; prints
# one table and writes build/release/bench.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" release
"$root/build/release/tests/bench/ksd-bench" --json "$root/build/release/bench.json" "$@"
echo "figures written to build/release/bench.json"
