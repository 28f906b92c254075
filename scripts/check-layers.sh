#!/usr/bin/env bash
# The kiosk's layers (kiosk/CMakeLists.txt): which folders each folder's files may include, and
# that only the platform layer calls SDL. The CMake targets already keep SDL's headers away from
# the layers below platform; this also catches an arrow between two layers that both build, such
# as screens including app/ or platform including shell/. CI runs it with the formatting check.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A allowed=(
    [ui]="ui"
    [model]="ui model"
    [screens]="ui model screens"
    [features]="ui model features"
    [app]="ui model screens features app"
    [platform]="ui model platform"
    [shell]="ui model screens features app platform shell"
)
status=0
for layer in "${!allowed[@]}"; do
    for file in $(git ls-files -- "kiosk/$layer/*.h" "kiosk/$layer/*.cpp"); do
        # Our includes name their folder: "folder/file.h". ksd/ (the library) is open to all.
        while IFS=: read -r line folder; do
            case " ${allowed[$layer]} ksd " in
            *" $folder "*) ;;
            *)
                echo "$file:$line: the $layer layer includes $folder/ (allowed: ${allowed[$layer]}, ksd)"
                status=1
                ;;
            esac
        done < <(grep -noE '^#include "[a-z_]+/' "$file" | sed -E 's/^([0-9]+):#include "([a-z_]+)\//\1:\2/')
        if [ "$layer" != platform ]; then
            # SDL, SDL_ttf and SDL_image: their headers or calls (comments are skipped).
            grep -nE '^#include <SDL|(^|[^A-Za-z0-9_])(SDL|TTF|IMG)_[A-Za-z0-9_]+[[:space:]]*\(' "$file" \
                | grep -vE '^[0-9]+:[[:space:]]*//' \
                | sed "s|^|$file:|; s|\$|   (only kiosk/platform/ calls SDL)|" \
                | grep . && status=1
        fi
    done
done
unknown=$(git ls-files -- 'kiosk/*/*' | cut -d/ -f2 | sort -u | while read -r d; do
    [ -n "${allowed[$d]+x}" ] || echo "$d"
done)
if [ -n "$unknown" ]; then
    echo "check-layers: kiosk/$unknown is in no layer: add it to the table in scripts/check-layers.sh" >&2
    status=1
fi
if [ $status -ne 0 ]; then
    echo "check-layers: the includes above cross the kiosk's layers (see kiosk/CMakeLists.txt)" >&2
    exit 1
fi
echo "check-layers: every kiosk file stays in its layer"
