#!/usr/bin/env bash
# clang-tidy's bugprone and performance checks (.clang-tidy) on every source file of ours (not
# the tests), against the dev build's compile_commands.json. CI runs it after the dev suite.
# Usage: scripts/check-tidy.sh [FILE...]   (default: all of kiosk/ shared/ sync/ tools/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
db=build/dev/compile_commands.json
[ -f "$db" ] || { echo "check-tidy: $db is missing: run scripts/build.sh dev first" >&2; exit 1; }
if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(python3 - "$db" "$root" <<'PY'
import json, sys
root = sys.argv[2] + "/"
for e in json.load(open(sys.argv[1])):
    f = e["file"]
    if f.startswith(root) and f[len(root):].split("/")[0] in ("kiosk", "shared", "sync", "tools"):
        print(f)
PY
)
fi
# GCC's own warning flags in the compile commands are unknown to clang; they are not ours to
# check here (the GCC build checks them).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build/dev --quiet \
        --extra-arg=-Wno-unknown-warning-option >"$log" 2>&1; then
    grep -E 'warning:|error:' -A3 "$log" | grep -v '^--$' | head -200
    echo "check-tidy: clang-tidy found the problems above (${#files[@]} files checked)" >&2
    exit 1
fi
echo "check-tidy: ${#files[@]} files clean"
