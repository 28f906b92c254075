#!/bin/sh
# Every binary's --version: first line "NAME VERSION (git REV)", VERSION the project's, REV what
# `git describe --always --dirty` names (HEAD of the source tree; "unknown" outside git).
# Usage: test_version.sh SOURCE_DIR PROJECT_VERSION BINARY...
src=$1
version=$2
shift 2
head=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    out=$("$bin" --version)
    status=$?
    line=$(printf '%s\n' "$out" | head -n 1)
    if [ "$status" -ne 0 ]; then
        echo "FAIL: $name --version exited with $status"
        failed=1
        continue
    fi
    rev=$(printf '%s\n' "$line" | sed -n "s/^$name $version (git \\(.*\\))\$/\\1/p")
    if [ -z "$rev" ]; then
        echo "FAIL: $name --version printed '$line', not '$name $version (git REV)'"
        failed=1
        continue
    fi
    if [ "$head" = unknown ]; then
        want=unknown
        got=$rev
    else
        # REV may carry -dirty; it must name the commit the source tree is at.
        want=$head
        got=$(git -C "$src" rev-parse --verify --quiet "${rev%-dirty}^{commit}" || echo "?")
    fi
    if [ "$got" != "$want" ]; then
        echo "FAIL: $name: revision '$rev' is not the source tree's ($want; rebuild?)"
        failed=1
        continue
    fi
    echo "ok: $line"
done
exit $failed
