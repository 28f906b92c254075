#!/usr/bin/env bash
# Fails when a C++ file is not formatted with clang-format 14 and the repo's .clang-format.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fmt=$(command -v clang-format-14 || command -v clang-format)
bad=0
while IFS= read -r f; do
    if ! "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (run: $fmt -i $f)"
        bad=1
    fi
done < <(git ls-files '*.cpp' '*.h')
exit $bad
