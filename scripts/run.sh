#!/usr/bin/env bash
# The README's run command: installs missing packages, builds (including the demo content pack,
# signed with a demo key made once per build tree), and starts the kiosk with it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" dev
bin="$root/build/dev"
demo="$bin/demo"
if [ -x "$bin/kiosk/ksd-kiosk" ]; then
    exec "$bin/kiosk/ksd-kiosk" --pack "$demo/ksd-demo.pack" --key "$demo/ksd-demo.pub" "$@"
fi
# Without the kiosk (built without SDL): show the pack and a search.
"$bin/tools/ksd-content" info "$demo/ksd-demo.pack"
"$bin/tools/ksd-content" search "$demo/ksd-demo.pack" "${1:-kelapa}"
