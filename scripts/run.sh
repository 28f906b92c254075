#!/usr/bin/env bash
# The README's run command: installs missing packages, builds, makes and signs the demo content
# pack with a throw-away demo key, and starts the kiosk with it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" dev
bin="$root/build/dev"
demo="$bin/demo"
mkdir -p "$demo"
if [ ! -f "$demo/demo.key" ]; then
    "$bin/tools/ksd-content" keygen -p "$demo/demo.pub" -s "$demo/demo.key" >/dev/null
fi
"$bin/tools/ksd-content" build "$root/content" -o "$demo/ksd.pack" >/dev/null
"$bin/tools/ksd-content" sign "$demo/ksd.pack" -s "$demo/demo.key" >/dev/null
if [ -x "$bin/kiosk/ksd-kiosk" ]; then
    exec "$bin/kiosk/ksd-kiosk" --pack "$demo/ksd.pack" --public-key "$demo/demo.pub" "$@"
fi
# Without the kiosk (not built yet): show the pack and a search.
"$bin/tools/ksd-content" info "$demo/ksd.pack"
"$bin/tools/ksd-content" search "$demo/ksd.pack" "${1:-kelapa}"
